"""No table shows a raw "None": every st.dataframe in pages/ and ui/ names the placeholder for an
empty cell (tables draw on a canvas, so this is checked in the source, not the page text)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_table_names_its_placeholder_for_empty_cells():
    missing = []
    for path in sorted([*ROOT.glob("pages/*.py"), *ROOT.glob("ui/*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "dataframe":
                names = {k.arg for k in node.keywords}
                if "placeholder" not in names and None not in names:  # **options may carry it
                    missing.append(f"{path.name}:{node.lineno}")
    assert missing == []
