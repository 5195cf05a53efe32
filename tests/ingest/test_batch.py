"""Batch import for staff: one workbook of many compounds lands per compound-month, exactly as
separate single imports would, in one transaction, or is rejected whole with every problem listed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from services import month_reports, settings_store
from services.access import PermissionDenied
from services.db import make_engine
from services.ingest import ImportRejected, import_batch, import_month, preview_batch
from services.ledgers import ACTIVITIES, CASES
from services.models import CompoundMonth, Submission
from services.schema import init_db
from tests.ingest.helpers import (
    NOW,
    A,
    B,
    C,
    activity,
    activity2,
    audit_rows,
    case,
    case2,
    load_county,
    rows_for,
    table_checksums,
    xlsx_bytes,
)

MARCH = "2025-03"


def _activities() -> list[dict]:
    return [
        activity(),  # A: 15 people, 6.5 h, 10 households visited
        activity(小区编码=B, 参与人数="20"),  # B: 20 people, 6.5 h, 10 households
        activity2(),  # A: 40 people, 24 h
        activity2(小区编码=C),  # C (智阁镇): 40 people, 24 h
    ]


def _cases() -> list[dict]:
    return [case(), case2(小区编码=B)]  # A: one demand received 3-02; B: one dispute received 3-15


def batch_workbook(activities=None, cases=None) -> tuple[str, bytes]:
    sheets = {
        ACTIVITIES.name: rows_for(ACTIVITIES, _activities() if activities is None else activities),
        CASES.name: rows_for(CASES, _cases() if cases is None else cases),
    }
    return ("三月汇总.xlsx", xlsx_bytes(sheets))


FIGURES = ("activities", "participants", "volunteer_hours", "households_visited")
CASE_FIGURES = ("cases_received", "demands_received", "disputes_received")


def _march(engine) -> dict[str, tuple]:
    """compound code → the March rollup's activity and case figures."""
    from services.models import Compound

    with engine.connect() as conn:
        rows = conn.execute(
            select(Compound.code, *(getattr(CompoundMonth, f) for f in FIGURES + CASE_FIGURES))
            .join(Compound, Compound.id == CompoundMonth.compound_id)
            .where(CompoundMonth.month == MARCH)
        ).all()
    return {code: tuple(Decimal(str(v)) for v in values) for code, *values in rows}


def _current(engine) -> dict[tuple[int, str], dict]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(Submission.compound_id, Submission.month, Submission.row_counts).where(
                Submission.status == "current"
            )
        ).all()
    return {(cid, month): counts for cid, month, counts in rows}


def test_batch_lands_per_compound_like_separate_single_imports(county, tmp_path):
    """Hand-computed March 2025: A 2 activities, 55 people, 30.5 h, 10 households visited, one
    demand; B 1 activity, 20 people, 6.5 h, 10 households, one dispute; C 1 activity, 40 people,
    24 h, no cases. Three compound-months, each its own version 1, each 填报中."""
    result = import_batch(county.engine, principal=county.admin, files=[batch_workbook()], now=NOW)
    landed = {(r.compound.code, r.month): (r.status, r.version, r.row_counts, r.month_state) for r in result.results}
    assert landed == {
        (A, MARCH): ("imported", 1, {"activities": 2, "case_records": 1}, "填报中"),
        (B, MARCH): ("imported", 1, {"activities": 1, "case_records": 1}, "填报中"),
        (C, MARCH): ("imported", 1, {"activities": 1}, "填报中"),
    }
    d = Decimal
    assert _march(county.engine) == {
        A: (d(2), d(55), d("30.5"), d(10), d(1), d(1), d(0)),
        B: (d(1), d(20), d("6.5"), d(10), d(1), d(0), d(1)),
        C: (d(1), d(40), d(24), d(0), d(0), d(0), d(0)),
    }
    assert "批量导入完成：3 个小区、3 个小区月份。" in result.describe()

    # the same rows as three single imports, one file per compound, on a database of their own
    single = make_engine(f"sqlite:///{tmp_path / 'single.db'}")
    init_db(single)
    load_county(single)
    for code in (A, B, C):
        acts = [r for r in _activities() if r["小区编码"] == code]
        cases = [r for r in _cases() if r["小区编码"] == code]
        import_month(single, principal=county.admin, files=[batch_workbook(acts, cases)], now=NOW)
    assert _march(single) == _march(county.engine)
    assert sorted(_current(single).values(), key=repr) == sorted(_current(county.engine).values(), key=repr)
    single.dispose()

    # the identical workbook again changes nothing, compound by compound
    again = import_batch(county.engine, principal=county.admin, files=[batch_workbook()], now=NOW)
    assert {r.status for r in again.results} == {"unchanged"}


