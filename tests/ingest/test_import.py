"""Importing months: identical rows from every file form, no-op re-imports, replacement with
history, cases updated by later months, zero reports, permissions, preview and derived columns."""

from __future__ import annotations

import datetime as dt
import json
import logging
from decimal import Decimal

import pytest
from sqlalchemy import select

from services import metrics
from services.access import SYSTEM, PermissionDenied
from services.domain import Period, Scope
from services.ingest import AlreadyReported, ImportRejected, import_month, preview_month, submit_zero_report
from services.ledgers import ACTIVITIES, CASES, DISCLOSURES, MONTHLY_LEDGERS, VOTES
from services.models import Activity, CaseRecord, FacilityRecord, Submission, VoteRecord
from tests.ingest.helpers import (
    ID_NUMBER,
    MOBILE,
    NOW,
    A,
    B,
    activity,
    activity2,
    audit_rows,
    case,
    case2,
    csv_bytes,
    disclosure,
    march_tables,
    rows_for,
    table_checksums,
    vote,
    xlsx_bytes,
)

LATER = NOW + dt.timedelta(days=1)
IGNORED = {"id", "submission_id"}


def _csvs(tables, encoding="utf-8-sig", delimiter=","):
    return [(f"{name}.csv", csv_bytes(table, encoding, delimiter)) for name, table in tables.items()]


def _rows_of(engine, submission_id):
    out = {}
    with engine.connect() as conn:
        for ledger in MONTHLY_LEDGERS:
            t = ledger.model.__table__
            rows = conn.execute(select(t).where(t.c.submission_id == submission_id).order_by(t.c.id)).mappings()
            out[ledger.key] = [{k: v for k, v in r.items() if k not in IGNORED} for r in rows]
    return out


def _submissions(engine):
    with engine.connect() as conn:
        return conn.execute(
            select(Submission.month, Submission.version, Submission.status, Submission.kind).order_by(Submission.id)
        ).all()


def test_gbk_utf8_bom_utf16_and_xlsx_import_to_identical_rows(reported):
    engine, tables = reported.engine, march_tables()
    forms = [
        _csvs(tables, "gbk"),
        _csvs(tables),
        _csvs(tables, "utf-16", "\t"),
        [("三月台账.xlsx", xlsx_bytes(tables))],
    ]
    snapshots = []
    for i, files in enumerate(forms):
        result = import_month(
            engine,
            principal=reported.secretary_a,
            files=files,
            month="2025-03",
            replace=i > 0,
            now=NOW + dt.timedelta(minutes=i),
        )
        assert result.status == ("imported" if i == 0 else "replaced")
        snapshots.append(_rows_of(engine, result.submission_id))
    assert all(s == snapshots[0] for s in snapshots[1:])
    assert [len(snapshots[0][lg.key]) for lg in MONTHLY_LEDGERS] == [2, 2, 1, 1, 1]
    assert [(m, v, s) for m, v, s, _ in _submissions(engine)] == [
        ("2025-02", 1, "current"),
        ("2025-03", 1, "superseded"),
        ("2025-03", 2, "superseded"),
        ("2025-03", 3, "superseded"),
        ("2025-03", 4, "current"),
    ]


def test_the_same_files_again_change_nothing_and_say_when(reported):
    files = _csvs(march_tables())
    first = import_month(reported.engine, principal=reported.secretary_a, files=files, now=NOW)
    before = table_checksums(reported.engine, skip=())
    again = import_month(reported.engine, principal=reported.secretary_a, files=list(reversed(files)), now=LATER)
    assert table_checksums(reported.engine, skip=()) == before
    assert (again.status, again.submission_id, again.submitted_at) == ("unchanged", first.submission_id, NOW)
    assert "已于 2025-04-03 10:00 导入（第1版）" in again.describe() and "没有任何改动" in again.describe()


