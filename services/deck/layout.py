"""Slide geometry in points (16:9, 960 × 540) and the text-fitting rules both writers follow.

Text sizes are chosen here from a conservative width estimate (a CJK character is one em wide,
anything else at most 0.6 em), so a text that fits here fits in PowerPoint, WPS and the PDF."""

from __future__ import annotations

import math
from dataclasses import dataclass

WIDTH, HEIGHT = 960.0, 540.0
MARGIN = 36.0
TITLE_TOP, TITLE_HEIGHT = 22.0, 50.0
RULE_Y = 78.0
BODY_TOP, BODY_BOTTOM = 92.0, 496.0
FOOTER_Y = 508.0
GAP = 12.0
CHART_SHARE = 0.55  # a chart beside a table takes this share of the width

TITLE_SIZE = 30
FIGURE_LABEL_SIZE, FIGURE_VALUE_SIZE, FIGURE_NOTE_SIZE = 15, 32, 13
FIGURE_HEIGHT = 98.0
FOOTER_SIZE = 11
NOTE_SIZE = 12
TABLE_MAX_SIZE, TABLE_MIN_SIZE = 20, 11
CLIP_BELOW = 14  # tables shrink to this size before cells are shortened
LINE_SPACING = 1.3
NOTES_SIZE = 11  # the band of notes (批注) at the foot of a slide
NOTES_SHOWN = 3  # newest notes in the band, one line each; the .pptx speaker notes hold all in full
NOTES_PAD = 5.0

INK = (33, 33, 33)
MUTED = (96, 96, 96)
ACCENT = (0, 114, 178)  # Okabe–Ito blue, as in the dashboard's charts
HEADER_FILL = (0, 114, 178)
STRIPE_FILL = (238, 243, 248)
RULE = (200, 200, 200)
NOTES_FILL = (255, 248, 225)


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float


def char_width(ch: str) -> float:
    """Width of one character in em (an upper bound for Noto Sans CJK, YaHei and similar)."""
    return 1.0 if ord(ch) >= 0x2E80 or ch in "…—“”‘’·、，。；：（）" else 0.6


def text_width(text: str, size: float) -> float:
    return sum(char_width(ch) for ch in text) * size


def line_count(text: str, size: float, width: float) -> int:
    """Lines ``text`` needs at ``size`` in a box ``width`` wide (paragraphs split on newlines)."""
    usable = width * 0.94  # wrapping at word boundaries wastes some of the line
    return sum(max(1, math.ceil(text_width(part, size) / usable)) for part in text.split("\n"))


def fit_size(paragraphs: list[str], box: Box, *, largest: int, smallest: int, gap_lines: float = 0.5) -> int:
    """The largest font size (pt) at which ``paragraphs`` fit in ``box``, never below ``smallest``."""
    for size in range(largest, smallest - 1, -1):
        lines = sum(line_count(p, size, box.w) for p in paragraphs) + gap_lines * max(len(paragraphs) - 1, 0)
        if lines * size * LINE_SPACING <= box.h:
            return size
    return smallest


def clip(text: str, size: float, width: float) -> str:
    """``text`` shortened with an ellipsis so that it fits on one line ``width`` wide."""
    if text_width(text, size) <= width:
        return text
    out = ""
    for ch in text:
        if text_width(out + ch + "…", size) > width:
            break
        out += ch
    return out + "…"


def figure_boxes(count: int, top: float = BODY_TOP, per_row: int = 4, height: float = FIGURE_HEIGHT) -> list[Box]:
    """Cards for ``count`` figures, ``per_row`` to a row, full width."""
    boxes = []
    columns = min(per_row, max(count, 1))
    width = (WIDTH - 2 * MARGIN - (columns - 1) * GAP) / columns
    for i in range(count):
        row, col = divmod(i, columns)
        boxes.append(Box(MARGIN + col * (width + GAP), top + row * (height + GAP), width, height))
    return boxes


def figure_rows(count: int, per_row: int = 4) -> int:
    return math.ceil(count / per_row) if count else 0


def notes_lines(count: int) -> int:
    """Lines of the notes band: the newest ``NOTES_SHOWN`` notes and one saying how many more."""
    return min(count, NOTES_SHOWN) + (count > NOTES_SHOWN)


