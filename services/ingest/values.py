"""Cell values → Python values, by the column's type. Anything not clean is rejected, never guessed.

Accepted: dates as 2025-03-05, 2025/3/5, 2025.3.5, 2025年3月5日, 20250305, Excel date cells and
serial numbers; months as 2025-03, 2025/3, 2025年3月, 202503 (and Excel's day-1 date for a typed
month); full-width digits and spaces; 12.0 for 12; well-formed thousands separators.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from services.ledgers import MULTI_SEPARATORS, Column

EXCEL_EPOCH = dt.date(1899, 12, 30)
SERIAL_RANGE = (18264, 73050)  # 1950-01-01 .. 2099-12-31
DATE_RANGE = (dt.date(1949, 1, 1), dt.date(2100, 12, 31))
EXCEL_ERRORS = frozenset(
    {
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#UNKNOWN!",
        "#CONNECT!",
        "#BUSY!",
        "#EXTERNAL!",
        "#PYTHON!",
    }
)
PLACEHOLDERS = frozenset(
    {"无", "/", "\\", "-", "--", "—", "——", "空", "暂无", "没有", "n/a", "na", "null", "none", "nil"}
)
APPROXIMATE = ("约", "大约", "左右", "多", "余", "近", "~", "～", "以上", "以下", "不到", "上下")
FORMULA_PREFIXES = ("=", "+", "@")
_ZERO_WIDTH_CHARS = "\u200b\u200c\u200d\u2060\ufeff"
_ZERO_WIDTH = dict.fromkeys(map(ord, _ZERO_WIDTH_CHARS))
_BLANK_CHARS = "".join(chr(c) for c in range(0x3001) if chr(c).isspace()) + _ZERO_WIDTH_CHARS

_INT = re.compile(r"^(\d+)(?:\.0+)?$")
_GROUPED = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_DECIMAL = re.compile(r"^\d+(?:\.\d+)?$|^\.\d+$")
_SCIENTIFIC = re.compile(r"^[-+]?\d+(?:\.\d+)?[eE][-+]?\d+$")
_DATE_SEP = re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_DATE_ZH = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SERIAL = re.compile(r"^(\d{5})(?:\.0+)?$")
_MONTH_SEP = re.compile(r"^(\d{4})[-/](\d{1,2})$")
_MONTH_ZH = re.compile(r"^(\d{4})年(\d{1,2})月?$")
_MONTH_COMPACT = re.compile(r"^(\d{4})(\d{2})$")
_MONTH_DOT = re.compile(r"^(\d{4})\.(\d{1,2})$")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")


@dataclass(frozen=True)
class Formula:
    """An Excel cell holding a formula rather than a value."""

    text: str


@dataclass(frozen=True)
class ExcelError:
    """An Excel cell holding an error value such as #REF!."""

    text: str


class ValueIssue(Exception):
    """A cell value that cannot be accepted; the message and hint are for the secretary."""

    def __init__(self, message_zh: str, hint_zh: str = "", code: str = "value") -> None:
        self.message_zh, self.hint_zh, self.code = message_zh, hint_zh, code
        super().__init__(message_zh)


def display(raw) -> str:
    """A cell as a person would read it (for messages; masked later)."""
    if raw is None:
        return ""
    if isinstance(raw, Formula | ExcelError):
        return raw.text
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime) and raw.time() == dt.time():
        return raw.date().isoformat()
    return str(raw)


def is_blank(raw) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip(_BLANK_CHARS)
    return False


def normalise(text: str) -> str:
    """NFKC (full-width digits, letters and spaces become ASCII), no zero-width characters, trimmed."""
    return unicodedata.normalize("NFKC", text).translate(_ZERO_WIDTH).strip()


