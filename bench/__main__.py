"""``python -m bench``: build, measure and report (see ``bench/__init__.py``)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from bench import report
from bench.config import (
    DATABASES,
    DB_LABELS,
    DEFAULT_RUNS,
    DEFAULT_SCALES,
    INGEST_ROWS,
    PAGES,
    PROVINCE_RUNS,
    SCALES,
    SESSIONS_SAMPLE,
    STORM_VIEWS,
)
from bench.databases import PG_ADMIN_URL, database

ROOT = Path(__file__).resolve().parents[1]
PHASES = ("build", "pages", "sessions", "reference", "storm", "ingest")  # the 100k-row ingest last: it swells a town
LOAD_SAMPLE_SECONDS = 15


def _names(text_value: str, known, what: str) -> list[str]:
    names = [n.strip() for n in text_value.split(",") if n.strip()]
    unknown = [n for n in names if n not in known]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"unknown {what}: {', '.join(unknown) or '(none)'}; known: {', '.join(known)}")
    return names


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description="Issue #7's benchmark: one table, all scales.")
    p.add_argument(
        "--scales",
        type=lambda v: _names(v, SCALES, "scale"),
        default=list(DEFAULT_SCALES),
        help=f"comma-separated, from {', '.join(SCALES)} (default: {','.join(DEFAULT_SCALES)})",
    )
    p.add_argument(
        "--dbs",
        type=lambda v: _names(v, DATABASES, "database"),
        default=list(DATABASES),
        help="comma-separated: sqlite,postgresql (default: both)",
    )
    p.add_argument("--runs", type=int, default=DEFAULT_RUNS, help="runs per page; the median is shown (default: 3)")
    p.add_argument(
        "--province-runs",
        type=int,
        default=PROVINCE_RUNS,
        help=f"runs per page at province scale (default: {PROVINCE_RUNS})",
    )
    p.add_argument(
        "--pages",
        type=lambda v: _names(v, PAGES, "page"),
        default=list(PAGES),
        help="comma-separated page ids (default: every page)",
    )
    p.add_argument(
        "--phases",
        type=lambda v: _names(v, PHASES, "phase"),
        default=list(PHASES),
        help=f"comma-separated, from {', '.join(PHASES)} (default: all; build is always run)",
    )
    p.add_argument("--sessions", type=int, default=SESSIONS_SAMPLE, help="sessions opened to measure memory")
    p.add_argument("--storm-views", type=int, default=STORM_VIEWS, help="page views during the import storm")
    p.add_argument("--ingest-rows", type=int, default=INGEST_ROWS, help="rows in the timed upload")
    p.add_argument("--out", type=Path, default=None, help="write the results (markdown) here, e.g. bench/RESULTS.md")
    p.add_argument("--json", type=Path, default=None, help="also write the raw measurements as JSON")
    p.add_argument("--workdir", type=Path, default=None, help="SQLite files and logs (default: a temporary folder)")
    p.add_argument("--note", action="append", default=[], help="a note for the results file (repeatable)")
    args = p.parse_args(argv)
    if min(args.runs, args.province_runs, args.sessions, args.ingest_rows, args.storm_views) < 1:
        p.error("--runs, --province-runs, --sessions and --ingest-rows must be at least 1")
    return args


class Run:
    """One benchmark run: the configurations measured so far, and the load seen between phases."""

    def __init__(self, args: argparse.Namespace, workdir: Path) -> None:
        self.args, self.workdir = args, workdir
        self.results: dict[tuple[str, str], dict] = {}
        self.loads: list[float] = []
        self._done = threading.Event()
        threading.Thread(target=self._sample_load, daemon=True).start()

    def _sample_load(self) -> None:
        """The machine is shared: the 1-minute load average every 15 s tells how busy it was."""
        while not self._done.is_set():
            self.loads.append(os.getloadavg()[0])
            self._done.wait(LOAD_SAMPLE_SECONDS)

    def finish(self) -> None:
        self._done.set()

    def runs(self, scale: str) -> int:
        return self.args.province_runs if scale == "province" else self.args.runs

    def phase_args(self, phase: str, scale: str) -> list[str]:
        a, s = self.args, SCALES[scale]
        return {
            "build": [f"compounds={s.compounds}", f"years={s.years}"],
            "pages": [f"pages={','.join(a.pages)},", f"runs={self.runs(scale)}"],
            "sessions": [f"sessions={a.sessions}"],
            "reference": [f"runs={self.runs(scale)}"],
            "ingest": [f"rows={a.ingest_rows}"],
            "storm": [f"views={a.storm_views}"],
        }[phase]

    def worker(self, phase: str, url: str, label: str, scale: str) -> dict:
        """Run one phase in a fresh interpreter; its output goes to a log file in the work folder."""
        out = self.workdir / f"{label}-{phase}.json"
        log = self.workdir / f"{label}-{phase}.log"
        cmd = [sys.executable, "-m", "bench.worker", phase, url, str(out), *self.phase_args(phase, scale)]
        env = os.environ | {"PYTHONPATH": str(ROOT), "STREAMLIT_LOGGER_LEVEL": "error"}
        out.unlink(missing_ok=True)
        t0 = time.perf_counter()
        with log.open("w") as stream:
            subprocess.run(cmd, cwd=ROOT, env=env, stdout=stream, stderr=subprocess.STDOUT, check=False)  # noqa: S603
        if not out.exists():
            return {"ok": False, "error": f"worker died; see {log}", "seconds": time.perf_counter() - t0}
        return json.loads(out.read_text())

    def configuration(self, scale: str, db: str) -> None:
        label = f"{scale}-{db}"
        config: dict = {}
        self.results[(scale, db)] = config
        with database(db, self.workdir, scale) as url:
            for phase in ("build", *(p for p in PHASES if p != "build" and p in self.args.phases)):
                outcome = self.worker(phase, url, label, scale)
                config[phase] = outcome
                status = "ok" if outcome.get("ok") else f"FAILED: {outcome.get('error')}"
                peak = outcome.get("peak_rss_bytes", 0) / 2**20
                print(
                    f"[{SCALES[scale].label} · {DB_LABELS[db]}] {phase}: {outcome['seconds']:.1f} s, "
                    f"peak {peak:,.0f} MB, {status}",
                    file=sys.stderr,
                    flush=True,
                )
                if phase == "build" and not outcome.get("ok"):
                    return


def postgres_version() -> str | None:
    try:
        engine = create_engine(PG_ADMIN_URL)
        with engine.connect() as conn:
            version = conn.execute(text("SHOW server_version")).scalar_one()
        engine.dispose()
        return str(version)
    except Exception:  # noqa: BLE001 - the description says it was not reachable
        return None


def command_line(argv: list[str]) -> str:
    via = "make bench  # " if os.environ.get("MAKELEVEL") else ""
    return f"{via}.venv/bin/python -m bench {' '.join(argv)}".rstrip()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    started = dt.datetime.now(dt.UTC)
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="linli-bench-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        run = Run(args, workdir)
        for scale in args.scales:
            for db in args.dbs:
                run.configuration(scale, db)
        run.finish()
    pages = args.pages if "pages" in args.phases else []
    runs = {scale: run.runs(scale) for scale in args.scales}
    body = report.table(run.results, runs=runs, pages=pages) + "\n\n" + report.legend(runs)
    problems = report.problems(run.results)
    if problems:
        body += "\n\nFailures:\n\n" + "\n".join(f"- {line}" for line in problems)
    print(body)
    if args.json:
        raw = {f"{s}/{d}": v for (s, d), v in run.results.items()}
        args.json.write_text(json.dumps(raw, ensure_ascii=False, indent=1, default=str))
    if args.out:
        notes = [report.load_note(run.loads), *args.note]
        args.out.write_text(
            report.results_markdown(
                body=body,
                command=command_line(argv),
                started=started,
                minutes=(time.perf_counter() - t0) / 60,
                pg_version=postgres_version() if "postgresql" in args.dbs else None,
                notes=notes,
            )
        )
        print(f"\nwritten to {args.out}", file=sys.stderr)
    failed = [k for k, v in run.results.items() if any(not p.get("ok") for p in v.values())]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
