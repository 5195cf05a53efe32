"""Where everything goes on each slide: a list of boxes, texts, charts and tables in points.

The .pptx and PDF writers only carry out this plan, so both show the same slide the same way and
the overflow rules (sizes that fit, clipped cells, limited rows) live in one place."""

from __future__ import annotations

from dataclasses import dataclass

from services.deck import layout as L
from services.deck.model import Deck, Figure, Slide
from services.i18n import t

RGB = tuple[int, int, int]
CARD_FILL: RGB = (245, 247, 250)


@dataclass(frozen=True)
class Text:
    box: L.Box
    paragraphs: tuple[str, ...]
    size: int
    bold: bool = False
    colour: RGB = L.INK
    align: str = "left"  # left / center / right
    middle: bool = False  # vertically centred (single lines only)
    title: bool = False  # the slide's title (the title placeholder in PowerPoint)


@dataclass(frozen=True)
class Rect:
    box: L.Box
    fill: RGB | None
    line: RGB | None = None


@dataclass(frozen=True)
class Picture:
    box: L.Box
    spec: dict  # Vega-Lite; fitted into the box keeping its aspect ratio


@dataclass(frozen=True)
class Grid:
    box: L.Box
    table: L.TableLayout
    numeric: tuple[bool, ...]


Item = Text | Rect | Picture | Grid


def _line(box: L.Box, text: str, *, largest: int, smallest: int, **style) -> Text:
    """One line of text at the largest size that fits ``box``, clipped if even the smallest is too wide."""
    size = largest
    while size > smallest and (L.text_width(text, size) > box.w or size * L.LINE_SPACING > box.h):
        size -= 1
    return Text(box, (L.clip(text, size, box.w),), size, middle=True, **style)


def _paragraphs(box: L.Box, lines: tuple[str, ...], *, largest: int, smallest: int, **style) -> Text:
    return Text(box, lines, L.fit_size(list(lines), box, largest=largest, smallest=smallest), **style)


def title_slide(deck: Deck, slide: Slide) -> list[Item]:
    width = L.WIDTH - 2 * L.MARGIN
    period, *facts = slide.lines
    return [
        Rect(L.Box(0, 0, L.WIDTH, 10), L.ACCENT),
        _line(L.Box(L.MARGIN, 118, width, 70), slide.title, largest=40, smallest=22, bold=True, title=True),
        _line(L.Box(L.MARGIN, 196, width, 44), period, largest=28, smallest=18, bold=True, colour=L.ACCENT),
        Rect(L.Box(L.MARGIN, 256, 120, 3), L.ACCENT),
        _paragraphs(L.Box(L.MARGIN, 280, width, 210), tuple(facts), largest=20, smallest=11, colour=L.MUTED),
    ]


def _card(box: L.Box, figure: Figure, change_label: str) -> list[Item]:
    """A figure card: label, value, and its change and note; everything scales with the card's height."""
    k = min(box.h / L.FIGURE_HEIGHT, 1.5)
    inner = L.Box(box.x + 12 * k, box.y, box.w - 24 * k, box.h)
    foot = " ".join(p for p in (f"{change_label} {figure.change}" if figure.change else None, figure.note) if p)
    items: list[Item] = [
        Rect(box, CARD_FILL, L.RULE),
        _line(
            L.Box(inner.x, box.y + 8 * k, inner.w, 22 * k),
            figure.label,
            largest=round(L.FIGURE_LABEL_SIZE * k),
            smallest=10,
            colour=L.MUTED,
        ),
        _line(
            L.Box(inner.x, box.y + 30 * k, inner.w, 42 * k),
            figure.value,
            largest=round(L.FIGURE_VALUE_SIZE * k),
            smallest=16,
            bold=True,
        ),
    ]
    if foot:
        items.append(
            _line(
                L.Box(inner.x, box.y + 72 * k, inner.w, 20 * k),
                foot,
                smallest=9,
                colour=L.MUTED,
                largest=round(L.FIGURE_NOTE_SIZE * k),
            )
        )
    return items


def _card_height(slide: Slide, per_row: int) -> float:
    """Cards grow to fill a slide that shows nothing else."""
    if slide.chart is not None or slide.table is not None or slide.lines or not slide.figures:
        return L.FIGURE_HEIGHT
    rows = L.figure_rows(len(slide.figures), per_row)
    free = L.body_below(0, note=slide.note is not None, notes=len(slide.view_notes)).h
    return min(L.FIGURE_HEIGHT * 1.5, (free - (rows - 1) * L.GAP) / rows)