def parse_cell(column: Column, raw):
    """The Python value of one cell for ``column`` (None when blank); raises ValueIssue."""
    if is_blank(raw):
        return None
    if isinstance(raw, Formula):
        raise ValueIssue("单元格里是公式，不是数值", "请复制该列后“选择性粘贴→数值”，再保存上传", "value.formula")
    if isinstance(raw, ExcelError) or (isinstance(raw, str) and normalise(raw).upper() in EXCEL_ERRORS):
        raise ValueIssue("单元格是 Excel 错误值", "请修正产生错误的公式，或直接填写正确的值", "value.excel_error")
    if isinstance(raw, bool):
        raise ValueIssue("单元格是“是/否”（TRUE/FALSE）值", "请按说明填写", "value.bool")
    return _PARSERS[column.kind](column, raw)


def _text(column: Column, raw):
    if isinstance(raw, dt.datetime | dt.date | dt.time):
        raise ValueIssue("这里应填文字，却是日期", "请检查是否填错了列", "value.text")
    if isinstance(raw, float):
        raw = str(int(raw)) if raw.is_integer() else format(raw, ".15g")
    text = str(raw).translate(_ZERO_WIDTH)
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    text = "\n".join(line for line in lines if line).strip()
    if text in column.none_words:
        return None
    _refuse_formula_text(text)
    if any(unicodedata.category(ch) == "Cc" and ch != "\n" for ch in text):
        raise ValueIssue("含有不可见的控制字符", "请重新输入该单元格的文字", "value.control")
    return text


def _refuse_formula_text(text: str) -> None:
    # Text starting like a formula would run when an official opens an export in Excel.
    if text.startswith(FORMULA_PREFIXES) or (text.startswith("-") and text.strip("-—")):
        raise ValueIssue(
            f"以“{text[0]}”开头的文字会被 Excel 当作公式",
            "请删去开头的符号，或在前面加上文字",
            "value.formula_text",
        )


def _code(column: Column, raw):
    if isinstance(raw, bool | dt.datetime | dt.date | dt.time):
        raise ValueIssue("编码不能是日期或是/否值", "请把该列设置为“文本”格式后重新输入", "value.code")
    if isinstance(raw, float):
        if not raw.is_integer() or abs(raw) >= 1e15:
            raise ValueIssue(
                "编码被 Excel 当成了数字（科学计数法或被截断）",
                "请把该列设置为“文本”格式后重新输入完整编码",
                "value.code_scientific",
            )
        raw = int(raw)
    text = normalise(str(raw))
    if _SCIENTIFIC.match(text):
        raise ValueIssue(
            "编码被 Excel 改成了科学计数法", "请把该列设置为“文本”格式后重新输入完整编码", "value.code_scientific"
        )
    if any(ch.isspace() for ch in text):
        raise ValueIssue("编码中间不能有空格", "请删去空格", "value.code")
    _refuse_formula_text(text)
    if any(unicodedata.category(ch).startswith("C") for ch in text):
        raise ValueIssue("编码含有不可见字符", "请重新输入编码", "value.code")
    return text


def _number_text(column: Column, raw) -> str:
    if isinstance(raw, dt.datetime | dt.date | dt.time):
        raise ValueIssue("这里应填数字，却是日期", "请检查是否填错了列", "value.number")
    if isinstance(raw, int | float):
        text = str(raw) if isinstance(raw, int) else format(raw, ".15g")
        if raw < 0:
            raise ValueIssue("不能为负数", "请填写 0 或正数", "value.negative")
        return text
    text = normalise(raw).replace(" ", "")
    if text.lower() in PLACEHOLDERS:
        raise ValueIssue("数字列里填了文字", "不适用请留空；数量为零请填 0", "value.placeholder")
    if _GROUPED.match(text):
        text = text.replace(",", "")
    if text.startswith("-") and _DECIMAL.match(text[1:]):
        raise ValueIssue("不能为负数", "请填写 0 或正数", "value.negative")
    if _SCIENTIFIC.match(text):
        raise ValueIssue("数字写成了科学计数法", "请填写完整的数字", "value.scientific")
    if not _DECIMAL.match(text):
        if any(text.startswith(w) or text.endswith(w) for w in APPROXIMATE):
            raise ValueIssue("不能填约数", "请填写确切的数字，如 30", "value.approximate")
        if re.match(r"^\d+(?:\.\d+)?\D+$", text):
            raise ValueIssue("数字后面带了单位或文字", "单位已在列名中，请只填数字", "value.unit")
        raise ValueIssue("不是数字", "请只填写阿拉伯数字", "value.number")
    return text


