"""用户管理: list, create, disable, unlock, reset; bulk-create secretaries (rules in services.accounts)."""

import streamlit as st

from services import accounts, exports
from services.access import PermissionDenied
from services.domain import ROLES
from services.formatting import md_escape
from ui.context import current_principal, engine, tr
from ui.data import cached_towns

actor = current_principal()
st.title(tr("users.title"))

st.subheader(tr("users.list"))
users = accounts.list_users(engine(), actor)
st.dataframe(users, hide_index=True, placeholder="—")

left, right = st.columns(2)
with left, st.form("create_user", clear_on_submit=True):
    st.subheader(tr("users.create"))
    username = st.text_input(tr("users.username"))
    display_name = st.text_input(tr("users.display_name"))
    work_phone = st.text_input(tr("users.work_phone"))
    role = st.selectbox(tr("users.role"), ROLES, format_func=lambda r: tr(f"role.{r}"), placeholder=tr("ui.choose"))
    towns = cached_towns()
    town = st.selectbox(tr("users.town"), ["", *towns["name"]], placeholder=tr("ui.choose"))
    compound_code = st.text_input(tr("users.compound_code"))
    if st.form_submit_button(tr("users.create_submit"), type="primary"):
        try:
            otp = accounts.create_user(
                engine(),
                actor,
                username=username,
                display_name=display_name or username,
                role=role,
                town=town or None,
                compound_code=compound_code.strip() or None,
                work_phone=work_phone,
            )
            st.success(tr("users.created", username=username.strip().lower(), password=otp))
        except (ValueError, PermissionDenied) as exc:
            st.error(md_escape(str(exc)))

with right:
    st.subheader(tr("users.act_on"))
    target = st.selectbox(
        tr("users.act_on"),
        users["username"] if not users.empty else [],
        label_visibility="collapsed",
        placeholder=tr("ui.choose"),
    )
    buttons = st.columns(4)
    try:
        if buttons[0].button(tr("users.disable"), disabled=not target):
            accounts.set_disabled(engine(), actor, target, True)
            st.success(tr("users.done", action=tr("users.disable"), username=target))
        if buttons[1].button(tr("users.enable"), disabled=not target):
            accounts.set_disabled(engine(), actor, target, False)
            st.success(tr("users.done", action=tr("users.enable"), username=target))
        if buttons[2].button(tr("users.unlock"), disabled=not target):
            accounts.unlock(engine(), actor, target)
            st.success(tr("users.done", action=tr("users.unlock"), username=target))
        if buttons[3].button(tr("users.reset"), disabled=not target):
            st.success(
                tr("users.reset_done", username=target, password=accounts.reset_password(engine(), actor, target))
            )
    except (ValueError, PermissionDenied) as exc:
        st.error(md_escape(str(exc)))

    st.subheader(tr("users.bulk"))
    bulk_town = st.selectbox(
        tr("users.bulk_town"),
        ["", *towns["code"]],
        format_func=lambda c: dict(zip(towns["code"], towns["name"], strict=True)).get(c, tr("filter.all_towns")),
        placeholder=tr("ui.choose"),
    )
    if st.button(tr("users.bulk_submit")):
        created = accounts.bulk_create_secretaries(engine(), actor, town_code=bulk_town or None)
        st.success(tr("users.bulk_done", n=len(created)))
        st.download_button(
            tr("users.bulk_download"), exports.csv_bytes(created), "one-time-passwords.csv", mime="text/csv"
        )
