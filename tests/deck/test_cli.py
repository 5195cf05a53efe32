"""`python -m services deck`: exit codes 0 / 1 / 2 and the files it writes."""

from __future__ import annotations

import io

import pytest
from pptx import Presentation
from pypdf import PdfReader

from services.__main__ import main
from tests.deck.conftest import TITLES


@pytest.fixture
def cli_db(county_db, monkeypatch):
    url, _ = county_db
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def test_county_deck_as_pptx(cli_db, tmp_path, capsys):
    out = tmp_path / "洪雅县_202501-202502_汇报.pptx"
    assert main(["deck", "--from", "2025-01", "--to", "2025-02", "--out", str(out)]) == 0
    deck = Presentation(str(out))
    assert [s.shapes.title.text for s in deck.slides] == TITLES
    assert "12 slides" in capsys.readouterr().out


def test_town_deck_as_pdf_compared_with_last_year(cli_db, tmp_path):
    out = tmp_path / "town.pdf"
    assert (
        main(
            ["deck", "--town", "洪川镇", "--from", "2025-02", "--to", "2025-02", "--compare", "year", "--out", str(out)]
        )
        == 0
    )
    pages = PdfReader(io.BytesIO(out.read_bytes())).pages
    first = pages[0].extract_text().replace("\x00", "")
    assert "洪川镇支部进小区工作汇报" in first and "2025年2月" in first and "去年同期" in first


def test_compound_deck_by_code(cli_db, tmp_path):
    out = tmp_path / "c.pptx"
    assert main(["deck", "--compound", "511423101001", "--from", "2025-01", "--to", "2025-02", "--out", str(out)]) == 0
    assert Presentation(str(out)).slides[0].shapes.title.text == "丙小区支部进小区工作汇报"


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--from", "2025-01", "--to", "2025-02", "--out", "deck.txt"], 2),  # unknown format
        (["--from", "2025-03", "--to", "2025-02", "--out", "deck.pdf"], 2),  # period backwards
        (["--from", "2025-13", "--to", "2025-13", "--out", "deck.pdf"], 2),  # no such month
        (["--from", "2025-01", "--to", "2025-02", "--out", "missing/deck.pdf"], 2),  # no such directory
        (["--from", "2025-01", "--to", "2025-02", "--town", "不存在镇", "--out", "deck.pdf"], 1),
        (["--from", "2025-01", "--to", "2025-02", "--compound", "0000", "--out", "deck.pdf"], 1),
    ],
)
def test_refusals_and_usage_errors(cli_db, tmp_path, monkeypatch, args, code):
    monkeypatch.chdir(tmp_path)
    assert main(["deck", *args]) == code
    assert not list(tmp_path.glob("deck.*"))


def test_argument_errors_exit_2(cli_db):
    with pytest.raises(SystemExit) as exited:
        main(["deck", "--to", "2025-02", "--out", "x.pdf"])
    assert exited.value.code == 2
    with pytest.raises(SystemExit) as exited:
        main(["deck", "--from", "2025-01", "--to", "2025-02", "--town", "x", "--compound", "y", "--out", "x.pdf"])
    assert exited.value.code == 2