def test_a_corrected_file_needs_replace_and_keeps_the_old_version(reported):
    engine = reported.engine
    first = import_month(engine, principal=reported.secretary_a, files=_csvs(march_tables()), now=NOW)
    corrected = march_tables()
    corrected[ACTIVITIES.name] = rows_for(ACTIVITIES, [activity(参与人数="16")])
    before = table_checksums(engine)
    with pytest.raises(AlreadyReported) as refused:
        import_month(engine, principal=reported.secretary_a, files=_csvs(corrected), now=LATER)
    assert "2025-03 已于 2025-04-03 10:00 上报过台账（第1版）" in str(refused.value) and refused.value.version == 1
    assert table_checksums(engine) == before
    second = import_month(engine, principal=reported.secretary_a, files=_csvs(corrected), replace=True, now=LATER)
    assert (second.status, second.version, second.replaced_version) == ("replaced", 2, 1)
    with engine.connect() as conn:
        acts = conn.execute(
            select(Activity.submission_id, Activity.participants, Activity.is_current)
            .where(Activity.month == "2025-03")
            .order_by(Activity.id)
        ).all()
    assert acts == [
        (first.submission_id, 15, False),
        (first.submission_id, 40, False),
        (second.submission_id, 16, True),
    ]
    activities = {lp.key: lp for lp in second.preview.ledgers}["activities"]
    assert (activities.new, activities.unchanged, activities.removed) == (1, 0, 2)
    actions = [row.action for row in audit_rows(engine)]
    assert actions[-3:] == ["import", "import.rejected", "import.replace"]
    assert audit_rows(engine)[-1].detail["replaced_version"] == 1


def test_a_case_closed_in_a_later_month_updates_its_current_state(reported):
    engine = reported.engine
    tables = march_tables()
    closing = case(案件编号="C-1", 受理日期="2025-02-10", 首次回应日期="2025-02-11", 办结日期="2025-03-06")
    tables[CASES.name] = rows_for(CASES, [closing, case(), case2()])
    result = import_month(engine, principal=reported.secretary_a, files=_csvs(tables), month="2025-03", now=NOW)
    cases = {lp.key: lp for lp in result.preview.ledgers}["case_records"]
    assert (cases.new, cases.updated, cases.unchanged) == (2, 1, 0)
    with engine.connect() as conn:
        c1 = conn.execute(
            select(CaseRecord.month, CaseRecord.status, CaseRecord.is_current, CaseRecord.days_to_close)
            .where(CaseRecord.case_no == "C-1")
            .order_by(CaseRecord.id)
        ).all()
    assert c1 == [("2025-02", "处理中", False, None), ("2025-03", "已办结", True, 24)]
    february = metrics.case_totals(engine, Scope(), Period("2025-02", "2025-02"))
    assert (february["cases_received"], february["cases_resolved"], february["median_days_to_close"]) == (1, 1, 24)
    # a replacement of March without C-1: February's row is the live one again
    tables[CASES.name] = rows_for(CASES, [case(), case2()])
    import_month(engine, principal=reported.secretary_a, files=_csvs(tables), month="2025-03", replace=True, now=LATER)
    with engine.connect() as conn:
        live = conn.execute(select(CaseRecord.month).where(CaseRecord.case_no == "C-1", CaseRecord.is_current)).all()
    assert live == [("2025-02",)]


def test_a_vote_updated_in_a_later_month_keeps_its_date_and_counts_once(reported):
    engine = reported.engine
    tables = march_tables()
    done = vote(表决编号="V-0", 表决日期="2025-02-08", 落实状态="已落实", 落实日期="2025-03-20")
    tables[VOTES.name] = rows_for(VOTES, [done])
    import_month(engine, principal=reported.secretary_a, files=_csvs(tables), month="2025-03", now=NOW)
    with engine.connect() as conn:
        rows = conn.execute(
            select(VoteRecord.month, VoteRecord.vote_month, VoteRecord.implementation, VoteRecord.is_current).order_by(
                VoteRecord.id
            )
        ).all()
    assert rows == [("2025-02", "2025-02", "未落实", False), ("2025-03", "2025-02", "已落实", True)]
    assert metrics.vote_totals(engine, Scope(), Period("2025-02", "2025-03"))["votes_held"] == 1


