"""Builders for ledger files (CSV in any encoding, .xlsx with any quirk) and a small county.

Every bad file in the corpus is made here from a good one, so a test shows exactly what broke.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from dataclasses import dataclass

from openpyxl import Workbook
from sqlalchemy import Engine, insert, inspect, select

from services.access import Principal
from services.db import write_transaction
from services.ledgers import ACTIVITIES, CASES, DISCLOSURES, FACILITIES, VOTES, Ledger
from services.models import AuditEntry, Base, Compound, User

NOW = dt.datetime(2025, 4, 3, 2, 0)  # UTC; 2025-04-03 in China
MONTH = "2025-03"
A, B, C = "511423112001", "511423112002", "051142310101"  # C keeps a leading zero
HONGCHUAN, ZHIGE = "511423112", "511423101"
ID_NUMBER = "11010519491231002X"  # valid check digit (the textbook example)
MOBILE = "13812345678"


@dataclass
class County:
    engine: Engine
    ids: dict[str, int]  # compound code → id
    admin: Principal
    secretary_a: Principal
    secretary_b: Principal
    town: Principal
    county: Principal


def load_county(engine: Engine) -> County:
    """Three compounds (one with a leading-zero code) and one account per role."""
    compounds = [
        dict(code=A, name="甲小区", town_code=HONGCHUAN, households=200),
        dict(code=B, name="乙小区", town_code=HONGCHUAN, households=100),
        dict(code=C, name="丙小区", town_code=ZHIGE, households=300),
    ]
    with write_transaction(engine) as conn:
        for row in compounds:
            conn.execute(insert(Compound).values(compound_type="住宅", active=True, **row))
        ids = dict(conn.execute(select(Compound.code, Compound.id)).all())
        users = {
            "admin": dict(role="admin"),
            "sec-a": dict(role="secretary", compound_id=ids[A], town_code=HONGCHUAN),
            "sec-b": dict(role="secretary", compound_id=ids[B], town_code=HONGCHUAN),
            "town": dict(role="town", town_code=HONGCHUAN),
            "county": dict(role="county"),
        }
        for name, extra in users.items():
            conn.execute(insert(User).values(username=name, display_name=name, **extra))
        principals = {}
        for uid, name, role, town, cid in conn.execute(
            select(User.id, User.username, User.role, User.town_code, User.compound_id)
        ):
            principals[name] = Principal(uid, name, role, town, cid)
    return County(
        engine,
        ids,
        principals["admin"],
        principals["sec-a"],
        principals["sec-b"],
        principals["town"],
        principals["county"],
    )


def rows_for(ledger: Ledger, rows: list[dict]) -> list[list]:
    """Header plus rows (dicts keyed by Chinese header) in contract column order."""
    headers = [c.header for c in ledger.columns]
    return [headers] + [[row.get(h, "") for h in headers] for row in rows]


def csv_bytes(table: list[list], encoding: str = "utf-8-sig", delimiter: str = ",") -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(
        [["" if v is None else v for v in row] for row in table]
    )
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(sheets: dict[str, list[list]], *, hidden=(), merges=None) -> bytes:
    """A workbook with one sheet per entry; values are written as given (str, int, date...)."""
    book = Workbook()
    book.remove(book.active)
    for name, table in sheets.items():
        ws = book.create_sheet(name)
        for row in table:
            ws.append([None if v == "" else v for v in row])
        if name in hidden:
            ws.sheet_state = "hidden"
        for ref in (merges or {}).get(name, []):
            ws.merge_cells(ref)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def activity(**kw) -> dict:
    row = {
        "小区编码": A,
        "活动日期": "2025-03-05",
        "活动类型": "走访慰问",
        "活动名称": "三八节走访慰问",
        "组织方": "党支部、妇联",
        "参与人数": "15",
        "志愿者人数": "4",
        "志愿服务时长": "6.5",
        "慰问户数": "10",
        "慰问困难党员户数": "2",
        "慰问困难群众户数": "5",
        "慰问残疾人户数": "1",
        "慰问失独家庭户数": "1",
        "备注": "联合县妇联开展",
    }
    return {**row, **kw}


def activity2(**kw) -> dict:
    row = {
        "小区编码": A,
        "活动日期": "2025/3/20",
        "活动类型": "环境整治",
        "活动名称": "春季大扫除",
        "组织方": "物业；志愿服务队",
        "参与人数": "40",
        "志愿者人数": "12",
        "志愿服务时长": "24",
    }
    return {**row, **kw}


def case(**kw) -> dict:
    row = {
        "小区编码": A,
        "案件编号": "C-3",
        "类型": "诉求",
        "类别": "停车",
        "受理日期": "2025-03-02",
        "首次回应日期": "2025-03-03",
        "办结日期": "2025-03-10",
        "状态": "已办结",
        "满意度": "满意",
        "摘要": "地下车库占道停车，已协调物业划线",
    }
    return {**row, **kw}


def case2(**kw) -> dict:
    row = {
        "小区编码": A,
        "案件编号": "C-4",
        "类型": "纠纷",
        "类别": "噪音",
        "受理日期": "2025年3月15日",
        "状态": "处理中",
    }
    return {**row, **kw}


def facility(**kw) -> dict:
    row = {
        "小区编码": A,
        "项目编号": "P-1",
        "项目名称": "小区道路黑化",
        "项目类别": "道路铺设",
        "数量": "1211",
        "单位": "米",
        "投入金额（元）": "300,000",
        "资金来源": "政府",
        "状态": "在建",
        "开工日期": "2025-03-01",
    }
    return {**row, **kw}


def vote(**kw) -> dict:
    row = {
        "小区编码": A,
        "表决编号": "V-1",
        "表决日期": "2025-03-12",
        "议题": "使用维修基金更换电梯",
        "事项类别": "重大事项",
        "业主总户数": "200",
        "参与户数": "160",
        "同意户数": "150",
        "专有部分总面积": "20000",
        "参与面积": "17000",
        "同意面积": "15000",
        "本地通过比例": "70%",
        "落实状态": "落实中",
    }
    return {**row, **kw}


def disclosure(**kw) -> dict:
    row = {
        "小区编码": A,
        "月份": "2025-03",
        "收入（元）": "5,000.50",
        "支出（元）": "4000.25",
        "公示日期": "2025-04-02",
        "公示渠道": "微信群",
    }
    return {**row, **kw}


def march_tables() -> dict[str, list[list]]:
    """A clean March 2025 for compound A, one table per ledger (sheet name → rows)."""
    return {
        ACTIVITIES.name: rows_for(ACTIVITIES, [activity(), activity2()]),
        CASES.name: rows_for(CASES, [case(), case2()]),
        FACILITIES.name: rows_for(FACILITIES, [facility()]),
        VOTES.name: rows_for(VOTES, [vote()]),
        DISCLOSURES.name: rows_for(DISCLOSURES, [disclosure()]),
    }


def february_files() -> list[tuple[str, bytes]]:
    """February 2025 for compound A: an open case C-1, a project P-0 under way, a vote, a disclosure."""
    tables = {
        ACTIVITIES.name: rows_for(
            ACTIVITIES,
            [
                activity(
                    活动日期="2025-02-14",
                    活动类型="文化活动",
                    活动名称="元宵游园",
                    参与人数="60",
                    慰问户数="",
                    慰问困难党员户数="",
                    慰问困难群众户数="",
                    慰问残疾人户数="",
                    慰问失独家庭户数="",
                )
            ],
        ),
        CASES.name: rows_for(
            CASES,
            [
                case(
                    案件编号="C-1",
                    受理日期="2025-02-10",
                    首次回应日期="2025-02-11",
                    办结日期="",
                    状态="处理中",
                    满意度="",
                )
            ],
        ),
        FACILITIES.name: rows_for(
            FACILITIES,
            [
                facility(
                    项目编号="P-0", 项目名称="门禁改造", 项目类别="门禁", 数量="4", 单位="套", 开工日期="2025-02-03"
                )
            ],
        ),
        VOTES.name: rows_for(VOTES, [vote(表决编号="V-0", 表决日期="2025-02-08", 落实状态="未落实")]),
        DISCLOSURES.name: rows_for(
            DISCLOSURES,
            [disclosure(**{"月份": "2025-02", "收入（元）": "4800", "支出（元）": "3900", "公示日期": "2025-03-03"})],
        ),
    }
    return [(f"2月{name}.csv", csv_bytes(table)) for name, table in tables.items()]


def registry_rows(**kw) -> dict:
    row = {
        "小区编码": "511423112009",
        "小区名称": "新苑小区",
        "所属镇": "洪川镇",
        "户数": "150",
        "类型": "住宅",
        "经度": "103.3721",
        "纬度": "29.9043",
        "坐标系": "GCJ02",
        "党支部成立日期": "2024-06-01",
        "物业公司": "无",
    }
    return {**row, **kw}


def table_checksums(engine: Engine, *, skip=("audit_log",)) -> dict[str, str]:
    """SHA-256 of every table's rows in primary-key order: equal checksums, unchanged database."""
    present = set(inspect(engine).get_table_names())
    out = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name not in present or table.name in skip:
                continue
            rows = conn.execute(select(table).order_by(*table.primary_key.columns)).all()
            out[table.name] = hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()
    return out


def audit_rows(engine: Engine) -> list[tuple]:
    with engine.connect() as conn:
        return conn.execute(
            select(AuditEntry.id, AuditEntry.action, AuditEntry.target, AuditEntry.detail).order_by(AuditEntry.id)
        ).all()
