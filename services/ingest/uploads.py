"""What an upload is (a name and its bytes), the limits it must respect, and its fingerprint."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from services.config import Settings, load_settings


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 10 * 1024 * 1024
    max_rows: int = 200_000
    max_columns: int = 200
    max_zip_entries: int = 500
    max_unzipped_bytes: int = 150 * 1024 * 1024
    max_zip_ratio: int = 200  # for members larger than 1 MiB once unpacked
    max_problems: int = 500

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Limits:
        settings = settings or load_settings()
        return cls(max_bytes=settings.max_upload_bytes, max_rows=settings.max_rows_per_file)


class FileRefused(Exception):
    """The file as a whole cannot be read (wrong type, too big, encrypted...)."""

    def __init__(self, message_zh: str, hint_zh: str, code: str, row: int | None = None) -> None:
        self.message_zh, self.hint_zh, self.code = message_zh, hint_zh, code
        self.row = row  # the spreadsheet row the trouble starts at, when one can be named
        super().__init__(message_zh)


def as_uploads(files: Iterable[Upload | tuple[str, bytes] | Path | str]) -> list[Upload]:
    """Accept uploads, (name, bytes) pairs or paths; paths are read here."""
    out = []
    for item in files:
        if isinstance(item, Upload):
            out.append(item)
        elif isinstance(item, tuple):
            name, data = item
            out.append(Upload(str(name), bytes(data)))
        else:
            path = Path(item)
            out.append(Upload(path.name, path.read_bytes()))
    return out


def files_hash(uploads: list[Upload]) -> str:
    """One file: its SHA-256. Several: SHA-256 of their sorted SHA-256 digests (order does not matter)."""
    if len(uploads) == 1:
        return uploads[0].sha256
    return hashlib.sha256("\n".join(sorted(u.sha256 for u in uploads)).encode()).hexdigest()
