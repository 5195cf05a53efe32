"""The deck as a PDF of the same slides (fpdf2), drawn from ``services.deck.drawing``.

fpdf2 is pure Python and embeds a subset of the system's Noto Sans CJK SC (OpenType with CFF
outlines, which ReportLab's TrueType embedding cannot read), so the PDF shows the same glyphs on
any computer, with a text layer that search and copy-paste (and the tests) can read."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import WrapMode, XPos, YPos

from services.deck import layout as L
from services.deck.drawing import Grid, Picture, Rect, Text, plan
from services.deck.images import chart_png, fitted
from services.deck.model import Deck

FONT_DIRS = (Path("/usr/share/fonts/opentype/noto"), Path("/usr/share/fonts/noto-cjk"), Path("/usr/share/fonts/noto"))
FAMILY = "NotoSansCJKSC"
FACE_NAME = "Noto Sans CJK SC"
ALIGN = {"left": "L", "center": "C", "right": "R"}


@lru_cache(maxsize=4)
def _face(file_name: str) -> tuple[str, int]:
    """The path of a Noto CJK collection and the index of its Simplified Chinese face."""
    from fontTools.ttLib import TTCollection

    for directory in FONT_DIRS:
        path = directory / file_name
        if path.is_file():
            with TTCollection(str(path), lazy=True) as collection:
                names = [face["name"].getDebugName(1) for face in collection.fonts]
            if FACE_NAME in names:
                return str(path), names.index(FACE_NAME)
    raise FileNotFoundError(f"{FACE_NAME} not found ({file_name}); install the fonts-noto-cjk package")


def _pdf(deck: Deck) -> FPDF:
    pdf = FPDF(orientation="L", unit="pt", format=(L.HEIGHT, L.WIDTH))
    pdf.set_auto_page_break(False)
    pdf.set_margin(0)
    for style, file_name in (("", "NotoSansCJK-Regular.ttc"), ("B", "NotoSansCJK-Bold.ttc")):
        path, number = _face(file_name)
        pdf.add_font(FAMILY, style=style, fname=path, collection_font_number=number)
    pdf.set_title(deck.title)
    pdf.set_lang("zh-CN" if deck.lang == "zh" else "en-US")
    pdf.set_creator("邻里治理看板")
    return pdf


def _text(pdf: FPDF, item: Text, lang: str) -> None:
    pdf.set_font(FAMILY, "B" if item.bold else "", item.size)
    pdf.set_text_color(*item.colour)
    height = item.size * L.LINE_SPACING
    b = item.box
    if item.middle:
        pdf.set_xy(b.x, b.y + (b.h - height) / 2)
        pdf.cell(b.w, height, item.paragraphs[0], align=ALIGN[item.align])
        return
    pdf.set_xy(b.x, b.y)
    wrap = WrapMode.CHAR if lang == "zh" else WrapMode.WORD
    for text in item.paragraphs:
        pdf.set_x(b.x)
        pdf.multi_cell(b.w, height, text, align=ALIGN[item.align], wrapmode=wrap, new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.set_y(pdf.get_y() + item.size * 0.5)


def _rect(pdf: FPDF, item: Rect) -> None:
    b = item.box
    if item.fill:
        pdf.set_fill_color(*item.fill)
    if item.line:
        pdf.set_draw_color(*item.line)
        pdf.set_line_width(0.75)
    style = ("F" if item.fill else "") + ("D" if item.line else "")
    pdf.rect(b.x, b.y, b.w, b.h, style=style)


def _picture(pdf: FPDF, item: Picture) -> None:
    png = chart_png(item.spec)
    b = fitted(item.box, png)
    pdf.image(io.BytesIO(png), b.x, b.y, b.w, b.h)


def _grid(pdf: FPDF, item: Grid) -> None:
    grid = item.table
    pad = grid.size * 0.45
    y = item.box.y
    for i, values in enumerate(grid.cells):
        x = item.box.x
        fill = L.HEADER_FILL if i == 0 else L.STRIPE_FILL if i % 2 == 0 else (255, 255, 255)
        pdf.set_fill_color(*fill)
        pdf.rect(x, y, sum(grid.widths), grid.row_height, style="F")
        pdf.set_font(FAMILY, "B" if i == 0 else "", grid.size)
        pdf.set_text_color(*((255, 255, 255) if i == 0 else L.INK))
        for j, value in enumerate(values):
            width = grid.widths[j]
            pdf.set_xy(x + pad, y)
            align = "R" if item.numeric[j] and i > 0 else "L"
            pdf.cell(width - 2 * pad, grid.row_height, value, align=align)
            x += width
        y += grid.row_height


def write_pdf(deck: Deck) -> bytes:
    """The whole deck as PDF bytes: one 16:9 page per slide, same order, titles and figures."""
    pdf = _pdf(deck)
    for index in range(len(deck.slides)):
        pdf.add_page()
        for item in plan(deck, index):
            if isinstance(item, Text):
                _text(pdf, item, deck.lang)
            elif isinstance(item, Rect):
                _rect(pdf, item)
            elif isinstance(item, Picture):
                _picture(pdf, item)
            elif isinstance(item, Grid):
                _grid(pdf, item)
    return bytes(pdf.output())
