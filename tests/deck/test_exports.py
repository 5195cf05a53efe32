"""The .pptx and the PDF of the fixture county's deck, opened again with python-pptx and pypdf."""

from __future__ import annotations

import io
import re

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn
from pypdf import PdfReader

from services import formatting, metrics
from services.deck import file_name, render
from services.deck.pptx import EA_FONT
from tests.deck.conftest import PERIOD, TITLES
from tests.scoped import scoped


@pytest.fixture(scope="module")
def pptx(county_deck):
    return Presentation(io.BytesIO(render(county_deck, "pptx")))


@pytest.fixture(scope="module")
def pdf(county_deck):
    return PdfReader(io.BytesIO(render(county_deck, "pdf")))


def runs(slide):
    """Every text run on a slide, in text boxes, placeholders and table cells."""
    for shape in slide.shapes:
        frames = []
        if shape.has_text_frame:
            frames.append(shape.text_frame)
        if shape.has_table:
            frames += [cell.text_frame for row in shape.table.rows for cell in row.cells]
        for frame in frames:
            for paragraph in frame.paragraphs:
                yield from paragraph.runs


def slide_text(slide) -> str:
    return "\n".join(run.text for run in runs(slide))


def flat(text: str) -> str:
    """Text without white space (lines wrap differently in each format) and without the NULs pypdf
    puts between characters when a font's encoding is an embedded CMap, as fpdf2 writes it."""
    return re.sub(r"[\s\x00]+", "", text)


def test_deck_is_named_by_scope_and_period(county_deck):
    assert file_name(county_deck, "pptx") == "洪雅县_202501-202502_汇报.pptx"
    assert [s.title for s in county_deck.slides] == TITLES


def test_pptx_has_the_slides_titles_and_16_9(pptx, county_deck):
    assert len(pptx.slides) == len(county_deck.slides) == len(TITLES)
    assert [s.shapes.title.text for s in pptx.slides] == TITLES
    assert pptx.slide_width * 9 == pptx.slide_height * 16


def test_every_run_names_the_east_asian_font(pptx):
    count = 0
    for slide in pptx.slides:
        for run in runs(slide):
            r_pr = run._r.find(qn("a:rPr"))
            assert r_pr is not None, run.text
            ea = r_pr.find(qn("a:ea"))
            assert ea is not None and ea.get("typeface") == EA_FONT, run.text
            assert r_pr.find(qn("a:latin")) is not None and r_pr.get("lang") == "zh-CN"
            count += 1
    assert count > 200


def test_nothing_leaves_the_slide(pptx):
    for number, slide in enumerate(pptx.slides, start=1):
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, (number, shape.name)
            assert shape.left + shape.width <= pptx.slide_width, (number, shape.name)
            assert shape.top + shape.height <= pptx.slide_height, (number, shape.name)


def test_pptx_shows_every_figure_table_cell_and_chart(pptx, county_deck):
    for slide, planned in zip(pptx.slides, county_deck.slides, strict=True):
        text = slide_text(slide)
        for figure in planned.figures:
            assert figure.label in text and figure.value in text, (planned.title, figure.label)
        if planned.table is not None:
            assert all(cell in text for row in planned.table.rows for cell in row if "…" not in cell)
        pictures = [s for s in slide.shapes if s.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE
        assert len(pictures) == (planned.chart is not None), planned.title
    summary = flat(slide_text(pptx.slides[1]))
    assert all(flat(sentence) in summary for sentence in county_deck.narrative.sentences)


def test_headline_slide_matches_the_metrics(pptx, county_db):
    _, engine = county_db
    h = metrics.headline(engine, scoped(), PERIOD, deadline_day=5)
    text = slide_text(pptx.slides[2])
    for shown in (
        formatting.number(h["activities"]),
        formatting.percent(h["closure_rate"]),
        formatting.yuan(h["facility_investment_yuan"]),
        formatting.percent(h["reporting_rate"]),
    ):
        assert shown in text
    assert "34.0万元" in text and "60.0%" in text and "80.0%" in text  # worked out in tests/test_metrics.py


def test_title_slide_carries_as_of_and_completeness(pptx):
    text = slide_text(pptx.slides[0])
    # the latest report for these months arrived 2025-03-09 10:00 UTC: 18:00 in Beijing
    assert "数据截至 2025-03-09 18:00（北京时间）" in text
    assert "截至2025-03-09 18:00，应报5个小区·月，已报4个，上报率80.0%；已审核0个（0.0%）。" in text
    assert "生成于 2025-03-10 10:30（北京时间）" in text


def test_pdf_has_a_page_per_slide_with_its_title(pdf, county_deck):
    assert len(pdf.pages) == len(county_deck.slides)
    for page, slide in zip(pdf.pages, county_deck.slides, strict=True):
        assert (float(page.mediabox.width), float(page.mediabox.height)) == (960, 540)
        assert flat(slide.title) in flat(page.extract_text()), slide.title
    summary = flat(pdf.pages[1].extract_text())
    assert all(figure.text in summary for figure in county_deck.narrative.figures)
    headline = flat(pdf.pages[2].extract_text())
    assert all(figure.value in headline for figure in county_deck.slides[2].figures)


def test_pdf_embeds_the_chinese_font(pdf):
    fonts = {str(font.get_object()["/BaseFont"]) for page in pdf.pages for font in page["/Resources"]["/Font"].values()}
    assert fonts and all("NotoSansCJKSC" in name for name in fonts)
