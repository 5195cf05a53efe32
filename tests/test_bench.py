"""The benchmark machinery at a tiny scale: the table has its rows and columns and nothing
failed. No timing is asserted (issue #7: times belong in bench/RESULTS.md, not in tests)."""

from __future__ import annotations

import re

import pytest

from bench import report
from bench.__main__ import main
from bench.config import PAGE_BUDGETS


def test_marks_follow_the_budgets():
    # issue #15: the same budgets at every scale
    assert report.mark(0.25, PAGE_BUDGETS["province"].rerun) == report.OK
    assert report.mark(0.251, PAGE_BUDGETS["province"].rerun) == report.MISSED
    assert report.mark(1.0, PAGE_BUDGETS["province"].first_render) == report.OK
    assert report.mark(1.01, PAGE_BUDGETS["county"].first_render) == report.MISSED
    assert report.mark(3.0, None) == report.NONE  # no budget
    assert report.seconds(1.234, 1.0) == "1.23 ✗" and report.seconds(123.4) == "123"


STORM_ROW = "import storm: views p50 / p95 (s, p95 ≤ 1) by town and county officials"


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


@pytest.mark.slow
def test_a_tiny_run_prints_the_table_and_writes_the_results(tmp_path, capsys):
    out = tmp_path / "RESULTS.md"
    args = ["--scales", "tiny", "--dbs", "sqlite", "--runs", "1", "--pages", "overview"]
    phases = ["--phases", "build,pages,reference,storm", "--storm-views", "12"]
    code = main([*args, *phases, "--workdir", str(tmp_path / "work"), "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 0, printed

    lines = [line for line in printed.splitlines() if line.startswith("|")]
    header, rows = _cells(lines[0]), {_cells(line)[0]: _cells(line)[1:] for line in lines[2:]}
    assert header[1:] == ["tiny (smoke test) · SQLite"]
    assert set(rows) == {
        "compounds / ledger rows / database size",
        "build: demo generator + rollups + accounts (rollups alone), s",
        "ingest: 100,000-row ledger file (s, ≤ 10)",
        "page `overview` (county): first / rerun (s)",
        "page `overview` (town): first / rerun (s)",
        "peak memory: build / pages process (MB)",
        "memory per session → 100 sessions (≤ 4 GB)",
        "county headline, last 12 months: services / DuckDB (ms; ≤ 2×)",
        STORM_ROW,
    }
    assert all(len(cells) == 1 for cells in rows.values())
    assert rows["compounds / ledger rows / database size"][0].startswith("12 / ")
    assert rows["ingest: 100,000-row ledger file (s, ≤ 10)"] == ["—"]  # phase not asked for
    for role in ("county", "town"):
        first, rerun = rows[f"page `overview` ({role}): first / rerun (s)"][0].split(" / ")
        assert all(float(x.split()[0]) > 0 and x.split()[1] in (report.OK, report.MISSED) for x in (first, rerun))
    headline = rows["county headline, last 12 months: services / DuckDB (ms; ≤ 2×)"][0]
    assert re.fullmatch(r"\d+ / \d+ ms \(\d+\.\d× [✓✗]\) =", headline), headline  # the ratio marked; answers agree
    assert len(rows["peak memory: build / pages process (MB)"][0].split(" / ")) == 2
    storm = re.fullmatch(r"town .+ · county .+; (\d+) imports; stale: 0 of (\d+) checked ✓", rows[STORM_ROW][0])
    assert storm and int(storm[1]) > 0, rows[STORM_ROW]

    written = out.read_text()
    assert "## Machine" in written and "- CPU: " in written and "SQLite 3." in written
    assert ".venv/bin/python -m bench --scales tiny" in written
    assert lines[0] in written
