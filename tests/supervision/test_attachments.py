"""Files sent with feedback: the type is read from the content, 5 MB at most, images lose their
metadata (GPS above all) on the way in, and only those who may see the compound read them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image

from services import supervision
from services.access import PermissionDenied, clamp
from services.domain import Scope
from services.supervision import AttachmentRefused
from services.supervision.attachments import MAX_BYTES, clean
from tests.supervision.conftest import DEADLINE, NOW, A

GPS_IFD = 0x8825


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (29.0, 54.0, 36.0), 3: "E", 4: (103.0, 22.0, 12.0)})
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(buffer, format="JPEG", exif=exif)
    content = buffer.getvalue()
    assert Image.open(io.BytesIO(content)).getexif().get_ifd(GPS_IFD), "the fixture must carry GPS"
    return content


def png_with_text() -> bytes:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "拍摄于 29.9N 103.37E")
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def answered(oc, files):
    order = supervision.issue(
        oc.engine, oc.principal("town"), compound_id=oc.ids[A], requirement="请反馈整改照片", deadline=DEADLINE, now=NOW
    )
    supervision.sign(oc.engine, oc.principal("sec-a"), order.id)
    return supervision.answer(oc.engine, oc.principal("sec-a"), order.id, "已整改，附照片", files=files)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("现场照片.jpg", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "不是 JPG、PNG 图片或 PDF"),  # a renamed .exe
        ("photo.png", b"\x7fELF\x02\x01\x01" + b"\x00" * 200, "不是 JPG、PNG 图片或 PDF"),
        ("说明.pdf", b"<html><script>alert(1)</script></html>", "不是 JPG、PNG 图片或 PDF"),
        ("big.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * MAX_BYTES, "超过 5 MB"),
        ("broken.jpg", b"\xff\xd8\xff\xe0" + b"not really a jpeg" * 10, "无法作为图片打开"),
        ("empty.pdf", b"", "空文件"),
    ],
)
def test_refused_files(name, content, message):
    with pytest.raises(AttachmentRefused, match=message):
        clean(name, content)


def test_exactly_five_megabytes_of_pdf_is_accepted_and_named_by_its_real_type():
    content = PDF + b"0" * (MAX_BYTES - len(PDF))
    stored = clean("../../etc/整改报告.exe", content)
    assert (stored.file_name, stored.media_type, stored.size) == ("整改报告.pdf", "application/pdf", MAX_BYTES)


def test_png_text_chunks_are_dropped():
    stored = clean("a.png", png_with_text())
    assert stored.media_type == "image/png"
    assert "Comment" not in Image.open(io.BytesIO(stored.content)).info
    assert b"29.9N" not in stored.content


def test_a_photo_with_gps_is_stored_without_it_and_read_by_the_compound_scope(oc):
    original = jpeg_with_gps()
    order = answered(oc, [("IMG_0001.JPG", original), ("整改报告.pdf", PDF)])
    detail = supervision.order_detail(oc.engine, clamp(oc.principal("town"), Scope()), order.id)
    assert list(detail.files["file_name"]) == ["IMG_0001.jpg", "整改报告.pdf"]
    photo_id, pdf_id = (int(i) for i in detail.files["id"])
    for who in ("sec-a", "town", "county", "admin"):
        photo = supervision.attachment(oc.engine, clamp(oc.principal(who), Scope()), photo_id)
        assert photo.media_type == "image/jpeg"
    image = Image.open(io.BytesIO(photo.content))
    assert image.size == (64, 48)
    assert not image.getexif(), "EXIF (and with it the GPS position) must be gone"
    assert b"Exif" not in photo.content and b"PhoneMaker" not in photo.content
    assert supervision.attachment(oc.engine, clamp(oc.principal("sec-a"), Scope()), pdf_id).content == PDF
    for who in ("sec-b", "sec-c", "town-zg"):
        with pytest.raises(PermissionDenied):
            supervision.attachment(oc.engine, clamp(oc.principal(who), Scope()), photo_id)


def test_a_refused_file_leaves_the_order_unanswered(oc):
    with pytest.raises(AttachmentRefused):
        answered(oc, [("ok.pdf", PDF), ("setup.jpg", b"MZ" + b"\x00" * 100)])
    frame = supervision.orders(oc.engine, clamp(oc.principal("county"), Scope()), today=dt.date(2025, 4, 2))
    assert list(frame["state"]) == ["doing"]
    assert frame["answered_at"].isna().all()
