"""填报说明: every ledger column, its meaning, allowed values and an example — from the same
contract the importer enforces, so what secretaries read is what the importer checks."""

import pandas as pd
import streamlit as st

from services.ingest import column_docs
from ui.context import tr

st.title(tr("guide.title"))
st.write(tr("guide.intro"))
st.info(tr("guide.values"))

for ledger in column_docs():
    with st.expander(ledger["ledger"], expanded=False):
        st.write(ledger["description"])
        if ledger["administrators_only"]:
            st.caption(tr("guide.admin_only"))
        if ledger["updates_by"]:
            st.caption(tr("guide.updates_by", column=ledger["updates_by"]))
        table = pd.DataFrame(
            [
                (
                    col["header"] + (" *" if col["required"] else ""),
                    col["type_zh"],
                    col["meaning"],
                    " / ".join(col["allowed"]),
                    col["example"],
                    ", ".join(col["aliases"]),
                )
                for col in ledger["columns"]
            ],
            columns=[tr(f"guide.{k}") for k in ("header", "type", "meaning", "allowed", "example", "aliases")],
        )
        st.dataframe(table, hide_index=True, placeholder="—")
