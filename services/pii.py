"""Resident ID numbers and mobile numbers: find them anywhere, show them only masked.

An 18-digit ID counts when its ISO 7064 MOD 11-2 check digit and birth date are valid; a
15-digit (pre-1999) ID when its province code and birth date are valid; a mobile number is
``1[3-9]`` and nine more digits (optionally ``+86`` and spaces or hyphens in 3-4-4 groups).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_PROVINCES = frozenset(
    {
        11,
        12,
        13,
        14,
        15,
        21,
        22,
        23,
        31,
        32,
        33,
        34,
        35,
        36,
        37,
        41,
        42,
        43,
        44,
        45,
        46,
        50,
        51,
        52,
        53,
        54,
        61,
        62,
        63,
        64,
        65,
        71,
        81,
        82,
        83,
        91,
    }
)

_ID18 = re.compile(r"(?<!\d)(\d{17}[\dXx])(?![\dXx])")
_ID15 = re.compile(r"(?<!\d)(\d{15})(?!\d)")
_DIGIT_RUN = re.compile(r"\d{3}")  # every ID or mobile has a run of 3+ digits (full-width ones too)
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)")
_CANDIDATE = re.compile(r"\d{15}|1[3-9]\d[- ]?\d{4}[- ]?\d{4}")  # every ID and every mobile contains one


@dataclass(frozen=True)
class Finding:
    kind: str  # "id" or "mobile"
    masked: str

    @property
    def label_zh(self) -> str:
        return "居民身份证号码" if self.kind == "id" else "手机号码"


def id_check_digit(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 17 digits of a resident ID."""
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def _valid_birth(year: int, month: int, day: int) -> bool:
    try:
        born = dt.date(year, month, day)
    except ValueError:
        return False
    return dt.date(1880, 1, 1) <= born <= dt.date.today()


def is_resident_id(value: str) -> bool:
    """True for a valid 18-digit resident ID (check digit and date) or a plausible 15-digit one."""
    if len(value) == 18 and value[:17].isdigit():
        return (
            id_check_digit(value[:17]) == value[17].upper()
            and int(value[:2]) in _PROVINCES
            and _valid_birth(int(value[6:10]), int(value[10:12]), int(value[12:14]))
        )
    if len(value) == 15 and value.isdigit():
        return int(value[:2]) in _PROVINCES and _valid_birth(
            1900 + int(value[6:8]), int(value[8:10]), int(value[10:12])
        )
    return False


def mask_id(value: str) -> str:
    return value[:4] + "*" * (len(value) - 8) + value[-4:] if len(value) == 18 else value[:4] + "*" * 8 + value[-3:]


def mask_mobile(digits: str) -> str:
    return digits[:3] + "****" + digits[-4:]


def _normalised(text: str) -> str:
    # The quick check is far cheaper than normalising a block of 500 rows that is already NFKC.
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


def _spans(text: str) -> list[tuple[int, int, Finding]]:
    if not _CANDIDATE.search(text):
        return []  # one pass instead of three over text holding neither pattern
    spans = []
    for pattern in (_ID18, _ID15):
        for m in pattern.finditer(text):
            if is_resident_id(m.group(1)):
                spans.append((m.start(1), m.end(1), Finding("id", mask_id(m.group(1)))))
    for m in _MOBILE.finditer(text):
        if any(s <= m.start() < e for s, e, _ in spans):
            continue
        spans.append((m.start(), m.end(), Finding("mobile", mask_mobile("".join(m.groups())))))
    return sorted(spans, key=lambda s: s[0])


def find_pii(text: str) -> list[Finding]:
    """Every resident ID and mobile number in ``text`` (full-width digits included), masked."""
    if len(text) < 11 or not _DIGIT_RUN.search(text):
        return []
    return [f for _, _, f in _spans(_normalised(text))]


def mask_text(text: str) -> str:
    """``text`` with every resident ID and mobile number replaced by its masked form."""
    if len(text) < 11 or not _DIGIT_RUN.search(text):
        return text
    normal = _normalised(text)
    spans = _spans(normal)
    if not spans:
        return text
    out, pos = [], 0
    for start, end, finding in spans:
        out.append(normal[pos:start])
        out.append(finding.masked)
        pos = end
    out.append(normal[pos:])
    return "".join(out)
