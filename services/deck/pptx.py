"""The deck as a 16:9 PowerPoint file (python-pptx), drawn from ``services.deck.drawing``.

Every run names its East-Asian typeface (``a:ea``) as well as its Latin one, with the GB2312
charset hint, so PowerPoint and WPS render the Chinese with a Chinese font instead of boxes or a
Japanese fallback. The theme's East-Asian fonts name Microsoft YaHei, the usual font of county
computers, for anything typed into the deck later."""

from __future__ import annotations

import io

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from services.deck import layout as L
from services.deck.drawing import Grid, Picture, Rect, Text, plan
from services.deck.images import chart_png, fitted
from services.deck.model import Deck, Slide
from services.i18n import t

EA_FONT = "Noto Sans CJK SC"
FALLBACK_EA_FONT = "Microsoft YaHei"
LATIN_FONT = "Noto Sans CJK SC"
GB2312_CHARSET = "-122"  # DrawingML's signed form of Windows charset 134
ALIGN = {"left": PP_ALIGN.LEFT, "center": PP_ALIGN.CENTER, "right": PP_ALIGN.RIGHT}
TITLE_ONLY_LAYOUT = 5


def emu(points: float) -> Emu:
    return Emu(round(points * 12700))


def style_run(run, size: float, *, bold: bool = False, colour=L.INK, lang: str = "zh") -> None:
    """Size, weight, colour, language and the Latin, East-Asian and complex-script typefaces of a run."""
    font = run.font
    font.size = Pt(size)
    font.bold = bold
    font.color.rgb = RGBColor(*colour)
    font.name = LATIN_FONT  # writes a:latin in its schema position
    r_pr = run._r.get_or_add_rPr()
    r_pr.set("lang", "zh-CN" if lang == "zh" else "en-US")
    r_pr.set("altLang", "en-US")
    for tag in ("a:ea", "a:cs"):
        for old in r_pr.findall(qn(tag)):
            r_pr.remove(old)
    latin = r_pr.find(qn("a:latin"))
    ea = etree.SubElement(r_pr, qn("a:ea"), typeface=EA_FONT, pitchFamily="34", charset=GB2312_CHARSET)
    cs = etree.SubElement(r_pr, qn("a:cs"), typeface=EA_FONT)
    latin.addnext(ea)  # a:latin, a:ea, a:cs must follow each other in this order
    ea.addnext(cs)


def _theme_fallback(prs) -> None:
    """Name Microsoft YaHei as the theme's East-Asian and Simplified-Chinese font."""
    theme = prs.slide_master.part.part_related_by(RT.THEME)
    root = etree.fromstring(theme.blob)
    for ea in root.iter(qn("a:ea")):
        ea.set("typeface", FALLBACK_EA_FONT)
    for font in root.iter(qn("a:font")):
        if font.get("script") == "Hans":
            font.set("typeface", FALLBACK_EA_FONT)
    theme._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _text(shapes, item: Text, lang: str) -> None:
    b = item.box
    if item.title:  # the layout's title placeholder, so outlines and screen readers find the title
        shape = shapes.title
        shape.left, shape.top, shape.width, shape.height = emu(b.x), emu(b.y), emu(b.w), emu(b.h)
    else:
        shape = shapes.add_textbox(emu(b.x), emu(b.y), emu(b.w), emu(b.h))
    frame = shape.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE if item.middle else MSO_ANCHOR.TOP
    for i, text in enumerate(item.paragraphs):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.alignment = ALIGN[item.align]
        paragraph.line_spacing = Pt(item.size * L.LINE_SPACING)  # exact, so the fitting holds in every font
        if i < len(item.paragraphs) - 1:
            paragraph.space_after = Pt(item.size * 0.5)
        run = paragraph.add_run()
        run.text = text
        style_run(run, item.size, bold=item.bold, colour=item.colour, lang=lang)


def _rect(shapes, item: Rect) -> None:
    from pptx.enum.shapes import MSO_SHAPE

    b = item.box
    shape = shapes.add_shape(MSO_SHAPE.RECTANGLE, emu(b.x), emu(b.y), emu(b.w), emu(b.h))
    shape.shadow.inherit = False
    if item.fill:
        shape.fill.solid()
        shape.fill.fore_color.rgb = RGBColor(*item.fill)
    else:
        shape.fill.background()
    if item.line:
        shape.line.color.rgb = RGBColor(*item.line)
        shape.line.width = Pt(0.75)
    else:
        shape.line.fill.background()


def _picture(shapes, item: Picture) -> None:
    png = chart_png(item.spec)
    b = fitted(item.box, png)
    shapes.add_picture(io.BytesIO(png), emu(b.x), emu(b.y), emu(b.w), emu(b.h))


def _grid(shapes, item: Grid, lang: str) -> None:
    grid = item.table
    rows, cols = len(grid.cells), len(grid.widths)
    b = item.box
    table = shapes.add_table(rows, cols, emu(b.x), emu(b.y), emu(b.w), emu(b.h)).table
    table.first_row = True
    table.horz_banding = False
    for j, width in enumerate(grid.widths):
        table.columns[j].width = emu(width)
    for i, values in enumerate(grid.cells):
        table.rows[i].height = emu(grid.row_height)
        for j, value in enumerate(values):
            cell = table.cell(i, j)
            cell.margin_left = cell.margin_right = Pt(grid.size * 0.45)
            cell.margin_top = cell.margin_bottom = 0
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            cell.fill.solid()
            cell.fill.fore_color.rgb = RGBColor(
                *(L.HEADER_FILL if i == 0 else L.STRIPE_FILL if i % 2 == 0 else (255, 255, 255))
            )
            frame = cell.text_frame
            frame.word_wrap = False
            paragraph = frame.paragraphs[0]
            paragraph.alignment = PP_ALIGN.RIGHT if item.numeric[j] and i > 0 else PP_ALIGN.LEFT
            paragraph.line_spacing = Pt(grid.size * L.LINE_SPACING)
            run = paragraph.add_run()
            run.text = value
            style_run(run, grid.size, bold=i == 0, colour=(255, 255, 255) if i == 0 else L.INK, lang=lang)


def _speaker_notes(slide, planned: Slide, lang: str) -> None:
    """Every note on the slide's view, in full, in the slide's speaker notes (one paragraph each)."""
    frame = slide.notes_slide.notes_text_frame
    for i, note in enumerate(planned.view_notes):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = t("deck.notes.speaker", lang, author=note.author, date=note.written, body=note.body)
        style_run(run, 12, lang=lang)


def write_pptx(deck: Deck) -> bytes:
    """The whole deck as .pptx bytes: one slide per ``deck.slides`` entry, same order and titles."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = emu(L.WIDTH), emu(L.HEIGHT)
    _theme_fallback(prs)
    prs.core_properties.title = deck.title
    prs.core_properties.language = "zh-CN" if deck.lang == "zh" else "en-US"
    prs.core_properties.author = "邻里治理看板"
    layout = prs.slide_layouts[TITLE_ONLY_LAYOUT]
    for index, planned in enumerate(deck.slides):
        slide = prs.slides.add_slide(layout)
        for item in plan(deck, index):
            if isinstance(item, Text):
                _text(slide.shapes, item, deck.lang)
            elif isinstance(item, Rect):
                _rect(slide.shapes, item)
            elif isinstance(item, Picture):
                _picture(slide.shapes, item)
            elif isinstance(item, Grid):
                _grid(slide.shapes, item, deck.lang)
        if planned.view_notes:
            _speaker_notes(slide, planned, deck.lang)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
