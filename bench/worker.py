"""The subprocess entry point: ``python -m bench.worker PHASE URL OUT [key=value …]``.

Runs one phase against one database and writes its result, with the process's peak resident
memory (``ru_maxrss``), as JSON to OUT. A fresh process per phase keeps each peak its own."""

from __future__ import annotations

import json
import resource
import sys
import time
import traceback
from pathlib import Path


def _phase(name: str):
    if name == "build":
        from bench.build import build

        return build
    if name == "ingest":
        from bench.build import ingest

        return ingest
    if name == "pages":
        from bench.pages import time_pages

        return time_pages
    if name == "sessions":
        from bench.pages import session_memory

        return session_memory
    if name == "storm":
        from bench.storm import storm

        return storm
    if name == "reference":
        from bench.reference import reference

        return reference
    raise SystemExit(f"unknown phase {name!r}")


def _value(text: str):
    if "," in text or text.startswith("["):
        return [v for v in text.strip("[]").split(",") if v]
    try:
        return int(text)
    except ValueError:
        return text


def main(argv: list[str]) -> int:
    phase, url, out = argv[0], argv[1], Path(argv[2])
    kwargs = {k: _value(v) for k, v in (a.split("=", 1) for a in argv[3:])}
    t0 = time.perf_counter()
    try:
        result = {"ok": True, "result": _phase(phase)(url, **kwargs)}
    except Exception as exc:  # noqa: BLE001 - reported in the table, the run goes on
        traceback.print_exc()
        result = {"ok": False, "error": f"{exc.__class__.__name__}: {exc}"[:300]}
    result["seconds"] = time.perf_counter() - t0
    result["peak_rss_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    out.write_text(json.dumps(result, ensure_ascii=False, default=str))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
