"""Ledgers land on their own: a compound's ledgers of one month arrive on different days, and
importing or replacing one never changes another (both databases).

Hand-computed, compound A, March 2025 (march_tables): activities 2 rows, 15 + 40 = 55
participants; cases C-3 (诉求, closed) and C-4 (纠纷, open): 2 received, 1 resolved."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from services import metrics
from services.domain import Period
from services.ingest import AlreadyReported, import_month, preview_month
from services.ledgers import ACTIVITIES, CASES
from tests.ingest.helpers import NOW, activity, audit_rows, case, csv_bytes, march_tables, rows_for, table_checksums
from tests.scoped import scoped

MARCH = Period("2025-03", "2025-03")


def _file(name, table):
    return [(f"{name}.csv", csv_bytes(table))]


def _figures(engine):
    acts = metrics.activity_totals(engine, scoped(), MARCH)
    cases = metrics.case_totals(engine, scoped(), MARCH)
    return acts["activities"], acts["participants"], cases["cases_received"], cases["cases_resolved"]


def test_the_cases_ledger_later_joins_the_month_without_touching_the_activities(reported):
    engine, tables, who = reported.engine, march_tables(), reported.secretary_a
    import_month(engine, principal=who, files=_file(ACTIVITIES.name, tables[ACTIVITIES.name]), month="2025-03", now=NOW)
    assert _figures(engine)[:2] == (2, 55)
    later = NOW + dt.timedelta(days=2)
    preview = preview_month(engine, principal=who, files=_file(CASES.name, tables[CASES.name]), month="2025-03")
    assert preview.untouched == [(ACTIVITIES.name, 2)] and preview.overlapping == [] and not preview.needs_replace
    result = import_month(
        engine, principal=who, files=_file(CASES.name, tables[CASES.name]), month="2025-03", now=later
    )
    assert (result.status, result.version) == ("added", 2)
    assert "其他台账保持不变：活动台账 2 行" in result.describe()
    assert _figures(engine) == (2, 55, 2, 1)
    assert audit_rows(engine)[-1].action == "import.add"


def test_replacing_one_ledger_leaves_the_others_and_names_the_rows_that_go(reported):
    engine, tables, who = reported.engine, march_tables(), reported.secretary_a
    import_month(engine, principal=who, files=_file("三月", tables[ACTIVITIES.name]), month="2025-03", now=NOW)
    import_month(engine, principal=who, files=_file("三月案件", tables[CASES.name]), month="2025-03", now=NOW)
    fewer = rows_for(CASES, [case()])  # C-4 is left out of the corrected file
    files = _file("更正案件", fewer)
    before = table_checksums(engine)
    with pytest.raises(AlreadyReported):
        import_month(engine, principal=who, files=files, month="2025-03", now=NOW)
    assert table_checksums(engine) == before
    preview = preview_month(engine, principal=who, files=files, month="2025-03")
    assert preview.overlapping == [CASES.name] and preview.needs_replace
    assert preview.rows_removed == 1 and preview.untouched == [(ACTIVITIES.name, 2)]
    result = import_month(engine, principal=who, files=files, month="2025-03", replace=True, now=NOW)
    assert result.status == "replaced"
    assert _figures(engine) == (2, 55, 1, 1)  # the activities are all still there


def test_a_changed_activity_replaces_only_the_activities(reported):
    engine, tables, who = reported.engine, march_tables(), reported.secretary_a
    import_month(engine, principal=who, files=[(f"{n}.csv", csv_bytes(t)) for n, t in tables.items()], now=NOW)
    edited = rows_for(ACTIVITIES, [activity(参与人数="16"), activity(活动名称="新增活动", 参与人数="5")])
    import_month(engine, principal=who, files=_file("活动", edited), month="2025-03", replace=True, now=NOW)
    assert _figures(engine) == (2, 21, 2, 1)


ORDERS = list(itertools.permutations([ACTIVITIES.name, CASES.name]))


@pytest.mark.parametrize("order", ORDERS)
def test_ledgers_in_any_order_on_different_days_give_the_same_figures_as_one_upload(reported, order):
    engine, tables, who = reported.engine, march_tables(), reported.secretary_a
    for day, name in enumerate(order):
        when = NOW + dt.timedelta(days=day)
        import_month(engine, principal=who, files=_file(name, tables[name]), month="2025-03", now=when)
    assert _figures(engine) == (2, 55, 2, 1)


def test_a_ledger_file_already_in_as_it_is_changes_nothing_and_says_when(reported):
    engine, tables, who = reported.engine, march_tables(), reported.secretary_a
    activities = _file(ACTIVITIES.name, tables[ACTIVITIES.name])
    import_month(engine, principal=who, files=activities, month="2025-03", now=NOW)
    import_month(engine, principal=who, files=_file(CASES.name, tables[CASES.name]), month="2025-03", now=NOW)
    before = table_checksums(engine, skip=())
    again = import_month(engine, principal=who, files=activities, month="2025-03", now=NOW + dt.timedelta(days=3))
    assert again.status == "unchanged" and table_checksums(engine, skip=()) == before


def test_the_filed_rows_sent_back_from_the_in_page_table_change_nothing(reported):
    """What the in-page table starts from reads back as the same rows: every ledger unchanged."""
    from services.ingest import filed_rows, table_upload
    from services.ledgers import LEDGER_BY_KEY

    engine, tables, who = reported.engine, march_tables(), reported.secretary_a
    import_month(engine, principal=who, files=[(f"{n}.csv", csv_bytes(t)) for n, t in tables.items()], now=NOW)
    filed = filed_rows(engine, reported.secretary_a.compound_id, "2025-03")
    assert {key: len(rows) for key, rows in filed.items()} == {
        "activities": 2,
        "case_records": 2,
        "facility_records": 1,
        "vote_records": 1,
        "disclosures": 1,
    }
    for key, rows in filed.items():
        upload = table_upload(LEDGER_BY_KEY[key].name, rows)
        preview = preview_month(engine, principal=who, files=[upload], month="2025-03")
        assert preview.problems == [] and preview.changes_nothing, (key, preview.problems, preview.ledgers)
        assert len(preview.untouched) == 4
