"""Navigation built from ``services.access.PAGES``: only the pages a principal may open are
registered, so a page a role may not see cannot be reached by URL either."""

from __future__ import annotations

import streamlit as st

from services import settings_store
from services.access import Principal, home_page, pages_for
from ui.context import engine, tr
from ui.data import cached_inbox_count

SECTION_ORDER = ("section.overview", "section.themes", "section.data", "section.admin")


def navigation_for(principal: Principal) -> dict[str, list]:
    sections: dict[str, list] = {}
    home = home_page(principal).id
    switches = settings_store.switches_on(engine())  # e.g. 数据上报 for town officials' batch import
    for page in pages_for(principal, switches):
        title = tr(f"page.{page.id}")
        if page.id == "inbox" and (waiting := cached_inbox_count()):
            title = f"{title}（{waiting}）"  # the inbox's count in the sidebar
        sections.setdefault(page.section, []).append(
            st.Page(page.script, title=title, icon=page.icon, url_path=page.id, default=page.id == home)
        )
    return {tr(key): sections[key] for key in SECTION_ORDER if key in sections}
