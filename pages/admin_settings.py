"""系统设置: reporting deadline and alert thresholds (validated and audited in services)."""

import streamlit as st

from services import settings_store
from services.auth import PermissionDenied
from services.formatting import md_escape
from ui.context import current_principal, engine, settings, tr

actor = current_principal()
st.title(tr("settings.title"))
current = settings_store.all_values(engine())
current["report_deadline_day"] = settings_store.get(engine(), "report_deadline_day",
                                                    fallback=settings().report_deadline_day)  # fmt: skip
with st.form("settings"):
    chosen = {key: st.number_input(tr(f"settings.{key}"), value=int(value), step=1) for key, value in current.items()}
    if st.form_submit_button(tr("settings.save"), type="primary"):
        try:
            for key, value in chosen.items():
                if value != current[key]:
                    settings_store.set_value(engine(), actor, key, int(value))
            st.success(tr("settings.saved"))
        except (ValueError, PermissionDenied) as exc:
            st.error(md_escape(str(exc)))
