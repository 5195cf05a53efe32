"""What the importer tells people: problems (which reject a file), notices and warnings.

Every string that leaves the importer goes through ``pii.mask_text`` here, so a resident ID
or mobile number can never reach a message, an exception, a log line or the audit trail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from openpyxl.utils import column_index_from_string

from services.pii import mask_text

MAX_VALUE_CHARS = 60
CHINA = dt.timezone(dt.timedelta(hours=8))


def china_time(moment: dt.datetime) -> str:
    """A stored (naive UTC) timestamp as people in the county read it: Beijing time, to the minute."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return f"{aware.astimezone(CHINA):%Y-%m-%d %H:%M}"


def _masked(text: str | None, limit: int | None = None) -> str | None:
    if text is None:
        return None
    out = mask_text(str(text))
    if limit is not None and len(out) > limit:
        out = out[: limit - 1] + "…"
    return out


@dataclass(frozen=True)
class Problem:
    """One reason a file is rejected, located the way a spreadsheet shows it (row 1-based)."""

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    value_masked: str | None
    message_zh: str
    hint_zh: str = ""
    code: str = ""  # machine-readable kind, e.g. "value.int", "pii.id", "header.unknown"

    def __post_init__(self) -> None:
        for name in ("file", "sheet", "column", "message_zh", "hint_zh"):
            object.__setattr__(self, name, _masked(getattr(self, name)))
        object.__setattr__(self, "value_masked", _masked(self.value_masked, MAX_VALUE_CHARS))

    @property
    def where(self) -> str:
        place = self.file if not self.sheet else f"{self.file}「{self.sheet}」"
        if self.row is not None:
            place += f" 第{self.row}行"
        if self.column:
            place += f"「{self.column}」"
        return place

    def describe(self) -> str:
        """One line: file, spreadsheet row, column, masked value, message and what to do."""
        text = f"{self.where}：{self.message_zh}"
        if self.value_masked not in (None, ""):
            text += f"（值：{self.value_masked}）"
        if self.hint_zh:
            text += f" → {self.hint_zh}"
        return text.replace("\n", " ")


@dataclass(frozen=True)
class Notice:
    """Something the importer did or noticed that does not reject the file."""

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    message_zh: str
    ledger: str | None = None

    def __post_init__(self) -> None:
        for name in ("file", "sheet", "column", "message_zh"):
            object.__setattr__(self, name, _masked(getattr(self, name)))

    def describe(self) -> str:
        place = self.file if not self.sheet else f"{self.file}「{self.sheet}」"
        if self.row is not None:
            place += f" 第{self.row}行"
        if self.column:
            place += f"「{self.column}」"
        return f"{place}：{self.message_zh}"


def _column_rank(column: str | None) -> int:
    from services.ledgers import LEDGERS  # late: the ledgers import the models, problems must stay light

    if not column:
        return -1
    if column.endswith("列") and column[:-1].isascii() and column[:-1].isalpha():
        return column_index_from_string(column[:-1]) - 1
    for ledger in LEDGERS[1:] + LEDGERS[:1]:
        for i, col in enumerate(ledger.columns):
            if col.header == column:
                return i
    return 999


@dataclass
class ProblemList:
    """Collects problems up to a cap, counting (not storing) the ones beyond it."""

    limit: int = 500
    items: list[Problem] = field(default_factory=list)
    dropped: int = 0

    def add(self, problem: Problem) -> None:
        if len(self.items) < self.limit:
            self.items.append(problem)
        else:
            self.dropped += 1

    def extend(self, problems) -> None:
        for p in problems:
            self.add(p)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items) + self.dropped

    def as_list(self) -> list[Problem]:
        """The problems in reading order: by file, sheet, row, then column."""
        files = {p.file: i for i, p in reversed(list(enumerate(self.items)))}
        sheets = {p.sheet: i for i, p in reversed(list(enumerate(self.items)))}
        ordered = sorted(self.items, key=lambda p: (files[p.file], sheets[p.sheet], p.row or 0, _column_rank(p.column)))
        if not self.dropped:
            return ordered
        tail = Problem(
            "",
            None,
            None,
            None,
            None,
            f"另有{self.dropped}个问题未列出。",
            "请先修正以上问题后重新上传。",
            "problems.truncated",
        )
        return [*ordered, tail]


class ImportRejected(Exception):
    """The upload has problems; nothing was written. ``problems`` lists every one found."""

    def __init__(self, problems: list[Problem], notices: list[Notice] | None = None) -> None:
        self.problems = list(problems)
        self.notices = list(notices or [])
        super().__init__(f"上传被拒绝：共{len(self.problems)}个问题，未写入任何数据。")


class AlreadyReported(Exception):
    """The compound-month already has a different submission; replacing it must be asked for."""

    def __init__(self, *, submission_id: int, version: int, kind: str, submitted_at: dt.datetime, month: str) -> None:
        self.submission_id, self.version, self.kind = submission_id, version, kind
        self.submitted_at, self.month = submitted_at, month
        what = "零报告（本月无新增事项）" if kind == "zero" else f"台账（第{version}版）"
        when = china_time(submitted_at)
        super().__init__(f"{month} 已于 {when} 上报过{what}。如需更正，请选择“替换”重新上传；旧版本会保留在历史中。")
