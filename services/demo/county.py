"""Generating the demo county: the registry first, then the ledgers chunk by chunk."""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass, field

from sqlalchemy import Engine

from services import domain, month_reports, rollups
from services.db import refresh_statistics, write_transaction
from services.demo import states, writer
from services.demo.ledgers import build_ledgers
from services.demo.real_compounds import REAL_COMPOUNDS
from services.demo.registry import draw_behaviours, draw_registry

CHUNK_COMPOUNDS = 100  # compounds whose ledgers are built and written per transaction


@dataclass
class DemoSummary:
    """What ``generate`` wrote: rows per table, the period and how long it took."""

    compounds: int = 0
    submissions: int = 0
    activities: int = 0
    case_records: int = 0
    facility_records: int = 0
    vote_records: int = 0
    disclosures: int = 0
    seconds: float = 0.0
    start: str = ""
    end: str = ""
    states: dict = field(default_factory=dict)

    def describe(self) -> str:
        period = f"{self.start} 至 {self.end}，" if self.start else ""
        return (
            f"演示数据已生成：{period}{self.compounds:,} 个小区，月报 {self.submissions:,} 份；"
            f"活动 {self.activities:,} 条，诉求纠纷 {self.case_records:,} 条，"
            f"设施改造 {self.facility_records:,} 条，业主表决 {self.vote_records:,} 条，"
            f"财务公开 {self.disclosures:,} 条；用时 {self.seconds:.1f} 秒"
            + (
                f"；月报状态：已审核 {self.states['approved']:,}、待审核 {self.states['waiting']:,}、"
                f"填报中 {self.states['drafting']:,}、已退回 {self.states['returned']:,}，"
                f"锁定月份 {self.states['locked_months']} 个"
                if self.states
                else ""
            )
        )


def generate(
    engine: Engine,
    *,
    seed: int = 20200325,
    compounds: int = 240,
    start: str = "2020-01",
    end: str | None = None,
    today: dt.date | None = None,
) -> DemoSummary:
    """Fill an initialised database without compounds with the demo county; see ``services.demo``."""
    t0 = time.perf_counter()
    today = today or dt.date.today()
    end = end or domain.last_complete_month(today)
    period = domain.Period(start, end)  # validates both months
    if end > domain.last_complete_month(today):
        raise ValueError(f"end {end} is not a complete month before {today.isoformat()}")
    if compounds < len(REAL_COMPOUNDS):
        raise ValueError(f"compounds must be at least {len(REAL_COMPOUNDS)}")
    towns = writer.load_towns(engine)

    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets
    updated_at = dt.datetime.combine(domain.month_end(end), dt.time(18, 0))
    plans = draw_registry(rng, towns, compounds, updated_at)
    draw_behaviours(rng, plans, period.start, period.end)

    summary = DemoSummary(compounds=len(plans), start=start, end=end)
    ledger_writer = writer.LedgerWriter(engine)
    writer.insert_registry(engine, [p.row for p in plans])
    for i in range(0, len(plans), CHUNK_COMPOUNDS):
        chunk = plans[i : i + CHUNK_COMPOUNDS]
        written = ledger_writer.write(build_ledgers(p, seed=seed, start=start, end=end, today=today) for p in chunk)
        summary.submissions += written["submissions"]
        summary.activities += written["activities"]
        summary.case_records += written["case_records"]
        summary.facility_records += written["facility_records"]
        summary.vote_records += written["vote_records"]
        summary.disclosures += written["disclosures"]
    writer.reset_sequences(engine)
    rollups.rebuild(engine)  # the views read the compound × month rollup
    with write_transaction(engine) as conn:
        month_reports.mark_loaded_months_submitted(conn)  # every generated month is 已上报 …
    summary.states = states.apply_states(engine, today=today, seed=seed)  # … then each finds its state
    refresh_statistics(engine)  # a bulk load: the planner's statistics describe an empty database
    summary.seconds = time.perf_counter() - t0
    return summary
