"""Text files: decode strictly (UTF-8 with or without BOM, GBK/GB18030, UTF-16) and split into rows.

Never ``errors='replace'``: a file that decodes in none of these, or mixes encodings, is refused.
Rows are numbered as a spreadsheet shows them (one record per row, even with a line break in a cell).
"""

from __future__ import annotations

import codecs
import csv
import io
import re

from services.ingest.layout import Grid
from services.ingest.uploads import FileRefused, Limits

_CJK = re.compile(r"[\u4e00-\u9fff]")
_MARKUP = ("<html", "<!doctype", "<?xml", "<table", "<head", "<body", "<meta")


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was read with; raises FileRefused."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "UTF-8（带BOM）"
        except UnicodeDecodeError:
            raise _mixed(data, starts_utf8=True) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "UTF-16（Unicode 文本）"
        except UnicodeDecodeError:
            raise FileRefused(
                "文件以 UTF-16 开头，但内容无法按 UTF-16 读取", "请重新保存后上传", "encoding.invalid"
            ) from None
    if b"\x00" in data:
        raise FileRefused("文件含有二进制内容，不是文本表格", "请上传 Excel（.xlsx）或 CSV 文件", "file.type")
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    if _has_utf8_lines(data):
        raise _mixed(data)  # some lines are UTF-8 Chinese, others are not: never guess per line
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise FileRefused(
            "无法识别文件的文字编码", "请在 Excel/WPS 中另存为“CSV UTF-8”或 .xlsx 后上传", "encoding.unknown"
        ) from None
    return text, "GBK/GB18030"


def _mixed(data: bytes, *, starts_utf8: bool = False) -> FileRefused:
    row, now_utf8 = _encoding_change(data, starts_utf8=starts_utf8)
    if row is None:
        return FileRefused(
            "文件混用了不同的文字编码（部分 UTF-8、部分 GBK）",
            "请把内容复制到新的 Excel 表格中，另存为“CSV UTF-8”或 .xlsx 后上传",
            "encoding.mixed",
        )
    before, after = ("GBK", "UTF-8") if now_utf8 else ("UTF-8", "GBK")
    return FileRefused(
        f"文件混用了不同的文字编码：从第{row}行起由 {before} 变为 {after}（常见于把另一个文件的行复制或追加到末尾）",
        f"请检查第{row}行及以后的行：把全部内容复制到新的 Excel 表格中，另存为“CSV UTF-8”或 .xlsx 后上传",
        "encoding.mixed",
        row,
    )


def _line_is_utf8(line: bytes) -> bool | None:
    """True: UTF-8 holding Chinese; False: not UTF-8 at all; None: either (ASCII, or too little to tell)."""
    if line.isascii():
        return None
    try:
        decoded = line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True if len(_CJK.findall(decoded)) >= 2 else None


def _has_utf8_lines(data: bytes) -> bool:
    """True when some line of a non-UTF-8 file is valid UTF-8 holding Chinese: encodings are mixed."""
    return any(_line_is_utf8(line) for line in data.splitlines())


def _encoding_change(data: bytes, *, starts_utf8: bool) -> tuple[int | None, bool]:
    """The spreadsheet row of the first line whose encoding differs from the lines before it (a
    BOM says the file starts as UTF-8), and whether the file turns to UTF-8 there.

    Rows are counted as ``read_text`` counts them: a line break inside quotes continues the row.
    Quotes and line breaks are single ASCII bytes in UTF-8 and in GBK alike (GBK's second bytes
    are never ``"``, CR or LF), so the bytes can be followed before any decoding."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    current: bool | None = True if starts_utf8 else None
    row, quoted = 0, False
    for line in data.splitlines():
        if not quoted:
            row += 1
        quoted ^= line.count(b'"') % 2 == 1
        kind = _line_is_utf8(line)
        if kind is None:
            continue
        if current is None:
            current = kind
        elif kind != current:
            return row, kind
    return None, False


def _delimiter(text: str, encoding: str) -> str:
    if encoding.startswith("UTF-16"):
        return "\t"
    head = [line for line in text.splitlines()[:20] if line.strip()]
    tabs, commas = sum(line.count("\t") for line in head), sum(line.count(",") for line in head)
    return "\t" if tabs > commas else ","


def read_text(name: str, data: bytes, limits: Limits) -> tuple[Grid, str]:
    """The file as one grid of string cells, and the encoding that was used."""
    text, encoding = decode(data)
    if text.lstrip()[:20].lower().startswith(_MARKUP):
        raise FileRefused("这是网页或 XML 文件，不是表格", "请在 Excel/WPS 中另存为 .xlsx 或 CSV 后上传", "file.type")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text, encoding), strict=True)
    rows: list[tuple[int, list]] = []
    filled = number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            if any(c.strip() for c in cells):
                filled += 1
                if filled > limits.max_rows + 100:
                    raise FileRefused(f"行数超过 {limits.max_rows} 行的上限", "请拆分后分别上传", "limits.rows")
                rows.append((number, list(cells)))
    except csv.Error:
        raise FileRefused(
            f"第{number + 1}行附近的引号不配对，无法读取", "请在 Excel/WPS 中打开后重新另存为 CSV", "csv.quotes"
        ) from None
    return Grid(file=name, sheet=None, hidden=False, rows=rows), encoding