def _check_range(column: Column, value: Decimal) -> None:
    if value < 0:
        raise ValueIssue("不能为负数", "请填写 0 或正数", "value.negative")
    if column.positive and value == 0:
        raise ValueIssue("必须大于 0", "请填写大于 0 的数", "value.range")
    if column.minimum is not None and value < column.minimum:
        raise ValueIssue(f"不能小于 {column.minimum}", "请检查数值", "value.range")
    if column.maximum is not None and value > column.maximum:
        raise ValueIssue(f"不能大于 {column.maximum}，数值不合常理", "请检查数值是否多打了位数", "value.range")


def _int(column: Column, raw):
    text = _number_text(column, raw)
    m = _INT.match(text)
    if not m:
        raise ValueIssue("应为整数", "请填写整数，如 12", "value.int")
    value = int(m.group(1))
    _check_range(column, Decimal(value))
    return value


def _decimal(column: Column, raw):
    text = _number_text(column, raw)
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueIssue("不是数字", "请只填写阿拉伯数字", "value.number") from None
    if _places(value) > column.places:
        hint = "请填写整数" if column.places == 0 else f"最多保留 {column.places} 位小数"
        raise ValueIssue("小数位数过多", hint, "value.places")
    _check_range(column, value)
    return value.quantize(Decimal(1).scaleb(-column.places)) if column.places else value.to_integral_value()


def _places(value: Decimal) -> int:
    """Digits after the point of a finite ``value`` (no cell holds an infinity or NaN)."""
    exponent = value.normalize().as_tuple().exponent
    assert isinstance(exponent, int), f"{value} is not a finite number"
    return -exponent


def _percent(column: Column, raw):
    percent = isinstance(raw, str) and normalise(raw).endswith("%")
    text = _number_text(column, normalise(raw)[:-1] if percent else raw)
    value = Decimal(text)
    if percent or value > 1:
        value = value / 100
    if _places(value) > column.places:
        raise ValueIssue("比例的小数位数过多", "请写成 70%、0.7 或 70", "value.places")
    assert column.minimum is not None and column.maximum is not None  # a percent column gives its range
    if not (column.minimum <= value <= column.maximum):
        raise ValueIssue("通过比例应在 50% 到 100% 之间", "请写成 70%、0.7 或 70", "value.range")
    return value.quantize(Decimal("0.0001"))


def _date(column: Column, raw):
    if isinstance(raw, dt.datetime):
        return _in_range(raw.date())
    if isinstance(raw, dt.date):
        return _in_range(raw)
    if isinstance(raw, dt.time):
        raise ValueIssue("这里应填日期，却是时间", "请写成 2025-03-05", "value.date")
    if isinstance(raw, int | float):
        raw = format(raw, ".15g")
    text = _date_text(raw)
    parts = _date_parts(text)
    if parts:
        return _in_range(_make_date(*parts))
    m = _SERIAL.match(text)
    if m and SERIAL_RANGE[0] <= int(m.group(1)) <= SERIAL_RANGE[1]:
        return EXCEL_EPOCH + dt.timedelta(days=int(m.group(1)))
    if _MONTH_ZH.match(text) or _MONTH_SEP.match(text) or _MONTH_COMPACT.match(text):
        raise ValueIssue("日期缺少“日”", "请写成完整日期，如 2025-03-05", "value.date")
    raise ValueIssue("无法识别的日期", "请写成 2025-03-05 或 2025年3月5日", "value.date")


def _date_text(raw: str) -> str:
    text = normalise(raw)
    return re.sub(r"\s+", "", text) if "年" in text else text


