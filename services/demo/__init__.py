"""The demo county: a deterministic, believable 洪雅县 with about 240 compounds.

``generate`` fills an initialised, compound-free database with a registry and monthly
ledgers (submissions, activities, cases, facility projects, owners' votes, disclosures)
from ``start`` to ``end``. Everything comes from ``random.Random`` instances derived from
``seed``; nothing depends on the clock except through ``today``. The registry is drawn
first from one generator; each compound's ledgers then come from its own generator (seeded
by the demo seed and the compound code), so the result does not depend on the chunk size.

Three real compounds of the county seat carry their published facts (see the shared
reference notes): 依云观邸, 观澜城邦 and 城隍步行街. Their other figures (households,
buildings, dates that were not published, coordinates inside the seat's core box) are
invented but plausible. Every other name (estates, communities, streets, property
companies) is generated from word lists and fictional; no person is named anywhere.

Reporting behaviour is drawn as quotas over the compounds: ~8% habitual laggards, ~3%
that stop reporting during the last two years, ~12% that have not reported the last
month yet, and 3-5 compounds (per 240) with a two-to-three-month burst of parking or noise
disputes. Nothing is dated on or after ``today``.

Rows are built in Python with their primary keys and bulk-loaded (SQLite ``executemany`` of
plain tuples, PostgreSQL ``COPY``) in one transaction per chunk of compounds, so a
province-sized run (30,000 compounds, 6 years) stays within a modest amount of memory and
time. On PostgreSQL the id sequences are moved past the inserted keys at the end.

Modules: ``county`` (``generate``), ``vocabulary`` and ``real_compounds`` (what is drawn
from), ``randomness``, ``names`` and ``registry`` (the compounds and their behaviour),
``ledgers`` (one compound's rows, a module per ledger) and ``writer`` (the database side).
"""

from __future__ import annotations

from services.demo.county import DemoSummary, generate

__all__ = ["DemoSummary", "generate"]
