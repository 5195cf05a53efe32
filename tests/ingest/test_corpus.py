"""Every bad file is rejected with the right file/row/column, and the database is unchanged
(per-table checksums; the audit log gains exactly one 'import.rejected' entry), on both backends."""

from __future__ import annotations

import json

import pytest

from services.ingest import ImportRejected, import_month, import_registry
from tests.ingest.corpus import corpus
from tests.ingest.helpers import ID_NUMBER, MOBILE, NOW, audit_rows, table_checksums

CASES = corpus()
HAZARD_CLASSES = {
    "encoding",
    "type",
    "limits",
    "layout",
    "values",
    "hostile text",
    "rules",
    "identity",
    "personal data",
}


def test_the_corpus_is_large_and_covers_every_hazard_class():
    assert len(CASES) >= 40
    assert {c.hazard for c in CASES} == HAZARD_CLASSES
    assert len({c.id for c in CASES}) == len(CASES)


def _matches(problem, spec) -> bool:
    file, sheet, row, column, code = spec
    return (file is None or problem.file == file) and (problem.sheet, problem.row, problem.column, problem.code) == (
        sheet,
        row,
        column,
        code,
    )


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_file_is_rejected_where_it_is_wrong_and_writes_nothing(shared_county, case):
    county = shared_county
    principal = {"admin": county.admin, "sec-a": county.secretary_a, "town": county.town}[case.principal]
    before, audit_before = table_checksums(county.engine), audit_rows(county.engine)
    with pytest.raises(ImportRejected) as rejected:
        if case.registry:
            import_registry(county.engine, principal=principal, files=case.files, now=NOW, limits=case.limits)
        else:
            import_month(
                county.engine, principal=principal, files=case.files, month=case.month, now=NOW, limits=case.limits
            )
    problems = rejected.value.problems
    described = [p.describe() for p in problems]
    for spec in case.expect:
        assert any(_matches(p, spec) for p in problems), (
            spec,
            [(p.file, p.sheet, p.row, p.column, p.code) for p in problems],
        )
    assert all(p.message_zh and p.hint_zh for p in problems), described
    assert table_checksums(county.engine) == before
    new_audit = audit_rows(county.engine)[len(audit_before) :]
    assert [row.action for row in new_audit] == ["import.rejected"]
    trail = json.dumps([list(map(str, r)) for r in new_audit], ensure_ascii=False) + "".join(described)
    assert MOBILE not in trail and ID_NUMBER not in trail and "110105491231002" not in trail
