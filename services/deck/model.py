"""The deck as plain data: what each slide says, independent of how it is drawn.

The page, the .pptx writer and the PDF writer all read these objects, so the three show the
same titles and the same formatted figures."""

from __future__ import annotations

from dataclasses import dataclass, field

from services.domain import Period


@dataclass(frozen=True)
class Figure:
    """One headline number on a slide, already formatted, with its change and an optional note."""

    key: str
    label: str
    value: str
    change: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...] = ()  # right-aligned columns
    note: str | None = None


@dataclass(frozen=True)
class SlideNote:
    """A note (批注) written on the view a slide mirrors: its author, Beijing date and plain text
    (on one line: the writers draw it as text, never as markup)."""

    author: str
    written: str
    body: str


@dataclass(frozen=True)
class Slide:
    key: str
    title: str
    lines: tuple[str, ...] = ()  # paragraphs: the title slide's facts, the summary's sentences
    figures: tuple[Figure, ...] = ()
    chart: dict | None = None  # a Vega-Lite spec (rendered to PNG for the exports)
    table: Table | None = None
    note: str | None = None  # a footnote: rules, row limits
    view_notes: tuple[SlideNote, ...] = ()  # 批注 on the view this slide mirrors, newest first


@dataclass(frozen=True)
class NarrativeFigure:
    """A number used in the summary text: its metric key, raw value and the text printed."""

    key: str
    value: float | None
    text: str


@dataclass(frozen=True)
class Narrative:
    sentences: tuple[str, ...]
    figures: tuple[NarrativeFigure, ...]

    @property
    def text(self) -> str:
        return "".join(self.sentences).strip()


@dataclass(frozen=True)
class Deck:
    title: str
    scope_label: str
    period: Period
    period_kind: str  # month / quarter / year / custom
    period_label: str
    compare: str  # previous / year
    comparison: Period
    as_of: str | None  # Beijing time of the latest report in scope
    generated_at: str  # Beijing time
    lang: str
    file_stem: str
    narrative: Narrative
    slides: tuple[Slide, ...] = field(default_factory=tuple)

    @property
    def footer(self) -> str:
        return f"{self.scope_label} · {self.period_label}"
