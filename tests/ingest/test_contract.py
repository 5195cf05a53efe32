"""The contract is the single definition: vocabularies come from services.domain, every field
exists in the model, and the documentation is plain data."""

from __future__ import annotations

import json

from services import domain
from services.ingest.values import parse_cell
from services.ledgers import LEDGERS, REGISTRY, column_docs, header_key


def test_six_ledgers_with_the_issue_names():
    assert [lg.name for lg in LEDGERS] == [
        "小区档案",
        "活动台账",
        "诉求纠纷台账",
        "设施改造台账",
        "业主表决台账",
        "财务公开台账",
    ]


def test_every_stored_field_exists_in_its_model_and_fits_the_example():
    for ledger in LEDGERS:
        table = ledger.model.__table__
        for col in ledger.columns:
            if col.stored and col.field != "compound_code":
                assert col.field in table.c, (ledger.name, col.field)
            assert parse_cell(col, col.example) is not None, (ledger.name, col.header)


def test_allowed_values_are_the_domain_vocabularies_not_copies():
    by_header = {(lg.name, c.header): c for lg in LEDGERS for c in lg.columns}
    assert by_header[("活动台账", "活动类型")].allowed is domain.ACTIVITY_TYPES
    assert by_header[("活动台账", "组织方")].allowed is domain.ORGANISERS
    assert by_header[("诉求纠纷台账", "类别")].allowed is domain.CASE_CATEGORIES
    assert by_header[("设施改造台账", "单位")].allowed is domain.FACILITY_UNITS
    assert by_header[("业主表决台账", "事项类别")].allowed is domain.VOTE_MATTERS
    assert by_header[("财务公开台账", "公示渠道")].allowed is domain.DISCLOSURE_CHANNELS
    assert by_header[("小区档案", "类型")].allowed is domain.COMPOUND_TYPES


def test_names_are_unambiguous_within_each_ledger():
    for ledger in LEDGERS:
        owner: dict[str, str] = {}
        for col in ledger.columns:
            for name in col.names:
                assert owner.setdefault(header_key(name), col.field) == col.field, (ledger.name, name)


def test_column_docs_are_plain_data_for_the_instructions_page():
    docs = column_docs()
    json.dumps(docs, ensure_ascii=False)  # plain data only
    assert [d["ledger"] for d in docs] == [lg.name for lg in LEDGERS]
    registry = docs[0]
    assert registry["administrators_only"] is True
    system = next(c for c in registry["columns"] if c["header"] == "坐标系")
    assert system["allowed"] == ["WGS84", "GCJ02", "BD09"]
    cases = docs[2]
    assert cases["updates_by"] == "案件编号"
    required = [c["header"] for c in cases["columns"] if c["required"]]
    assert required == ["小区编码", "案件编号", "类型", "类别", "受理日期", "状态"]
    for doc in docs:
        for col in doc["columns"]:
            assert col["meaning"] and col["example"] and col["type_zh"] and col["field"]
    assert REGISTRY.column("coord_system").stored is False
