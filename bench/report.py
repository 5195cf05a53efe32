"""The benchmark's one table, the machine it ran on, and ``bench/RESULTS.md``."""

from __future__ import annotations

import datetime as dt
import os
import platform
import sqlite3
import statistics
from importlib import metadata
from pathlib import Path

from bench.config import (
    DB_LABELS,
    INGEST_BUDGET_SECONDS,
    PAGE_AIM_SECONDS,
    PAGE_BUDGETS,
    REFERENCE_RATIO,
    ROLES,
    SCALES,
    SESSIONS_MEMORY_BYTES,
    SESSIONS_TARGET,
    STORM_BUDGET_SECONDS,
)

OK, MISSED, NONE = "✓", "✗", ""
MB = 2**20


def mark(value: float | None, budget: float | None) -> str:
    if value is None or budget is None:
        return NONE
    return OK if value <= budget else MISSED


def seconds(value: float | None, budget: float | None = None) -> str:
    if value is None:
        return "—"
    text = f"{value:.2f}" if value < 10 else f"{value:.1f}" if value < 100 else f"{value:.0f}"
    sign = mark(value, budget)
    return f"{text} {sign}" if sign else text


def _phase(config: dict, name: str) -> tuple[dict | None, str | None]:
    """A phase's result, or why there is none."""
    outcome = config.get(name)
    if outcome is None:
        return None, None
    if not outcome.get("ok"):
        return None, "error"
    return outcome["result"], None


def _cell_build(config: dict) -> str:
    result, problem = _phase(config, "build")
    if not result:
        return problem or "—"
    rollups = result.get("rollups_s")
    return seconds(result["build_s"]) + ("" if rollups is None else f" ({seconds(rollups)})")


def _cell_size(config: dict) -> str:
    result, problem = _phase(config, "build")
    if not result:
        return problem or "—"
    return f"{result['compounds']:,} / {result['ledger_rows'] / 1e6:.2f} M / {result['database_bytes'] / 2**30:.2f} GB"


def _cell_ingest(config: dict) -> str:
    result, problem = _phase(config, "ingest")
    if not result:
        return problem or "—"
    return seconds(result["total"], INGEST_BUDGET_SECONDS)


def _cell_page(config: dict, key: str, scale: str, runs: int) -> str:
    result, problem = _phase(config, "pages")
    if not result or key not in result:
        return problem or "—"
    timing = result[key]
    if timing["errors"]:
        return "error"
    budget = PAGE_BUDGETS[scale]
    cell = f"{seconds(timing['first'], budget.first_render)} / {seconds(timing['rerun'], budget.rerun)}"
    return cell if timing["runs"] >= runs else f"{cell} (n={timing['runs']})"


def _cell_peak(config: dict) -> str:
    peaks = [config[p].get("peak_rss_bytes") if p in config else None for p in ("build", "pages")]
    return " / ".join("—" if p is None else f"{p / MB:,.0f}" for p in peaks)


def _cell_sessions(config: dict) -> str:
    result, problem = _phase(config, "sessions")
    if not result:
        return problem or "—"
    total = result["rss_before"] + SESSIONS_TARGET * result["per_session_bytes"]
    sign = OK if total <= SESSIONS_MEMORY_BYTES else MISSED
    return f"{result['per_session_bytes'] / MB:.1f} MB → {total / 2**30:.2f} GB {sign}"


def _cell_storm(config: dict) -> str:
    result, problem = _phase(config, "storm")
    if not result:
        return problem or "—"
    views = " · ".join(
        f"{role} {seconds(result['p50'][role])} / {seconds(result['p95'][role], STORM_BUDGET_SECONDS)}"
        for role in ("town", "county")
        if result["views"][role]
    )
    stale = f"{result['stale_views']} of {result['checked_views']} checked"
    return f"{views}; {result['imports']} imports; stale: {stale} {OK if result['stale_views'] == 0 else MISSED}"


def _cell_reference(config: dict) -> str:
    result, problem = _phase(config, "reference")
    if not result:
        return problem or "—"
    agree = "=" if result["agree"] else "≠ " + MISSED
    ratio = result["services_s"] / result["duckdb_s"] if result["duckdb_s"] else None
    within = "" if ratio is None else f" ({ratio:.1f}× {OK if ratio <= REFERENCE_RATIO else MISSED})"
    return f"{result['services_s'] * 1000:.0f} / {result['duckdb_s'] * 1000:.0f} ms{within} {agree}"


