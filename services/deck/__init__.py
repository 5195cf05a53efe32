"""Review-meeting decks: the slides as data (``content``), a Chinese summary (``narrative``),
and writers for PowerPoint (``pptx``) and PDF (``pdf``). No streamlit here."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, select

from services import settings_store
from services.access import PermissionDenied, Principal, clamp
from services.deck.model import Deck, Figure, Narrative, NarrativeFigure, Slide, SlideNote, Table
from services.domain import Period, Scope

__all__ = [
    "Deck",
    "Figure",
    "Narrative",
    "NarrativeFigure",
    "Slide",
    "SlideNote",
    "Table",
    "build_deck",
    "build_title",
    "file_name",
    "render",
]


def build_deck(
    engine: Engine,
    principal: Principal,
    scope: Scope,
    period: Period,
    compare: str = "previous",
    *,
    lang: str = "zh",
    deadline_day: int | None = None,
    now: dt.datetime | None = None,
) -> Deck:
    """The deck for what ``principal`` may read of ``scope``; a compound outside their town is refused."""
    from services.deck import content

    effective = _readable(engine, principal, scope)
    day = settings_store.deadline_day(engine) if deadline_day is None else deadline_day
    return content.build(engine, effective, period, compare=compare, lang=lang, deadline_day=day, now=now)


def build_title(
    engine: Engine,
    principal: Principal,
    scope: Scope,
    period: Period,
    compare: str = "previous",
    *,
    lang: str = "zh",
    deadline_day: int | None = None,
    now: dt.datetime | None = None,
) -> tuple[str, Slide]:
    """The scope's name and the title slide of ``build_deck``'s deck, without building the rest."""
    from services.deck import content

    effective = _readable(engine, principal, scope)
    day = settings_store.deadline_day(engine) if deadline_day is None else deadline_day
    return content.title(engine, effective, period, compare=compare, lang=lang, deadline_day=day, now=now)


def _readable(engine: Engine, principal: Principal, scope: Scope):
    from services.models import Compound

    effective = clamp(principal, scope)
    if effective.compound_id is not None and effective.town_code is not None:
        with engine.connect() as conn:
            town = conn.execute(select(Compound.town_code).where(Compound.id == effective.compound_id)).scalar()
        if town != effective.town_code:
            raise PermissionDenied("无权查看该小区。")
    return effective


def file_name(deck: Deck, fmt: str) -> str:
    """e.g. 洪雅县_2025Q1_汇报.pptx"""
    return f"{deck.file_stem}.{fmt}"


def render(deck: Deck, fmt: str) -> bytes:
    """The deck as .pptx or .pdf bytes."""
    if fmt == "pptx":
        from services.deck.pptx import write_pptx

        return write_pptx(deck)
    if fmt == "pdf":
        from services.deck.pdf import write_pdf

        return write_pdf(deck)
    raise ValueError(f"format must be pptx or pdf, not {fmt!r}")