def test_derived_columns_are_computed_at_write_time(reported):
    engine = reported.engine
    tables = march_tables()
    tables[VOTES.name] = rows_for(VOTES, [vote(本地通过比例="", 同意户数="130", 同意面积="14000")])
    import_month(engine, principal=reported.secretary_a, files=_csvs(tables), now=NOW)
    with engine.connect() as conn:
        v = conn.execute(select(VoteRecord.__table__).where(VoteRecord.vote_no == "V-1")).mappings().one()
        c = conn.execute(select(CaseRecord.__table__).where(CaseRecord.case_no == "C-3")).mappings().one()
        f = conn.execute(select(FacilityRecord.__table__).where(FacilityRecord.project_no == "P-1")).mappings().one()
    # 130/200 = 65% < 70% local; art. 278 major: 80% and 85% take part, 130/160 = 81% ≥ 3/4, 14000/17000 = 82% ≥ 3/4
    assert (v["local_threshold"], v["passes_local"], v["passes_statutory"], v["vote_month"]) == (
        Decimal("0.7"),
        False,
        True,
        "2025-03",
    )
    assert (c["received_month"], c["closed_month"], c["days_to_first_response"], c["days_to_close"]) == (
        "2025-03",
        "2025-03",
        1,
        8,
    )
    assert (f["investment_yuan"], f["quantity"], f["completed_month"]) == (Decimal("300000"), Decimal("1211"), None)


def test_a_secretary_writes_only_their_own_compound_whatever_the_file_says(reported):
    engine = reported.engine
    before = table_checksums(engine)
    own = _csvs(march_tables())
    with pytest.raises(ImportRejected) as rejected:  # page passes B's id, file says A
        import_month(engine, principal=reported.secretary_b, files=own, compound_id=reported.ids[B], now=NOW)
    codes = {p.code for p in rejected.value.problems}
    assert "compound.mixed" in codes
    with pytest.raises(ImportRejected) as rejected:  # no hint: the file's compound is not theirs
        import_month(engine, principal=reported.secretary_b, files=own, now=NOW)
    assert {p.code for p in rejected.value.problems} == {"auth.compound"}
    assert all(p.column == "小区编码" for p in rejected.value.problems)
    assert table_checksums(engine) == before
    result = import_month(engine, principal=reported.secretary_a, files=own, compound_code=A, now=NOW)
    with engine.connect() as conn:
        assert conn.execute(select(Submission.submitted_by).where(Submission.id == result.submission_id)).scalar() == (
            reported.secretary_a.user_id
        )


def test_zero_reports(county):
    engine = county.engine
    result = submit_zero_report(
        engine, principal=county.secretary_a, compound_id=county.ids[A], month="2025-03", now=NOW
    )
    assert (result.kind, result.version) == ("zero", 1)
    with pytest.raises(AlreadyReported):
        submit_zero_report(engine, principal=county.secretary_a, compound_id=county.ids[A], month="2025-03", now=NOW)
    with pytest.raises(PermissionDenied):
        submit_zero_report(engine, principal=county.secretary_b, compound_id=county.ids[A], month="2025-02", now=NOW)
    with pytest.raises(ImportRejected):
        submit_zero_report(engine, principal=county.secretary_a, compound_id=county.ids[A], month="2025-05", now=NOW)
    with pytest.raises(AlreadyReported, match="零报告"):
        import_month(engine, principal=county.secretary_a, files=_csvs(march_tables()), now=NOW)
    import_month(engine, principal=county.secretary_a, files=_csvs(march_tables()), replace=True, now=NOW)
    assert [(m, v, s, k) for m, v, s, k in _submissions(engine)] == [
        ("2025-03", 1, "superseded", "zero"),
        ("2025-03", 2, "current", "ledger"),
    ]
    # a zero report is a submission (已上报); ledgers replacing it put the month back to 填报中
    assert [r.action for r in audit_rows(engine)] == [
        "import.zero",
        "report.submit",
        "import.rejected",
        "import.rejected",
        "import.rejected",
        "import.rejected",
        "import.replace",
        "report.back_to_drafting",
    ]