def test_batch_carries_other_ledgers_over_and_splits_rows_by_month(reported):
    """A's February (reported) holds five ledgers; the batch brings A's February activities again
    with 70 people instead of 60 (a replacement) and March for B. A's other February ledgers stay."""
    county = reported
    feb_activity = activity(活动日期="2025-02-14", 活动类型="文化活动", 活动名称="元宵游园", 参与人数="70")
    feb_activity.update(dict.fromkeys(("慰问户数", "慰问困难党员户数", "慰问困难群众户数", "慰问残疾人户数"), ""))
    feb_activity["慰问失独家庭户数"] = ""
    files = [batch_workbook([feb_activity, activity(小区编码=B)], [])]
    preview = preview_batch(county.engine, principal=county.admin, files=files, now=NOW)
    assert preview.ok and [(p.compound.code, p.month) for p in preview.months] == [(A, "2025-02"), (B, MARCH)]
    assert [(p.compound.code, p.month) for p in preview.to_replace] == [(A, "2025-02")]
    before = table_checksums(county.engine)
    with pytest.raises(ImportRejected) as refused:
        import_batch(county.engine, principal=county.admin, files=files, now=NOW)
    assert [p.code for p in refused.value.problems] == ["batch.already_reported"]
    assert "511423112001 甲小区 2025-02 已于" in refused.value.problems[0].message_zh
    assert table_checksums(county.engine) == before
    result = import_batch(county.engine, principal=county.admin, files=files, replace=True, now=NOW)
    by = {(r.compound.code, r.month): r for r in result.results}
    assert by[(A, "2025-02")].status == "replaced" and by[(B, MARCH)].status == "imported"
    assert by[(A, "2025-02")].row_counts == {
        "activities": 1,
        "case_records": 1,
        "facility_records": 1,
        "vote_records": 1,
        "disclosures": 1,
    }


def test_one_bad_row_anywhere_rejects_the_whole_batch_and_lists_every_problem(county):
    bad = _activities()
    bad[1]["参与人数"] = "约30"  # B's row, spreadsheet row 3
    bad[3]["活动日期"] = "2025-02-30"  # C's row, spreadsheet row 5
    before, audit_before = table_checksums(county.engine), audit_rows(county.engine)
    with pytest.raises(ImportRejected) as rejected:
        import_batch(county.engine, principal=county.admin, files=[batch_workbook(bad)], now=NOW)
    where = [(p.file, p.sheet, p.row, p.column, p.code) for p in rejected.value.problems]
    assert where == [
        ("三月汇总.xlsx", ACTIVITIES.name, 3, "参与人数", "value.approximate"),
        ("三月汇总.xlsx", ACTIVITIES.name, 5, "活动日期", "value.date_impossible"),
    ]
    assert table_checksums(county.engine) == before
    new_audit = audit_rows(county.engine)[len(audit_before) :]
    assert [(row.action, row.target) for row in new_audit] == [("import.rejected", "batch")]


def test_town_official_batch_needs_the_setting_and_stays_in_their_town(county):
    files = [batch_workbook()]
    with pytest.raises(PermissionDenied, match="尚未开放"):
        import_batch(county.engine, principal=county.town, files=files, now=NOW)
    settings_store.set_value(county.engine, county.admin, "batch_import_for_towns", True)
    before = table_checksums(county.engine, skip=("audit_log", "settings"))
    with pytest.raises(ImportRejected) as rejected:
        import_batch(county.engine, principal=county.town, files=files, now=NOW)
    [problem] = rejected.value.problems
    assert (problem.sheet, problem.row, problem.column, problem.value_masked, problem.code) == (
        ACTIVITIES.name,
        5,
        "小区编码",
        C,
        "auth.compound",
    )
    assert "丙小区 不在您的导入范围内" in problem.message_zh
    assert table_checksums(county.engine, skip=("audit_log", "settings")) == before
    in_town = [r for r in _activities() if r["小区编码"] != C]
    result = import_batch(county.engine, principal=county.town, files=[batch_workbook(in_town)], now=NOW)
    assert sorted(r.compound.code for r in result.results) == [A, B]