def _table(box: L.Box, slide: Slide) -> Grid:
    table = slide.table
    assert table is not None
    grid = L.table_layout(table.columns, table.rows, box)
    width = sum(grid.widths)
    placed = L.Box(box.x + (box.w - width) / 2, box.y, width, grid.row_height * len(grid.cells))
    return Grid(placed, grid, table.numeric or tuple(False for _ in table.columns))


def content_slide(deck: Deck, slide: Slide, number: int, total: int) -> list[Item]:
    width = L.WIDTH - 2 * L.MARGIN
    items: list[Item] = [
        _line(
            L.Box(L.MARGIN, L.TITLE_TOP, width, L.TITLE_HEIGHT),
            slide.title,
            largest=L.TITLE_SIZE,
            smallest=20,
            bold=True,
            title=True,
        ),
        Rect(L.Box(L.MARGIN, L.RULE_Y, width, 2), L.ACCENT),
        _line(
            L.Box(L.MARGIN, L.FOOTER_Y, width * 0.75, 18),
            deck.footer,
            largest=L.FOOTER_SIZE,
            smallest=8,
            colour=L.MUTED,
        ),
        _line(
            L.Box(L.MARGIN + width * 0.75, L.FOOTER_Y, width * 0.25, 18),
            f"{number} / {total}",
            largest=L.FOOTER_SIZE,
            smallest=8,
            colour=L.MUTED,
            align="right",
        ),
    ]
    per_row = 6 if len(slide.figures) in (5, 6) else 4
    change_label = t(f"deck.change_label.{deck.compare}", deck.lang)
    boxes = L.figure_boxes(len(slide.figures), per_row=per_row, height=_card_height(slide, per_row))
    for box, figure in zip(boxes, slide.figures, strict=True):
        items.extend(_card(box, figure, change_label))
    area = L.body_below(len(slide.figures), per_row, note=slide.note is not None, notes=len(slide.view_notes))
    if slide.key == "summary":
        items.append(_paragraphs(area, slide.lines, largest=28, smallest=12))
    elif slide.lines:
        items.append(_paragraphs(area, slide.lines, largest=22, smallest=12))
    if slide.chart is not None and slide.table is not None:
        left, right = L.split(area, L.CHART_SHARE)
        items += [Picture(left, slide.chart), _table(right, slide)]
    elif slide.chart is not None:
        items.append(Picture(area, slide.chart))
    elif slide.table is not None:
        items.append(_table(area, slide))
    if slide.view_notes:
        items.extend(_notes_band(deck, slide))
    if slide.note:
        items.append(_paragraphs(L.note_box(), (slide.note,), largest=L.NOTE_SIZE, smallest=8, colour=L.MUTED))
    return items


def note_lines(deck: Deck, slide: Slide) -> list[str]:
    """What the band says: the newest notes, each on one line, and how many earlier ones there are."""
    lines = [
        t("deck.notes.line", deck.lang, author=n.author, date=n.written, body=n.body)
        for n in slide.view_notes[: L.NOTES_SHOWN]
    ]
    if len(slide.view_notes) > L.NOTES_SHOWN:
        lines.append(t("deck.notes.more", deck.lang, n=len(slide.view_notes) - L.NOTES_SHOWN))
    return lines


def _notes_band(deck: Deck, slide: Slide) -> list[Item]:
    """Notes (批注) on the slide's view in a tinted band above the footnote: visible in the room and
    in the PDF; a note too long for its line is shortened here (the .pptx speaker notes hold it all)."""
    band = L.notes_box(len(slide.view_notes), note=slide.note is not None)
    items: list[Item] = [Rect(band, L.NOTES_FILL, L.RULE)]
    height = L.NOTES_SIZE * L.LINE_SPACING
    for i, text in enumerate(note_lines(deck, slide)):
        box = L.Box(band.x + 10, band.y + L.NOTES_PAD + i * height, band.w - 20, height)
        items.append(_line(box, text, largest=L.NOTES_SIZE, smallest=L.NOTES_SIZE, colour=L.INK))
    return items


def plan(deck: Deck, index: int) -> list[Item]:
    """Everything to draw on slide ``index`` (0-based) of ``deck``."""
    slide = deck.slides[index]
    if slide.key == "title":
        return title_slide(deck, slide)
    return content_slide(deck, slide, index + 1, len(deck.slides))
