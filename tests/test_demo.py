"""The demo county: deterministic, internally consistent and believable (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import statistics
import time
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from sqlalchemy import Engine, select

from services import demo, domain
from services.db import make_engine, session_scope
from services.demo import county, real_compounds, vocabulary
from services.models import (
    Activity,
    CaseRecord,
    Compound,
    Disclosure,
    FacilityRecord,
    Submission,
    Town,
    VoteRecord,
)
from services.schema import init_db

SMALL = {"compounds": 30, "start": "2023-01", "end": "2024-12", "today": dt.date(2025, 1, 20)}
TABLES = (Compound, Submission, Activity, CaseRecord, FacilityRecord, VoteRecord, Disclosure)
LEDGERS = (Activity, CaseRecord, FacilityRecord, VoteRecord, Disclosure)
SENSIBLE_UNITS = {
    "道路铺设": {"米"},
    "停车位": {"个"},
    "绿化": {"平方米"},
    "健身设施": {"套"},
    "儿童游乐设施": {"套"},
    "大门": {"个"},
    "门禁": {"套"},
    "车辆识别": {"套"},
    "监控": {"个"},
    "照明": {"个"},
    "消防": {"处"},
    "加装电梯": {"部"},
    "其他": {"米", "处", "个", "套", "平方米"},
}


# ---- helpers --------------------------------------------------------------------------------


def fresh_sqlite(tmp_path, name: str) -> Engine:
    eng = make_engine(f"sqlite:///{tmp_path / name}")
    init_db(eng)
    return eng


def rows(engine: Engine, model) -> list[dict]:
    table = model.__table__
    key = list(table.primary_key.columns)
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(table).order_by(*key))]


def _norm(value) -> str:
    if isinstance(value, Decimal):
        return format(value.quantize(Decimal("0.0001")), "f")
    if isinstance(value, float):
        return repr(round(value, 6))
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return repr(value)


def checksums(engine: Engine) -> dict[str, str]:
    out = {}
    with engine.connect() as conn:
        for model in TABLES:
            digest = hashlib.sha256()
            for row in conn.execute(select(model.__table__).order_by(model.__table__.c.id)):
                digest.update(("|".join(_norm(v) for v in row) + "\n").encode())
            out[model.__tablename__] = digest.hexdigest()
    return out


def versions(records: list[dict], key: str) -> dict[tuple, list[dict]]:
    """Rows of each entity, oldest reporting month first."""
    out: dict[tuple, list[dict]] = defaultdict(list)
    for r in sorted(records, key=lambda r: (r["month"], r["id"])):
        out[(r["compound_id"], r[key])].append(r)
    return out


def counts_of(summary: demo.DemoSummary) -> tuple:
    return (
        summary.compounds,
        summary.submissions,
        summary.activities,
        summary.case_records,
        summary.facility_records,
        summary.vote_records,
        summary.disclosures,
    )


# ---- determinism ------------------------------------------------------------------------------


def test_same_seed_gives_the_same_database_and_another_seed_does_not(engine, tmp_path, monkeypatch):
    first = demo.generate(engine, seed=11, **SMALL)
    assert min(counts_of(first)) > 0, first
    assert counts_of(first) == tuple(len(rows(engine, m)) for m in TABLES)
    text = first.describe()
    assert "小区" in text and f"{first.compounds:,}" in text and f"{first.case_records:,}" in text
    assert first.seconds > 0 and (first.start, first.end) == ("2023-01", "2024-12")

    # Same seed on a fresh SQLite file, written in smaller chunks: identical content (on the
    # PostgreSQL run this also compares PostgreSQL with SQLite).
    monkeypatch.setattr(county, "CHUNK_COMPOUNDS", 7)
    again_engine = fresh_sqlite(tmp_path, "again.db")
    again = demo.generate(again_engine, seed=11, **SMALL)
    assert counts_of(again) == counts_of(first)
    assert checksums(again_engine) == checksums(engine)

    other_engine = fresh_sqlite(tmp_path, "other.db")
    demo.generate(other_engine, seed=12, **SMALL)
    theirs, ours = checksums(other_engine), checksums(engine)
    assert all(theirs[t] != ours[t] for t in ours), "a different seed should change every table"
    again_engine.dispose()
    other_engine.dispose()


def test_refuses_a_database_with_compounds_and_unfinished_months(engine):
    with pytest.raises(ValueError, match="not a complete month"):
        demo.generate(engine, compounds=10, start="2024-01", end="2025-01", today=dt.date(2025, 1, 20))
    with pytest.raises(ValueError, match="at least"):
        demo.generate(engine, compounds=2, start="2024-01", end="2024-06", today=dt.date(2025, 1, 20))
    demo.generate(engine, compounds=10, start="2024-01", end="2024-06", today=dt.date(2025, 1, 20))
    with pytest.raises(ValueError, match="without compounds"):
        demo.generate(engine, compounds=10, start="2024-01", end="2024-06", today=dt.date(2025, 1, 20))


def test_ordinary_inserts_still_get_fresh_ids_afterwards(engine):
    demo.generate(engine, compounds=10, start="2024-01", end="2024-06", today=dt.date(2025, 1, 20))
    top = max(r["id"] for r in rows(engine, Submission))
    with session_scope(engine) as session:
        compound = Compound(code="511423112999", name="测试小区", town_code="511423112", households=10)
        session.add(compound)
        session.flush()
        sub = Submission(compound_id=compound.id, month="2024-06", kind="zero")
        session.add(sub)
        session.flush()
        assert sub.id == top + 1
        assert compound.id == 11


# ---- the three real compounds -------------------------------------------------------------------


def test_the_three_real_compounds_carry_their_published_facts(engine):
    demo.generate(engine, compounds=12, start="2020-01", end="2021-12", today=dt.date(2022, 1, 20))
    by_name = {c["name"]: c for c in rows(engine, Compound)}
    yiyun, guanlan, chenghuang = by_name["依云观邸"], by_name["观澜城邦"], by_name["城隍步行街"]
    for c in (yiyun, guanlan, chenghuang):
        assert c["town_code"] == "511423112"
        assert 29.898 <= c["lat"] <= 29.920 and 103.358 <= c["lon"] <= 103.390

    # 依云观邸: branch 2020-03-25; 2020 works completed; monthly owners' committee; 70% votes
    assert yiyun["branch_founded"] == dt.date(2020, 3, 25)
    facilities = [f for f in rows(engine, FacilityRecord) if f["compound_id"] == yiyun["id"] and f["is_current"]]
    done_2020 = {
        (f["category"], f["unit"], f["quantity"])
        for f in facilities
        if f["status"] == "完工" and f["completed_month"].startswith("2020")
    }
    assert ("道路铺设", "米", Decimal(1211)) in done_2020
    assert ("停车位", "个", Decimal(125)) in done_2020
    assert {"绿化", "儿童游乐设施", "健身设施"} <= {cat for cat, _, _ in done_2020}
    activities = rows(engine, Activity)
    oc_months = {
        a["month"] for a in activities if a["compound_id"] == yiyun["id"] and a["activity_type"] == "业委会会议"
    }
    assert oc_months == set(domain.months_between("2020-03", "2021-12"))
    votes = [v for v in rows(engine, VoteRecord) if v["compound_id"] == yiyun["id"] and v["is_current"]]
    assert len([v for v in votes if v["vote_date"].year == 2020]) >= 3
    assert all(v["local_threshold"] == Decimal("0.70") for v in votes)
    assert any("入户签字" in v["topic"] and v["passes_local"] and v["implementation"] == "已落实" for v in votes)

    # 观澜城邦: women's federation 2020-11; joint Spring Festival home visits
    assert guanlan["womens_federation_founded"].strftime("%Y-%m") == "2020-11"
    assert guanlan["property_company"] and guanlan["owners_committee_founded"]
    joint = [
        a
        for a in activities
        if a["compound_id"] == guanlan["id"]
        and a["activity_type"] == "走访慰问"
        and a["organisers"] == "党支部、物业、业委会、妇联"
    ]
    assert joint and {a["activity_date"].month for a in joint} <= {1, 2}

    # 城隍步行街: 商住 from 2014, no company, county women's federation; WeChat accounts monthly;
    # clean-up in 2020 and gates, access control, plate recognition and cameras in 2020-2021
    assert chenghuang["compound_type"] == "商住" and chenghuang["year_occupied"] == 2014
    assert chenghuang["property_company"] is None and chenghuang["liaison_unit"] == "县妇联"
    months = [s["month"] for s in rows(engine, Submission) if s["compound_id"] == chenghuang["id"]]
    disclosed = [d for d in rows(engine, Disclosure) if d["compound_id"] == chenghuang["id"]]
    assert months and sorted(d["month"] for d in disclosed) == sorted(months)
    assert {d["channel"] for d in disclosed} == {"微信群"}
    assert any(
        a["compound_id"] == chenghuang["id"] and a["activity_type"] == "环境整治" and a["month"] <= "2020-06"
        for a in activities
    )
    installed = {
        f["category"]
        for f in rows(engine, FacilityRecord)
        if f["compound_id"] == chenghuang["id"] and f["is_current"] and f["status"] == "完工"
        if "2020-01" <= f["completed_month"] <= "2021-12"
    }
    assert {"大门", "门禁", "车辆识别", "监控"} <= installed


# ---- invariants -------------------------------------------------------------------------------------


def check_registry(engine: Engine) -> None:
    towns = {t["code"]: t for t in rows(engine, Town)}
    compounds = rows(engine, Compound)
    assert len(compounds) == 30
    assert len({c["code"] for c in compounds}) == len({c["name"] for c in compounds}) == 30
    assert sum(c["town_code"] == "511423112" for c in compounds) == 18
    for c in compounds:
        assert len(c["code"]) == 12 and c["code"].isdigit() and c["code"].startswith(c["town_code"])
        assert c["compound_type"] in domain.COMPOUND_TYPES
        assert c["address"].startswith(towns[c["town_code"]]["name"]) and c["address"].endswith("号")
        assert c["community"].endswith("社区")
        if c["town_code"] == "511423112":
            assert 29.898 <= c["lat"] <= 29.920 and 103.358 <= c["lon"] <= 103.390
            assert c["name"] in real_compounds.REAL_COMPOUNDS or 150 <= c["households"] <= 1500
        else:
            town = towns[c["town_code"]]
            assert abs(c["lat"] - town["lat"]) <= 0.012 + 1e-9 and abs(c["lon"] - town["lon"]) <= 0.012 + 1e-9
            assert 60 <= c["households"] <= 500
        assert c["buildings"] >= 1 and 1995 <= c["year_occupied"] <= 2022
        assert 0 <= c["volunteers"] <= 80
        if c["branch_founded"]:
            assert c["party_members"] >= 3 and c["branch_founded"].year >= 2020
        if c["owners_committee_founded"]:
            assert c["owners_committee_founded"].year > c["year_occupied"]
        assert c["property_company"] is None or c["property_company"] in vocabulary.PROPERTY_COMPANIES
        assert c["liaison_unit"] is None or c["liaison_unit"] in vocabulary.LIAISON_UNITS


def check_submissions_and_rows(engine: Engine) -> None:
    compounds = {c["id"]: c for c in rows(engine, Compound)}
    subs = rows(engine, Submission)
    sub_by_id = {s["id"]: s for s in subs}
    per_compound: dict[int, list[str]] = defaultdict(list)
    for s in subs:
        c = compounds[s["compound_id"]]
        assert c["branch_founded"] is not None, "no branch, no reports"
        assert s["month"] >= max(SMALL["start"], domain.month_of(c["branch_founded"]))
        assert s["month"] <= SMALL["end"]
        assert (s["version"], s["status"], s["submitted_by"]) == (1, "current", None)
        assert s["submitted_at"].date() > domain.month_end(s["month"])
        assert s["submitted_at"].date() < SMALL["today"]
        per_compound[s["compound_id"]].append(s["month"])
    for months in per_compound.values():  # one per month, no gaps (compounds only stop at the end)
        assert sorted(months) == domain.months_between(min(months), max(months))

    counts: Counter = Counter()
    for model in LEDGERS:
        for r in rows(engine, model):
            s = sub_by_id[r["submission_id"]]
            assert (s["compound_id"], s["month"]) == (r["compound_id"], r["month"])
            counts[(s["id"], model.__tablename__)] += 1
    kinds = Counter()
    for s in subs:
        have = {m.__tablename__: counts[(s["id"], m.__tablename__)] for m in LEDGERS}
        kinds[s["kind"]] += 1
        if any(have.values()):
            assert s["kind"] == "ledger" and s["row_counts"] == have
            assert s["file_names"] == f"{s['month']}台账.xlsx"
            assert len(s["file_hash"]) == 64 and int(s["file_hash"], 16) >= 0
        else:
            assert s["kind"] == "zero" and s["file_hash"] is s["file_names"] is None and s["row_counts"] == {}
    assert kinds["ledger"] > 0
    assert len({s["file_hash"] for s in subs if s["file_hash"]}) == kinds["ledger"]


def check_activities(engine: Engine) -> None:
    compounds = {c["id"]: c for c in rows(engine, Compound)}
    activities = rows(engine, Activity)
    assert activities
    visit_fields = ("visited_hardship_party", "visited_hardship_residents", "visited_disabled", "visited_bereaved")
    for a in activities:
        c = compounds[a["compound_id"]]
        assert a["is_current"] is True
        assert a["month"] == domain.month_of(a["activity_date"])
        assert a["activity_date"] >= c["branch_founded"]
        assert a["activity_type"] in domain.ACTIVITY_TYPES
        assert a["participants"] >= 0
        orgs = a["organisers"].split("、")
        assert set(orgs) <= set(domain.ORGANISERS)
        assert "党支部" in orgs or a["activity_type"] == "业委会会议"
        assert orgs == sorted(orgs, key=domain.ORGANISERS.index)
        if "物业" in orgs:
            assert c["property_company"] is not None
        if "业委会" in orgs:
            assert c["owners_committee_founded"] <= a["activity_date"]
        if "妇联" in orgs:
            assert c["womens_federation_founded"] <= a["activity_date"]
        if a["activity_type"] == "走访慰问":
            visited = a["visited_households"]
            assert visited > 0
            for f in visit_fields:
                assert 0 <= a[f] <= visited, (f, a)
            assert sum(a[f] for f in visit_fields) <= visited
        else:
            assert a["visited_households"] is None and all(a[f] is None for f in visit_fields)
        if a["volunteers"] is not None:
            assert a["volunteers"] > 0 and a["volunteer_hours"] >= Decimal(a["volunteers"])
        if a["activity_type"] == "业委会会议":
            assert c["owners_committee_founded"] <= a["activity_date"]


def check_cases(engine: Engine) -> None:
    records = rows(engine, CaseRecord)
    assert records
    entities = versions(records, "case_no")
    assert len(entities) < len(records), "some cases are updated in later months"
    for (_, case_no), history in entities.items():
        assert [r["is_current"] for r in history] == [False] * (len(history) - 1) + [True]
        assert len({r["month"] for r in history}) == len(history)
        first = history[0]
        assert first["month"] == first["received_month"] == domain.month_of(first["received_date"])
        assert case_no.startswith(f"{first['received_date'].year}-")
        for r in history:
            for f in ("kind", "category", "received_date", "summary"):
                assert r[f] == first[f]
            assert r["kind"] in domain.CASE_KINDS and r["category"] in domain.CASE_CATEGORIES
            assert r["status"] in domain.CASE_STATUSES
            assert (r["status"] == "已办结") == (r["closed_date"] is not None)
            month_end = domain.month_end(r["month"])
            if r["first_response_date"]:
                assert r["received_date"] <= r["first_response_date"] <= month_end
                assert r["days_to_first_response"] == (r["first_response_date"] - r["received_date"]).days
            else:
                assert r["days_to_first_response"] is None and r["status"] == "已受理"
            if r["closed_date"]:
                assert r["first_response_date"] <= r["closed_date"] <= month_end
                assert r["closed_month"] == domain.month_of(r["closed_date"]) <= r["month"]
                assert r["days_to_close"] == (r["closed_date"] - r["received_date"]).days
                assert r["satisfaction"] in domain.SATISFACTION
            else:
                assert r["closed_month"] is r["days_to_close"] is r["satisfaction"] is None
        states = [(r["first_response_date"], r["closed_date"], r["status"]) for r in history]
        assert len(set(states)) == len(states), "a new row only when something changed"
        assert all(r["status"] not in ("已办结", "已转办") for r in history[:-1])
    numbers = Counter(k for k in entities)
    assert max(numbers.values()) == 1


def check_facilities(engine: Engine) -> None:
    records = rows(engine, FacilityRecord)
    assert records
    order = {s: i for i, s in enumerate(domain.FACILITY_STATUSES)}
    for _, history in versions(records, "project_no").items():
        assert [r["is_current"] for r in history] == [False] * (len(history) - 1) + [True]
        steps = [order[r["status"]] for r in history]
        assert steps == sorted(steps) and len(set(steps)) == len(steps)
        for r in history:
            assert r["unit"] in SENSIBLE_UNITS[r["category"]]
            assert r["quantity"] > 0 and r["investment_yuan"] > 0
            assert r["funding_source"] in domain.FUNDING_SOURCES
            assert (r["status"] == "完工") == (r["completed_date"] is not None) == (r["completed_month"] is not None)
            assert (r["status"] == "计划") == (r["started_date"] is None)
            if r["started_date"]:
                assert r["started_date"] <= domain.month_end(r["month"])
            if r["completed_date"]:
                assert r["started_date"] <= r["completed_date"]
                assert r["completed_month"] == domain.month_of(r["completed_date"]) == r["month"]
            for f in ("name", "category", "quantity", "unit", "investment_yuan", "funding_source"):
                assert r[f] == history[0][f]


def check_votes(engine: Engine) -> None:
    records = rows(engine, VoteRecord)
    compounds = {c["id"]: c for c in rows(engine, Compound)}
    assert records
    order = {None: 0, "未落实": 0, "落实中": 1, "已落实": 2}
    for _, history in versions(records, "vote_no").items():
        assert [r["is_current"] for r in history] == [False] * (len(history) - 1) + [True]
        assert [order[r["implementation"]] for r in history] == sorted(order[r["implementation"]] for r in history)
        for r in history:
            c = compounds[r["compound_id"]]
            assert c["owners_committee_founded"] <= r["vote_date"]
            assert r["vote_month"] == domain.month_of(r["vote_date"]) <= r["month"]
            assert r["matter"] in domain.VOTE_MATTERS
            assert 0 <= r["agree_households"] <= r["participating_households"] <= r["total_households"]
            areas = (r["total_area"], r["participating_area"], r["agree_area"])
            outcome = domain.vote_outcome(
                matter=r["matter"],
                total_households=r["total_households"],
                participating_households=r["participating_households"],
                agree_households=r["agree_households"],
                total_area=areas[0],
                participating_area=areas[1],
                agree_area=areas[2],
                local_threshold=r["local_threshold"],
            )
            assert (r["passes_local"], r["passes_statutory"]) == (outcome.passes_local, outcome.passes_statutory)
            if areas[0] is None:
                assert areas == (None, None, None) and r["passes_statutory"] is None
            else:
                assert areas[2] <= areas[1] <= areas[0]
                share = r["participating_households"] / r["total_households"]
                assert abs(float(areas[1] / areas[0]) - share) <= 0.06
            assert (r["implementation"] is None) == (not r["passes_local"])
            assert (r["implementation"] == "已落实") == (r["implemented_date"] is not None)
            if r["implemented_date"]:
                assert r["vote_date"] <= r["implemented_date"] <= domain.month_end(r["month"])


def check_disclosures(engine: Engine) -> None:
    subs = {s["id"]: s for s in rows(engine, Submission)}
    compounds = {c["id"]: c for c in rows(engine, Compound)}
    records = rows(engine, Disclosure)
    assert records
    assert len({(d["compound_id"], d["month"]) for d in records}) == len(records)
    for d in records:
        c = compounds[d["compound_id"]]
        assert c["property_company"] or c["owners_committee_founded"] or c["name"] == "城隍步行街"
        assert d["channel"] in domain.DISCLOSURE_CHANNELS and d["is_current"]
        assert d["income_yuan"] == d["income_yuan"].quantize(Decimal("0.01")) > 0
        assert Decimal("0.79") * d["income_yuan"] <= d["spending_yuan"] <= Decimal("1.11") * d["income_yuan"]
        assert d["income_yuan"] / c["households"] < 150
        assert domain.month_end(d["month"]) < d["disclosed_date"] <= subs[d["submission_id"]]["submitted_at"].date()


def test_ledgers_are_internally_consistent(engine):
    """One small county (30 compounds, 2023-2024) checked table by table."""
    demo.generate(engine, **SMALL)
    check_registry(engine)
    check_submissions_and_rows(engine)
    check_activities(engine)
    check_cases(engine)
    check_facilities(engine)
    check_votes(engine)
    check_disclosures(engine)


# ---- what officials should see --------------------------------------------------------------------------


def test_the_county_looks_alive(engine):
    demo.generate(engine, compounds=40, start="2022-01", end="2024-12", today=dt.date(2025, 1, 20))
    compounds = rows(engine, Compound)
    subs = rows(engine, Submission)

    # Spring Festival visits: more households visited in January and February
    visits = [a for a in rows(engine, Activity) if a["activity_type"] == "走访慰问"]
    festive = [a["visited_households"] for a in visits if a["activity_date"].month in (1, 2)]
    rest = [a["visited_households"] for a in visits if a["activity_date"].month not in (1, 2)]
    assert festive and rest
    assert statistics.mean(festive) > 2 * statistics.mean(rest)
    assert len(festive) > len(rest) / 3

    # some compounds have not reported the last month yet; some report late; all before today
    expected = {c["id"] for c in compounds if c["branch_founded"] and c["branch_founded"] <= dt.date(2024, 12, 1)}
    reported_last = {s["compound_id"] for s in subs if s["month"] == "2024-12"}
    missing = expected - reported_last
    assert 1 <= len(missing) <= 0.3 * len(expected)
    late = [s for s in subs if s["submitted_at"].date() > domain.month_end(s["month"]) + dt.timedelta(days=5)]
    assert 0 < len(late) < 0.25 * len(subs)

    # votes cluster around the 70% line
    votes = [v for v in rows(engine, VoteRecord) if v["is_current"]]
    near = [v for v in votes if abs(v["agree_households"] / v["total_households"] - 0.70) <= 0.05]
    assert len(near) >= 3 and any(v["passes_local"] for v in near) and any(not v["passes_local"] for v in near)

    # recent cases are more often still open than older ones
    cases = [r for r in rows(engine, CaseRecord) if r["is_current"]]
    recent = [r for r in cases if r["received_month"] >= "2024-11"]
    older = [r for r in cases if r["received_month"] <= "2023-12"]
    open_share = lambda rs: sum(r["status"] != "已办结" for r in rs) / len(rs)  # noqa: E731
    assert open_share(recent) > 2 * open_share(older)
    per_100 = len([r for r in cases if "2024-01" <= r["received_month"] <= "2024-12"]) / 12
    households = sum(c["households"] for c in compounds if c["id"] in reported_last)
    assert 0.4 <= 100 * per_100 / households <= 0.9
    assert 0.6 <= sum(r["kind"] == "诉求" for r in cases) / len(cases) <= 0.8


@pytest.mark.slow
def test_county_scale_is_fast_and_believable(sqlite_url):
    eng = make_engine(sqlite_url)
    init_db(eng)
    t0 = time.perf_counter()
    summary = demo.generate(eng, today=dt.date(2026, 11, 27))
    assert time.perf_counter() - t0 < 30
    assert summary.compounds == 240 and summary.end == "2026-10"
    compounds = rows(eng, Compound)
    seat = [c for c in compounds if c["town_code"] == "511423112"]
    assert len(seat) == 144 and len({c["town_code"] for c in compounds}) == 12
    assert 0.08 <= sum(c["property_company"] is None for c in compounds) / 240 <= 0.22
    assert 0.01 <= sum(c["branch_founded"] is None for c in compounds) / 240 <= 0.08
    assert 0.5 <= sum(c["owners_committee_founded"] is not None for c in compounds) / 240 <= 0.72
    assert sum(c["branch_founded"] is not None and c["branch_founded"].year == 2020 for c in compounds) > 150

    # dispute spikes: 3-5 compounds where, within three months, at least two months bring
    # max(5, 4 x the usual) disputes of one category (parking or noise), in the last two years
    disputes = Counter(
        (r["compound_id"], r["category"], r["received_month"])
        for r in rows(eng, CaseRecord)
        if r["is_current"] and r["kind"] == "纠纷"
    )
    months_reported = Counter(s["compound_id"] for s in rows(eng, Submission))
    totals = Counter()
    for (cid, cat, _), n in disputes.items():
        totals[(cid, cat)] += n
    burst_months = defaultdict(list)
    for (cid, cat, month), n in disputes.items():
        if n >= max(5, 4 * totals[(cid, cat)] / months_reported[cid]):
            burst_months[(cid, cat)].append(month)
    spikes = {
        key: sorted(ms)
        for key, ms in burst_months.items()
        if any(domain.add_months(a, 2) >= b for a, b in zip(sorted(ms), sorted(ms)[1:], strict=False))
    }
    assert 3 <= len(spikes) <= 5, spikes
    assert {cat for _, cat in spikes} <= {"停车", "噪音"}
    assert all(ms[0] >= "2024-11" for ms in spikes.values())

    # some compounds stopped reporting in the last two years
    last = defaultdict(str)
    for s in rows(eng, Submission):
        last[s["compound_id"]] = max(last[s["compound_id"]], s["month"])
    stopped = [m for m in last.values() if m < "2026-09"]
    assert 3 <= len(stopped) <= 15 and min(stopped) >= "2024-11"

    # overdue projects and passed votes never carried out exist, but are a minority
    facilities = [f for f in rows(eng, FacilityRecord) if f["is_current"]]
    overdue = [f for f in facilities if f["status"] == "在建" and f["started_date"] < dt.date(2025, 10, 1)]
    assert 0 < len(overdue) < 0.15 * len(facilities)
    votes = [v for v in rows(eng, VoteRecord) if v["is_current"] and v["passes_local"]]
    assert 0 < sum(v["implementation"] == "未落实" for v in votes) < 0.3 * len(votes)
    eng.dispose()


def test_the_demo_shows_every_state_of_the_months_report(engine):
    """On 2025-01-20 (deadline the 5th, locks on the 20th): months up to 2024-11 are locked (2024-11's
    lock day 12-20 has passed), 2024-12 is the last closed month and nothing later is generated."""
    from services import month_reports
    from services.models import CorrectionRequest, MonthLock, MonthReport

    generated = demo.generate(engine, compounds=40, start="2023-01", end="2024-12", today=dt.date(2025, 1, 21))
    states = Counter((r["month"] >= "2024-12", r["state"]) for r in rows(engine, MonthReport))
    assert states[(False, "approved")] > 0 and states[(False, "submitted")] >= 1  # the corrected month waits
    assert {s for (recent, s) in states if recent} >= {"approved", "submitted"}
    locks = {r["month"] for r in rows(engine, MonthLock) if r["locked"]}
    assert locks == set(domain.Period("2023-01", "2024-12").months)  # 2024-12 locked on 01-20, too
    requests = Counter(r["state"] for r in rows(engine, CorrectionRequest))
    assert requests == {"approved": 1, "pending": 1}
    corrected = [r for r in rows(engine, MonthReport) if r["changed_after_approval"]]
    assert len(corrected) == 1 and corrected[0]["state"] == "submitted" and corrected[0]["reopened"]
    assert generated.states["approved"] == states[(False, "approved")] + states[(True, "approved")]
    assert month_reports.status(engine, corrected[0]["compound_id"], corrected[0]["month"]).label == "已上报"


def test_the_demo_month_still_being_reported_has_work_in_progress_and_returns(engine):
    from services.models import MonthReport

    demo.generate(engine, compounds=60, start="2024-06", end="2024-12", today=dt.date(2025, 1, 3))
    december = Counter(r["state"] for r in rows(engine, MonthReport) if r["month"] == "2024-12")
    assert december["submitted"] > december["drafting"] > 0 and december["returned"] >= 1
    returned = [r for r in rows(engine, MonthReport) if r["state"] == "returned"]
    assert all(r["return_reason"] and r["first_submitted_at"] for r in returned)
