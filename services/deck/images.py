"""Chart specs to PNG, offline, with vl-convert (no browser, no network).

The system's Noto CJK directory is registered once per process so Chinese labels render with
real glyphs; PNGs are cached by spec, so the .pptx and the PDF of one deck render each chart once."""

from __future__ import annotations

import json
import struct
import threading
from functools import lru_cache
from pathlib import Path

from services.deck.layout import Box

FONT_DIRS = (Path("/usr/share/fonts/opentype/noto"), Path("/usr/share/fonts/truetype/noto"))
SCALE = 2  # pixels per point: sharp on a 1080p projector and in print

_registered = False
_lock = threading.Lock()


def _register_fonts() -> None:
    global _registered
    import vl_convert

    with _lock:
        if _registered:
            return
        for directory in FONT_DIRS:
            if directory.is_dir():
                vl_convert.register_font_directory(str(directory))
        _registered = True


@lru_cache(maxsize=64)
def _png(spec_json: str, scale: int) -> bytes:
    import vl_convert

    _register_fonts()
    return vl_convert.vegalite_to_png(json.loads(spec_json), scale=scale)


def chart_png(spec: dict, *, scale: int = SCALE) -> bytes:
    """The chart as PNG bytes, ``scale`` pixels per point of the spec's width and height."""
    return _png(json.dumps(spec, sort_keys=True, ensure_ascii=False, default=str), scale)


def png_size(png: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def fitted(box: Box, png: bytes) -> Box:
    """The largest box of the image's aspect ratio inside ``box``, at its top, centred across."""
    width, height = png_size(png)
    scale = min(box.w / width, box.h / height)
    w, h = width * scale, height * scale
    return Box(box.x + (box.w - w) / 2, box.y, w, h)
