"""Page registry: file, title, icon and section of each page; which roles see it lives in
``services.auth.PAGE_ACCESS``. Only the pages a principal may open are registered."""

from __future__ import annotations

import streamlit as st

from services.auth import PAGE_ACCESS, Principal, pages_for
from ui.context import tr

PAGES = {  # page id: (script, icon, section key)
    "overview": ("pages/overview.py", ":material/dashboard:", "section.overview"),
    "map": ("pages/map.py", ":material/map:", "section.overview"),
    "coverage": ("pages/coverage.py", ":material/groups:", "section.themes"),
    "activities": ("pages/activities.py", ":material/volunteer_activism:", "section.themes"),
    "cases": ("pages/cases.py", ":material/forum:", "section.themes"),
    "alerts": ("pages/alerts.py", ":material/notification_important:", "section.overview"),
    "profile": ("pages/profile.py", ":material/home_work:", "section.overview"),
    "index": ("pages/index.py", ":material/leaderboard:", "section.overview"),
    "present": ("pages/present.py", ":material/co_present:", "section.overview"),
    "facilities": ("pages/facilities.py", ":material/construction:", "section.themes"),
    "votes": ("pages/votes.py", ":material/how_to_vote:", "section.themes"),
    "finance": ("pages/finance.py", ":material/account_balance_wallet:", "section.themes"),
    "property": ("pages/property.py", ":material/handshake:", "section.themes"),
    "upload": ("pages/upload.py", ":material/upload_file:", "section.data"),
    "reporting": ("pages/reporting.py", ":material/fact_check:", "section.data"),
    "guide": ("pages/guide.py", ":material/menu_book:", "section.data"),
    "admin_users": ("pages/admin_users.py", ":material/group:", "section.admin"),
    "admin_registry": ("pages/admin_registry.py", ":material/apartment:", "section.admin"),
    "admin_settings": ("pages/admin_settings.py", ":material/settings:", "section.admin"),
    "admin_audit": ("pages/admin_audit.py", ":material/history:", "section.admin"),
    "account": ("pages/account.py", ":material/person:", "section.admin"),
}
SECTION_ORDER = ("section.overview", "section.themes", "section.data", "section.admin")

assert set(PAGES) == set(PAGE_ACCESS), "every page needs an access rule and vice versa"


def navigation_for(principal: Principal) -> dict[str, list]:
    sections: dict[str, list] = {}
    allowed = pages_for(principal)
    for page_id, (script, icon, section) in PAGES.items():
        if page_id not in allowed:
            continue
        sections.setdefault(section, []).append(
            st.Page(script, title=tr(f"page.{page_id}"), icon=icon, url_path=page_id, default=page_id == "overview")
        )
    return {tr(key): sections[key] for key in SECTION_ORDER if key in sections}
