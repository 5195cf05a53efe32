"""Issue #7's benchmark: the demo generator at three scales, on SQLite and PostgreSQL, measured.

``python -m bench`` (or ``make bench``) builds one database per scale × database, then measures
it in fresh subprocesses, so each configuration's peak memory is its own:

- ``build``: the demo generator (registry, ledgers, rollups) and the post-load housekeeping;
- ``pages``: every page a county official (and an administrator, for the admin pages) can
  open, driven headless by Streamlit's ``AppTest``: first render with cold caches and a rerun
  after changing a filter, median of several runs;
- ``sessions``: how much a logged-in session adds to the server process;
- ``reference``: the county headline answered by ``services.metrics`` and by DuckDB over the
  raw ledger rows, with both answers compared;
- ``ingest``: one 100,000-row ledger file through the real import pipeline
  (``bench.ingest_speed``).

Modules: ``config`` (scales, pages, budgets), ``databases`` (throwaway databases),
``phases`` (what each subprocess measures), ``worker`` (the subprocess entry point),
``report`` (the table, the machine description and ``RESULTS.md``) and ``__main__`` (the
command line and the run). Nothing here is imported by the app or the test suite's timing:
the smoke test only checks the table's shape.
"""