def notes_height(count: int) -> float:
    return notes_lines(count) * NOTES_SIZE * LINE_SPACING + 2 * NOTES_PAD if count else 0.0


def notes_box(count: int, *, note: bool = False) -> Box:
    """The band for ``count`` notes, above the footnote (if any)."""
    bottom = BODY_BOTTOM - (NOTE_SIZE * 2.6 + GAP if note else 0)
    height = notes_height(count)
    return Box(MARGIN, bottom - height, WIDTH - 2 * MARGIN, height)


def body_below(figure_count: int, per_row: int = 4, *, note: bool = False, notes: int = 0) -> Box:
    """The free area under the figure cards (minus a line for the footnote and the notes band)."""
    rows = figure_rows(figure_count, per_row)
    top = BODY_TOP + rows * (FIGURE_HEIGHT + GAP)
    bottom = BODY_BOTTOM - (NOTE_SIZE * 2.6 + GAP if note else 0) - (notes_height(notes) + GAP if notes else 0)
    return Box(MARGIN, top, WIDTH - 2 * MARGIN, bottom - top)


def split(box: Box, share: float) -> tuple[Box, Box]:
    """Left and right parts of ``box``; the left takes ``share`` of the width."""
    left = (box.w - GAP * 2) * share
    return Box(box.x, box.y, left, box.h), Box(box.x + left + GAP * 2, box.y, box.w - left - GAP * 2, box.h)


def note_box() -> Box:
    return Box(MARGIN, BODY_BOTTOM - NOTE_SIZE * 2.6, WIDTH - 2 * MARGIN, NOTE_SIZE * 2.6)


@dataclass(frozen=True)
class TableLayout:
    size: int
    row_height: float
    widths: tuple[float, ...]
    cells: tuple[tuple[str, ...], ...]  # header first, every cell clipped to its column


def _natural(columns, rows, size: int) -> list[float]:
    """Each column's width at ``size`` with no cell shortened (padding included)."""
    return [
        max(text_width(str(cell), size) for cell in [name, *(r[i] for r in rows)]) + size * 0.9
        for i, name in enumerate(columns)
    ]


def _column_widths(columns, rows, size: int, width: float) -> list[float] | None:
    """Widths at ``size`` that fit ``width``: narrow tables spread out (at most 1.6×), wide ones give
    up room from their widest columns (never below a third of the natural width); None if impossible."""
    pad = size * 0.9
    natural = _natural(columns, rows, size)
    total = sum(natural)
    if total <= width:
        return [w * min(width / total, 1.6) for w in natural]
    floors = [min(w, max(w / 3, pad + size * 2)) for w in natural]
    if sum(floors) > width:
        return None
    widths, excess = list(natural), total - width
    while excess > 0.01:
        i = max(range(len(widths)), key=lambda k: widths[k] - floors[k])
        cut = min(excess, widths[i] - floors[i])
        widths[i] -= cut
        excess -= cut
    return widths


def table_layout(columns: tuple[str, ...], rows: tuple[tuple[str, ...], ...], box: Box) -> TableLayout:
    """Font size, row height and column widths so that the whole table fits in ``box``; cells that
    are still too wide are shortened with an ellipsis."""
    n = len(rows) + 1
    size = TABLE_MAX_SIZE
    while size > TABLE_MIN_SIZE and n * size * 1.75 > box.h:
        size -= 1
    for smaller in range(size, CLIP_BELOW - 1, -1):  # a slightly smaller font rather than shortened cells
        if sum(_natural(columns, rows, smaller)) <= box.w:
            size = smaller
            break
    widths = _column_widths(columns, rows, size, box.w)
    while widths is None and size > TABLE_MIN_SIZE:
        size -= 1
        widths = _column_widths(columns, rows, size, box.w)
    if widths is None:  # last resort: equal shares
        widths = [box.w / len(columns)] * len(columns)
    row_height = min(size * 2.0, box.h / n)
    pad = size * 0.9
    cells = tuple(
        tuple(clip(str(cell), size, widths[i] - pad) for i, cell in enumerate(row)) for row in [columns, *rows]
    )
    return TableLayout(size, row_height, tuple(widths), cells)
