"""Number formats for people: 万/亿 in Chinese, k/m in English, percentages, signed changes."""

from __future__ import annotations

import math

NONE = "—"


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value, lang: str = "zh", *, decimals: int = 0) -> str:
    """12345 → '1.23万' (zh) or '12.3k' (en); small numbers keep thousands separators."""
    if _missing(value):
        return NONE
    v = float(value)
    if lang == "zh":
        if abs(v) >= 1e8:
            return f"{v / 1e8:,.2f}亿"
        if abs(v) >= 1e5:
            return f"{v / 1e4:,.1f}万"
    else:
        if abs(v) >= 1e9:
            return f"{v / 1e9:,.2f}bn"
        if abs(v) >= 1e6:
            return f"{v / 1e6:,.2f}m"
    return f"{v:,.{decimals}f}"


def yuan(value, lang: str = "zh") -> str:
    if _missing(value):
        return NONE
    return f"{number(value, lang)}元" if lang == "zh" else f"¥{number(value, lang)}"


def percent(value, *, decimals: int = 1) -> str:
    """0.961 → '96.1%'."""
    return NONE if _missing(value) else f"{float(value) * 100:.{decimals}f}%"


def signed_percent(value, *, decimals: int = 1) -> str | None:
    """A relative change for st.metric's delta: +12.5% / -3.0%; None when not comparable."""
    return None if _missing(value) else f"{float(value) * 100:+.{decimals}f}%"


def days(value, lang: str = "zh") -> str:
    if _missing(value):
        return NONE
    return f"{float(value):g} 天" if lang == "zh" else f"{float(value):g} days"


def signed_points(current, previous, lang: str = "zh", *, decimals: int = 1) -> str | None:
    """Change of a rate in percentage points: 0.96 vs 0.90 → '+6.0 个百分点' / '+6.0 pp'."""
    if _missing(current) or _missing(previous):
        return None
    diff = (float(current) - float(previous)) * 100
    return f"{diff:+.{decimals}f} 个百分点" if lang == "zh" else f"{diff:+.{decimals}f} pp"


_MARKDOWN_SPECIAL = set("\\`*_{}[]()<>#+-.!|~$:")


def md_escape(text: object) -> str:
    """Make user text literal inside Streamlit markdown (titles, captions, labels).

    Every markdown or HTML special character is backslash-escaped, so links, images, emphasis,
    HTML tags and LaTeX show as the characters typed. Line breaks become spaces."""
    value = "" if text is None else str(text)
    value = value.replace("\r", " ").replace("\n", " ")
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIAL else ch for ch in value)
