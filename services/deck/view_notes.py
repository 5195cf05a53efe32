"""Notes (批注) on the deck: what officials wrote on a view travels with the slide that mirrors it.

Each slide is mapped to the page (``services.access.PAGES`` id) it shows in short; the notes of
exactly the deck's scope whose period overlaps the deck's are read with ``services.notes.notes``
and put on that slide, newest first. The writers draw the newest few in a band at the foot of the
slide, so the room and the PDF see them (``services.deck.drawing``), and the .pptx also carries
every note in full in the slide's speaker notes. Views without a slide (地图, 财务公开, 物业与包保…)
have no place in the deck and their notes stay on the page."""

from __future__ import annotations

import dataclasses
import unicodedata

from sqlalchemy import Engine

from services import notes
from services.access import ClampedScope
from services.deck.model import Slide, SlideNote
from services.domain import Period
from services.ingest.problems import china_time

SLIDE_VIEWS: dict[str, tuple[str, ...]] = {
    "headline": ("overview", "profile"),
    "coverage": ("coverage",),
    "activities": ("activities",),
    "cases": ("cases",),
    "facilities": ("facilities",),
    "votes": ("votes",),
    "reporting": ("reporting",),
    "index": ("index",),
    "alerts": ("alerts",),
    "orders": ("orders",),
}


def one_line(text: str) -> str:
    """Plain text on one line: line breaks, tabs and other control characters become single spaces."""
    spaced = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in text)
    return " ".join(spaced.split())


def read(engine: Engine, scope: ClampedScope, period: Period, view_ids: tuple[str, ...]) -> tuple[SlideNote, ...]:
    """The notes on ``view_ids`` for this scope and period, newest first."""
    found = []
    for view_id in view_ids:
        for row in notes.notes(engine, scope, view_id, period).to_dict("records"):
            found.append((row["created_at"], row["id"], row))
    found.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return tuple(
        SlideNote(
            author=one_line(row["author_name"] or row["author"] or ""),
            written=china_time(row["created_at"])[:10],
            body=one_line(row["body"]),
        )
        for _, _, row in found
    )


def attach(engine: Engine, scope: ClampedScope, period: Period, slides: list[Slide]) -> list[Slide]:
    """``slides`` with each mapped slide carrying its view's notes (the first slide of a key only)."""
    seen: set[str] = set()
    out = []
    for slide in slides:
        views = SLIDE_VIEWS.get(slide.key)
        if views and slide.key not in seen:
            seen.add(slide.key)
            found = read(engine, scope, period, views)
            if found:
                slide = dataclasses.replace(slide, view_notes=found)
        out.append(slide)
    return out