def table(results: dict[tuple[str, str], dict], *, runs: dict[str, int], pages: list[str]) -> str:
    """One markdown table: a column per scale × database, a row per measurement."""
    configs = list(results)
    head = ["", *(f"{SCALES[s].label} · {DB_LABELS[d]}" for s, d in configs)]
    rows = [
        ["compounds / ledger rows / database size", *(_cell_size(results[c]) for c in configs)],
        ["build: demo generator + rollups + accounts (rollups alone), s", *(_cell_build(results[c]) for c in configs)],
        [
            f"ingest: 100,000-row ledger file (s, ≤ {INGEST_BUDGET_SECONDS:g})",
            *(_cell_ingest(results[c]) for c in configs),
        ],
    ]
    for page in pages:
        for role in ROLES[page]:
            key = f"{page}@{role}"
            rows.append(
                [
                    f"page `{page}` ({role}): first / rerun (s)",
                    *(_cell_page(results[c], key, c[0], runs[c[0]]) for c in configs),
                ]
            )
    rows += [
        ["peak memory: build / pages process (MB)", *(_cell_peak(results[c]) for c in configs)],
        [f"memory per session → {SESSIONS_TARGET} sessions (≤ 4 GB)", *(_cell_sessions(results[c]) for c in configs)],
        [
            f"county headline, last 12 months: services / DuckDB (ms; ≤ {REFERENCE_RATIO:g}×)",
            *(_cell_reference(results[c]) for c in configs),
        ],
        [
            f"import storm: views p50 / p95 (s, p95 ≤ {STORM_BUDGET_SECONDS:g}) by town and county officials",
            *(_cell_storm(results[c]) for c in configs),
        ],
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def legend(runs: dict[str, int]) -> str:
    budget = PAGE_BUDGETS["province"]
    counts = ", ".join(f"{n} at {scale}" for scale, n in runs.items())
    return "\n\n".join(
        [
            f"Pages: server seconds of `AppTest.run()`, median of the runs per page ({counts}; fewer where a "
            "page had used its time allowance: shown as n=…). "
            "First = the page opened with every `st.cache_data` cleared: by the county official (demo-county) "
            "for the whole county, by the town official (demo-town) for 洪川镇; rerun = then a filter "
            "changed: the county official picks another town, the town official a 12-month period "
            "(profile page: both a 12-month period).",
            f"Budgets ({OK} met, {MISSED} missed), issue #15, at every scale and for both officials: first "
            f"render ≤ {budget.first_render:g} s (aim {PAGE_AIM_SECONDS:g} s), rerun ≤ {budget.rerun:g} s; "
            f"ingest ≤ 10 s; resident memory of the process plus {SESSIONS_TARGET} sessions ≤ 4 GB.",
            "Memory per session: RSS growth per extra logged-in county official (each a distinct account; "
            "cached figures are shared, keyed by the clamped scope) seeing the overview; an upper bound, "
            "as each AppTest also keeps the elements it read back.",
            "Import storm: a child process imports a 20-row activities ledger every second into a random "
            "compound of the province whose newest month is open; meanwhile logged-in town officials (3 in 4, "
            "random town) and county officials open random pages of that month; stale = a town official's "
            "overview whose 开展活动 differs from the services' figure computed right after it, no import having "
            "landed in that town since the view began (must be 0).",
            "Headline: activities, participants, cases received and resolved, closure rate — from "
            "`services.metrics` (rollups) and from DuckDB over the raw ledger rows copied into pandas "
            "(copy not timed); = means both answers agree.",
        ]
    )


def problems(results: dict[tuple[str, str], dict]) -> list[str]:
    """Every failed phase and every page that showed an error, with the message."""
    lines = []
    for (scale, db), config in results.items():
        where = f"{SCALES[scale].label} · {DB_LABELS[db]}"
        for phase, outcome in config.items():
            if not outcome.get("ok"):
                lines.append(f"{where}, {phase}: {_one_line(outcome.get('error'))}")
            elif phase == "pages":
                failed = [(page, t["errors"][0]) for page, t in outcome["result"].items() if t["errors"]]
                lines += [f"{where}, page `{page}`: {_one_line(error)}" for page, error in failed]
    return lines


def _one_line(message: object) -> str:
    return " ".join(str(message).split()).replace("|", "/")[:300]


def _first_line(path: str, prefix: str) -> str | None:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(prefix):
                return line.split(":", 1)[1].strip() if ":" in line else line.split("=", 1)[1].strip('"')
    except OSError:
        return None
    return None


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine(pg_version: str | None) -> list[str]:
    """The machine and software the numbers come from."""
    mem_kib = _first_line("/proc/meminfo", "MemTotal")
    ram = f"{int(mem_kib.split()[0]) / 2**20:.1f} GiB" if mem_kib else "unknown"
    os_name = _first_line("/etc/os-release", "PRETTY_NAME=") or platform.system()
    return [
        f"- CPU: {_first_line('/proc/cpuinfo', 'model name') or platform.processor()}, {os.cpu_count()} cores",
        f"- RAM: {ram}",
        f"- OS: {os_name}, kernel {platform.release()}",
        f"- Python {platform.python_version()}; SQLite {sqlite3.sqlite_version}; PostgreSQL {pg_version or '—'}",
        f"- Streamlit {_version('streamlit')}, SQLAlchemy {_version('sqlalchemy')}, psycopg {_version('psycopg')}, "
        f"pandas {_version('pandas')}, DuckDB {_version('duckdb')}",
    ]


def load_note(loads: list[float]) -> str:
    cores = os.cpu_count() or 1
    if not loads:
        return ""
    top, middle = max(loads), statistics.median(loads)
    text = (
        f"1-minute load average during the run (sampled every 15 s): median {middle:.1f}, "
        f"from {min(loads):.1f} to {top:.1f}, on {cores} cores."
    )
    if top > cores:
        text += (
            " The machine was shared with other work during the run (load above the core count), so "
            "these times are pessimistic; the benchmark itself runs one process at a time."
        )
    return text


def results_markdown(
    *, body: str, command: str, started: dt.datetime, minutes: float, pg_version: str | None, notes: list[str]
) -> str:
    lines = [
        "# Benchmark results (issues #7 and #15)",
        "",
        f"Run on {started:%Y-%m-%d %H:%M} UTC, {minutes:.0f} minutes, with:",
        "",
        "```sh",
        command,
        "```",
        "",
        "## Machine",
        "",
        *machine(pg_version),
        "",
        "## Results",
        "",
        body,
        "",
    ]
    if notes:
        lines += ["## Notes", "", *(f"- {n}" for n in notes if n), ""]
    return "\n".join(lines)
