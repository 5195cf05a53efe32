"""Files sent with a supervision order's feedback: checked from their content, cleaned, kept small.

Only JPEG, PNG and PDF are accepted, at most ``MAX_BYTES`` each, and the type is read from the
file's first bytes (a renamed executable is refused whatever its name says). Images are decoded
and encoded again, so EXIF (with GPS positions), XMP and text chunks are not kept — a photo of a
repaired stairwell must not give away where the person who took it lives. PDFs are stored as sent.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import warnings
from dataclasses import dataclass

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 5 MB file that decodes to more is a decompression bomb
MAX_FILES = 9  # per feedback

_MAGIC = (
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"%PDF-", "application/pdf", ".pdf"),
)
_UNSAFE_NAME = re.compile(r"[\\/:*?\"<>|\x00-\x1f\x7f]+")


class AttachmentRefused(ValueError):
    """The file may not be attached; the message (Chinese) names the file and says why."""


@dataclass(frozen=True)
class CleanFile:
    """A file ready to store: its checked type, cleaned content and a safe name."""

    file_name: str
    media_type: str
    content: bytes

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def sniff(content: bytes) -> tuple[str, str] | None:
    """(media type, extension) read from the first bytes, or None for anything else."""
    for magic, media_type, extension in _MAGIC:
        if content.startswith(magic):
            return media_type, extension
    return None


def safe_name(name: str, extension: str) -> str:
    """The base name without folders or control characters, ending in the real type's extension."""
    base = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    stem = _UNSAFE_NAME.sub("_", base.rsplit(".", 1)[0] if "." in base else base).strip(" ._") or "附件"
    return stem[:80] + extension


def clean(name: str, content: bytes) -> CleanFile:
    """Check one uploaded file and return what may be stored; raises ``AttachmentRefused``."""
    label = (name or "附件").strip()[:80]
    if not content:
        raise AttachmentRefused(f"“{label}”是空文件。")
    if len(content) > MAX_BYTES:
        raise AttachmentRefused(f"“{label}”超过 5 MB（{len(content) / 1024 / 1024:.1f} MB），请压缩后再上传。")
    kind = sniff(content)
    if kind is None:
        raise AttachmentRefused(f"“{label}”不是 JPG、PNG 图片或 PDF 文件（按文件内容判断，不看文件名）。")
    media_type, extension = kind
    if media_type != "application/pdf":
        content = _reencode(content, media_type, label)
        if len(content) > MAX_BYTES:
            raise AttachmentRefused(f"“{label}”处理后仍超过 5 MB，请缩小图片后再上传。")
    return CleanFile(safe_name(name, extension), media_type, content)


def _reencode(content: bytes, media_type: str, label: str) -> bytes:
    """Decode and encode the image again without any metadata (EXIF, GPS, XMP, comments, text)."""
    try:
        from PIL import Image, ImageOps
    except ImportError as exc:  # the deployment lacks Pillow: refuse rather than keep GPS positions
        raise AttachmentRefused("服务器未安装图片处理组件，暂时不能上传图片，请改传 PDF。") from exc
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise AttachmentRefused(f"“{label}”的像素过多，请缩小后再上传。")
                image.load()
                upright = ImageOps.exif_transpose(image)  # keep how the photo looked, then drop EXIF
                out = io.BytesIO()
                if media_type == "image/jpeg":
                    rgb = upright.convert("RGB") if upright.mode not in ("RGB", "L") else upright
                    rgb.save(out, format="JPEG", quality=88, optimize=True)
                else:
                    upright.save(out, format="PNG", optimize=True)
                return out.getvalue()
    except AttachmentRefused:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise AttachmentRefused(f"“{label}”无法作为图片打开，可能已损坏。") from exc