def test_preview_counts_and_second_look_warnings_write_nothing(reported):
    engine = reported.engine
    tables = march_tables()
    copied = activity(
        活动日期="2025-03-14",
        活动类型="文化活动",
        活动名称="元宵游园",
        参与人数="60",
        慰问户数="",
        慰问困难党员户数="",
        慰问困难群众户数="",
        慰问残疾人户数="",
        慰问失独家庭户数="",
    )
    crowd = activity2(参与人数="900")
    tables[ACTIVITIES.name] = rows_for(ACTIVITIES, [copied, crowd, activity(慰问户数="250", 慰问困难党员户数="")])
    tables[DISCLOSURES.name] = rows_for(DISCLOSURES, [disclosure(**{"收入（元）": "4800", "支出（元）": "3900"})])
    tables[CASES.name] = rows_for(
        CASES,
        [
            case(
                案件编号="C-1",
                受理日期="2025-02-09",
                首次回应日期="2025-02-11",
                办结日期="",
                状态="处理中",
                满意度="",
                摘要="",
            )
        ],
    )
    before = table_checksums(engine, skip=())
    preview = preview_month(engine, principal=reported.secretary_a, files=_csvs(tables), month="2025-03", now=NOW)
    assert table_checksums(engine, skip=()) == before
    assert preview.ok and preview.month == "2025-03"
    warnings = [(w.ledger, w.row, w.column, w.message_zh) for w in preview.warnings]
    text = json.dumps(warnings, ensure_ascii=False)
    assert "复制了上月" in text and "收入和支出与上月完全相同" in text  # numbers copied unchanged
    assert "参与人数合计 975 与上月（60）相差很大" in text  # a big jump
    assert ("活动台账", 4, "慰问户数", "慰问户数超过小区总户数（200），请确认") in warnings
    assert ("诉求纠纷台账", 2, "受理日期", "受理日期与之前上报的（2025-02-10）不同，请确认") in warnings
    cases = {lp.key: lp for lp in preview.ledgers}["case_records"]
    assert (cases.new, cases.updated, cases.unchanged) == (0, 1, 0)


def test_every_problem_is_reported_at_once_across_files(reported):
    tables = march_tables()
    tables[ACTIVITIES.name] = rows_for(ACTIVITIES, [activity(参与人数="约30"), activity2(活动日期="2025-02-30")])
    tables[CASES.name] = rows_for(CASES, [case(状态="已结"), case2(受理日期="")])
    with pytest.raises(ImportRejected) as rejected:
        import_month(reported.engine, principal=reported.secretary_a, files=_csvs(tables), month="2025-03", now=NOW)
    found = {(p.file, p.row, p.column) for p in rejected.value.problems}
    assert found == {
        ("活动台账.csv", 2, "参与人数"),
        ("活动台账.csv", 3, "活动日期"),
        ("诉求纠纷台账.csv", 2, "状态"),
        ("诉求纠纷台账.csv", 3, "受理日期"),
    }


def test_html_is_stored_as_plain_text(reported):
    tables = march_tables()
    tables[ACTIVITIES.name] = rows_for(ACTIVITIES, [activity(活动名称="<b>游园</b><script>alert(1)</script>")])
    import_month(reported.engine, principal=reported.secretary_a, files=_csvs(tables), now=NOW)
    with reported.engine.connect() as conn:
        names = conn.execute(select(Activity.name).where(Activity.month == "2025-03")).scalars().all()
    assert names == ["<b>游园</b><script>alert(1)</script>"]


def test_personal_data_rejects_the_file_and_never_reaches_logs_or_the_audit_trail(reported, caplog):
    caplog.set_level(logging.DEBUG)
    tables = march_tables()
    tables[ACTIVITIES.name] = rows_for(ACTIVITIES, [activity(备注=f"困难户身份证 {ID_NUMBER}，电话{MOBILE}")])
    files = [*_csvs(tables), (f"名单{MOBILE}.csv", csv_bytes(rows_for(CASES, [case(摘要=f"来电 {MOBILE}")])))]
    before = table_checksums(reported.engine)
    with pytest.raises(ImportRejected) as rejected:
        import_month(reported.engine, principal=reported.secretary_a, files=files, now=NOW)
    problems = rejected.value.problems
    pii = [(p.file, p.row, p.column, p.value_masked) for p in problems if p.code.startswith("pii")]
    assert ("活动台账.csv", 2, "备注", "1101**********002X") in pii
    assert ("活动台账.csv", 2, "备注", "138****5678") in pii
    assert ("名单138****5678.csv", 2, "摘要", "138****5678") in pii
    assert table_checksums(reported.engine) == before
    everything = (
        caplog.text
        + str(rejected.value)
        + repr(problems)
        + json.dumps([list(map(str, r)) for r in audit_rows(reported.engine)])
    )
    assert ID_NUMBER not in everything and MOBILE not in everything
    assert "1101**********002X" not in json.dumps([list(map(str, r)) for r in audit_rows(reported.engine)])


def test_month_is_implied_by_the_rows_when_not_given(reported):
    result = import_month(reported.engine, principal=SYSTEM, files=_csvs(march_tables()), now=NOW)
    assert (result.month, result.compound.code) == ("2025-03", A)
