"""What the benchmark measures: scales, pages, budgets (issue #7)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    """A demo database size: compounds and years of monthly ledgers (ending last complete month)."""

    name: str
    compounds: int
    years: int
    label: str


SCALES: dict[str, Scale] = {
    "county": Scale("county", 240, 6, "county 县"),
    "prefecture": Scale("prefecture", 3_000, 6, "prefecture 市"),
    "province": Scale("province", 30_000, 6, "province 省"),
    "tiny": Scale("tiny", 12, 1, "tiny (smoke test)"),  # not in the default run
}
DEFAULT_SCALES = ("county", "prefecture", "province")
DATABASES = ("sqlite", "postgresql")
DB_LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}

# Pages in navigation order, with the account that opens them: the county official sees every
# read page; the administration pages and the upload page (not open to county officials) are
# opened as the administrator.
COUNTY_PAGES = (
    "overview",
    "map",
    "alerts",
    "profile",
    "index",
    "present",
    "coverage",
    "activities",
    "cases",
    "facilities",
    "votes",
    "finance",
    "property",
    "reporting",
    "guide",
    "account",
)
ADMIN_PAGES = ("upload", "admin_users", "admin_registry", "admin_settings", "admin_audit")
PAGES: dict[str, str] = {page: "county" for page in COUNTY_PAGES} | {page: "admin" for page in ADMIN_PAGES}
# Issue #15: every read page is measured for a county official and again for a town official
# (demo-town, 洪川镇), whose figures are computed for one town.
ROLES: dict[str, tuple[str, ...]] = {page: ("county", "town") for page in COUNTY_PAGES} | {
    page: ("admin",) for page in ADMIN_PAGES
}
ACCOUNTS = {"county": "demo-county", "town": "demo-town", "admin": "demo-admin"}  # demo accounts (password linli-demo)

DEFAULT_RUNS = 3
PROVINCE_RUNS = 1  # a province page can take seconds: one run each keeps `make bench` under 45 min
SLOW_PAGE_SECONDS = 20.0  # once a page has used this much time, its remaining runs are skipped
SESSIONS_SAMPLE = 6  # logged-in sessions opened, after two warm-up ones, to measure memory per session
INGEST_ROWS = 100_000
STORM_VIEWS = 200  # page views while imports land every second (issue #15)


@dataclass(frozen=True)
class Budgets:
    """Server seconds per page (median): a cold first render and a rerun after a filter change."""

    first_render: float | None
    rerun: float | None


# Issue #15 (which replaced issue #7's county-only budgets): at every scale, for a county and a
# town official, every page's cold render within 1 s (aim 0.5 s) and every rerun within 0.25 s.
PAGE_BUDGETS: dict[str, Budgets] = {scale: Budgets(first_render=1.0, rerun=0.25) for scale in SCALES}
PAGE_AIM_SECONDS = 0.5
INGEST_BUDGET_SECONDS = 10.0
REFERENCE_RATIO = 2.0  # issue #15: the headline within 2× of DuckDB over the raw rows, measured in the same run
# Issue #15: every view during an import storm within the cold-render budget (p95), aim 0.5 s.
STORM_BUDGET_SECONDS = 1.0
SESSIONS_TARGET = 100
SESSIONS_MEMORY_BYTES = 4 * 2**30  # 100 sessions must fit in 4 GB