def _date_parts(text: str) -> tuple[int, int, int] | None:
    m = _DATE_SEP.match(text)
    if m:
        return int(m.group(1)), int(m.group(3)), int(m.group(4))
    m = _DATE_ZH.match(text) or _DATE_COMPACT.match(text)
    if m:
        return int(m.group(1)), int(m.group(2)), int(m.group(3))
    return None


def _make_date(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueIssue("日期不存在", "请检查年月日（如 2 月没有 30 日）", "value.date_impossible") from None


def _in_range(day: dt.date) -> dt.date:
    if not DATE_RANGE[0] <= day <= DATE_RANGE[1]:
        raise ValueIssue("日期不合常理", "请检查年份", "value.date_range")
    return day


def _month(column: Column, raw):
    if isinstance(raw, dt.datetime | dt.date):
        day = raw.date() if isinstance(raw, dt.datetime) else raw
        if day.day != 1:
            raise ValueIssue("月份列填了具体日期", "请只写年月，如 2025-03", "value.month")
        return _month_text(day.year, day.month)
    if isinstance(raw, float) and not raw.is_integer():
        raise ValueIssue(
            "月份被 Excel 当成了小数（2025.10 会变成 2025.1）", "请写成 2025-10 或 2025年10月", "value.month"
        )
    if isinstance(raw, int | float):
        raw = str(int(raw))
    text = normalise(raw).replace(" ", "")
    if _MONTH_DOT.match(text):
        raise ValueIssue(
            "月份不能用小数点分隔（会和 2025.1 / 2025.10 混淆）", "请写成 2025-03 或 2025年3月", "value.month"
        )
    for pattern in (_MONTH_SEP, _MONTH_ZH, _MONTH_COMPACT):
        m = pattern.match(text)
        if m:
            return _month_text(int(m.group(1)), int(m.group(2)))
    parts = _date_parts(text)
    if parts and parts[2] == 1:
        return _month_text(parts[0], parts[1])
    if parts:
        raise ValueIssue("月份列填了具体日期", "请只写年月，如 2025-03", "value.month")
    raise ValueIssue("无法识别的月份", "请写成 2025-03 或 2025年3月", "value.month")


def _month_text(year: int, month: int) -> str:
    if not 1 <= month <= 12:
        raise ValueIssue("月份不存在", "月份应在 1 到 12 之间", "value.month_impossible")
    if not DATE_RANGE[0].year <= year <= DATE_RANGE[1].year:
        raise ValueIssue("年份不合常理", "请检查年份", "value.date_range")
    return f"{year:04d}-{month:02d}"


def _enum(column: Column, raw):
    if not isinstance(raw, str):
        raise ValueIssue("不是可选的值", "可选：" + " / ".join(column.allowed), "value.enum")
    text = re.sub(r"\s+", "", normalise(raw))
    if text in column.allowed:
        return text
    for spelling, value in column.synonyms.items():
        if text.upper() == spelling.upper():
            return value
    for value in column.allowed:
        if text.upper() == value.upper():
            return value
    raise ValueIssue("不是可选的值", "可选：" + " / ".join(column.allowed), "value.enum")


def _multi_enum(column: Column, raw):
    if not isinstance(raw, str):
        raise ValueIssue("不是可选的值", "可选：" + "、".join(column.allowed), "value.enum")
    text = re.sub(r"\s+", "", normalise(raw))
    items = [i for i in re.split(f"[{MULTI_SEPARATORS}]", text) if i]
    unknown = [i for i in items if i not in column.allowed]
    if unknown:
        raise ValueIssue(
            "含有不可选的值", "可选：" + "、".join(column.allowed) + "；多个用“、”或“；”分隔", "value.enum"
        )
    return "、".join(v for v in column.allowed if v in items) or None


_PARSERS = {
    "text": _text,
    "code": _code,
    "int": _int,
    "decimal": _decimal,
    "percent": _percent,
    "date": _date,
    "month": _month,
    "enum": _enum,
    "multi-enum": _multi_enum,
}