def test_secretaries_cannot_batch_even_their_own_compound(county):
    settings_store.set_value(county.engine, county.admin, "batch_import_for_towns", True)
    own = [batch_workbook([activity()], [case()])]
    for who in (county.secretary_a, county.county):
        with pytest.raises(PermissionDenied):
            preview_batch(county.engine, principal=who, files=own, now=NOW)
        with pytest.raises(PermissionDenied):
            import_batch(county.engine, principal=who, files=own, now=NOW)
    assert _current(county.engine) == {}
    # the secretary's single import keeps today's message for a file of several compounds
    with pytest.raises(ImportRejected) as rejected:
        import_month(county.engine, principal=county.secretary_a, files=[batch_workbook()], month=MARCH, now=NOW)
    assert "compound.mixed" in {p.code for p in rejected.value.problems}


def test_a_locked_compound_month_rejects_the_batch_with_the_correction_path(reported):
    """February is locked for the county; the batch holds A's February rows and B's March rows."""
    county = reported
    month_reports.set_month_lock(county.engine, county.admin, "2025-02", locked=True, now=NOW)
    feb = activity(活动日期="2025-02-20", 活动名称="二月走访")
    before = table_checksums(county.engine)
    with pytest.raises(ImportRejected) as rejected:
        import_batch(county.engine, principal=county.admin, files=[batch_workbook([feb, activity(小区编码=B)], [])])
    [problem] = rejected.value.problems
    assert problem.code == "month.closed" and problem.value_masked == "2025-02"
    assert problem.message_zh.startswith("511423112001 甲小区：2025-02 的月报已锁定")
    assert problem.hint_zh == month_reports.CORRECTION_PATH
    assert table_checksums(county.engine) == before


def test_cli_batch_dry_run_import_refusals_and_usage(sqlite_url, monkeypatch, tmp_path, capsys):
    from services.__main__ import main

    engine = make_engine(sqlite_url)
    init_db(engine)
    load_county(engine)
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    name, data = batch_workbook()
    path = tmp_path / name
    path.write_bytes(data)
    before = table_checksums(engine, skip=())
    assert main(["import", str(path), "--batch", "--dry-run", "--user", "admin"]) == 0
    out = capsys.readouterr().out
    assert "试运行通过（未写入）：3 个小区、3 个小区月份" in out
    assert (
        f"  {B} 乙小区 2025-03：活动台账 1 行（新增1、更新0、未变0）；诉求纠纷台账 1 行（新增1、更新0、未变0）" in out
    )
    assert table_checksums(engine, skip=()) == before
    assert main(["import", str(path), "--batch", "--user", "sec-a"]) == 1
    assert "已拒绝：批量导入只对管理员" in capsys.readouterr().err
    assert main(["import", str(path), "--batch", "--user", "town"]) == 1
    assert "尚未开放" in capsys.readouterr().err
    assert main(["import", str(path), "--batch", "--submit"]) == 2
    assert table_checksums(engine, skip=("audit_log",)) == {k: v for k, v in before.items() if k != "audit_log"}
    assert main(["import", str(path), "--batch", "--user", "admin"]) == 0
    out = capsys.readouterr().out
    assert "批量导入完成：3 个小区、3 个小区月份。" in out
    assert f"已导入 {C} 丙小区 2025-03（第1版）：活动台账 1 行" in out
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(batch_workbook([activity(), activity(小区编码="511423112099")])[1])
    assert main(["import", str(bad), "--batch"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("bad.xlsx「活动台账」 第3行「小区编码」：小区编码在小区档案中不存在（值：511423112099）")
    assert err[-1] == "已拒绝：共 1 个问题，未写入任何数据。"
    engine.dispose()


@pytest.mark.parametrize("value", [1, 0, "yes", None])
def test_the_town_switch_takes_only_yes_or_no(county, value):
    with pytest.raises(ValueError):
        settings_store.set_value(county.engine, county.admin, "batch_import_for_towns", value)
    assert settings_store.batch_import_for_towns(county.engine) is False
    assert "batch_import_for_towns" not in settings_store.all_values(county.engine)  # not a number input
