"""Decide what a file really is from its bytes (never its extension), and refuse the unsafe.

Workbooks are zip packages: member count, unpacked size and compression ratio are capped before
openpyxl sees them (zip bombs), macros and encrypted members are refused, and any DTD or entity
declaration refuses the file (XML entity bombs; openpyxl also parses through defusedxml).
"""

from __future__ import annotations

import io
import re
import zipfile

from services.ingest.uploads import FileRefused, Limits

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ONE_MIB = 1024 * 1024
_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_OTHER_BINARY = {
    b"%PDF": ("这是 PDF 文件，不是表格", "请上传 Excel（.xlsx）或 CSV 文件；PDF 无法读取数据"),
    b"\x89PNG": ("这是图片，不是表格", "请上传 Excel（.xlsx）或 CSV 文件"),
    b"\xff\xd8\xff": ("这是图片，不是表格", "请上传 Excel（.xlsx）或 CSV 文件"),
    b"GIF8": ("这是图片，不是表格", "请上传 Excel（.xlsx）或 CSV 文件"),
    b"Rar!": ("这是 RAR 压缩包", "请解压后上传其中的 .xlsx 或 .csv 文件"),
    b"7z\xbc\xaf": ("这是 7z 压缩包", "请解压后上传其中的 .xlsx 或 .csv 文件"),
    b"\x1f\x8b": ("这是 gzip 压缩文件", "请解压后上传其中的 .xlsx 或 .csv 文件"),
    b"{\\rtf": ("这是 RTF 文档，不是表格", "请在 Excel 或 WPS 中另存为 .xlsx 后上传"),
}


def sniff(data: bytes, limits: Limits) -> str:
    """``"xlsx"`` or ``"text"``; anything else raises FileRefused with a Chinese explanation."""
    if not data:
        raise FileRefused("文件是空的", "请确认选对了文件", "file.empty")
    if len(data) > limits.max_bytes:
        mb = limits.max_bytes / ONE_MIB
        raise FileRefused(
            f"文件超过 {mb:g} MB 的上限", "请删除空白行和无关的工作表后重新保存，或拆分上传", "limits.bytes"
        )
    if data.startswith(OLE_MAGIC):
        raise _ole_refusal(data)
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        check_workbook_package(data, limits)
        return "xlsx"
    for magic, (message, hint) in _OTHER_BINARY.items():
        if data.startswith(magic):
            raise FileRefused(message, hint, "file.type")
    return "text"


def _ole_refusal(data: bytes) -> FileRefused:
    def has(name: str) -> bool:
        return name.encode("utf-16-le") in data

    if has("EncryptionInfo") or has("EncryptedPackage"):
        return FileRefused(
            "工作簿设置了打开密码（已加密），无法读取",
            "请在 Excel/WPS 中取消密码后另存为 .xlsx 再上传",
            "file.encrypted",
        )
    if has("Workbook") or has("Book"):
        return FileRefused(
            "这是旧版 Excel 97-2003 工作簿（.xls）", "请在 Excel/WPS 中“另存为”Excel 工作簿（.xlsx）后上传", "file.xls"
        )
    if has("WordDocument"):
        return FileRefused("这是 Word 文档，不是表格", "请上传 Excel（.xlsx）或 CSV 文件", "file.type")
    return FileRefused("无法识别的旧版 Office 文件", "请另存为 Excel 工作簿（.xlsx）后上传", "file.type")


def check_workbook_package(data: bytes, limits: Limits) -> None:
    """Refuse zip bombs, non-workbook packages, macros, encrypted members and XML with a DTD."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise FileRefused("文件已损坏，无法打开", "请在 Excel/WPS 中重新保存为 .xlsx 后上传", "file.corrupt") from None
    with archive:
        names = {m.filename for m in members}
        if len(members) > limits.max_zip_entries:
            raise FileRefused("工作簿内部文件数量异常", "请重新保存为普通的 .xlsx 工作簿", "zip.entries")
        if sum(m.file_size for m in members) > limits.max_unzipped_bytes or any(
            m.file_size > ONE_MIB and m.file_size > limits.max_zip_ratio * max(m.compress_size, 1) for m in members
        ):
            raise FileRefused("工作簿解压后体积异常（疑似压缩炸弹）", "请上传正常保存的 .xlsx 文件", "zip.bomb")
        if any(m.flag_bits & 0x1 for m in members):
            raise FileRefused("工作簿内部文件已加密", "请取消密码后另存为 .xlsx 再上传", "file.encrypted")
        _refuse_non_workbook(names)
        content_types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
        if any(n.lower().endswith("vbaproject.bin") for n in names) or b"macroEnabled" in content_types:
            raise FileRefused("工作簿含有宏（.xlsm）", "请另存为不含宏的 Excel 工作簿（.xlsx）后上传", "file.macro")
        for member in members:
            if member.filename.lower().endswith((".xml", ".rels", ".vml")):
                _refuse_dtd(archive, member, limits)


def _refuse_non_workbook(names: set[str]) -> None:
    if "xl/workbook.xml" in names and "[Content_Types].xml" in names:
        return
    if "word/document.xml" in names:
        raise FileRefused("这是 Word 文档，不是表格", "请上传 Excel（.xlsx）或 CSV 文件", "file.type")
    if "ppt/presentation.xml" in names:
        raise FileRefused("这是 PowerPoint 文件，不是表格", "请上传 Excel（.xlsx）或 CSV 文件", "file.type")
    if "content.xml" in names and "mimetype" in names:
        raise FileRefused("这是 OpenDocument 表格（.ods）", "请在 WPS/Excel 中另存为 .xlsx 后上传", "file.type")
    raise FileRefused("这是压缩包，不是 Excel 工作簿", "请解压后上传其中的 .xlsx 或 .csv 文件", "file.type")


def _refuse_dtd(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limits: Limits) -> None:
    tail, seen = b"", 0
    try:
        with archive.open(member) as fh:
            while chunk := fh.read(256 * 1024):
                seen += len(chunk)
                if seen > limits.max_unzipped_bytes:
                    raise FileRefused("工作簿解压后体积异常（疑似压缩炸弹）", "请上传正常保存的 .xlsx 文件", "zip.bomb")
                if _DTD.search(tail + chunk):
                    raise FileRefused(
                        "工作簿含有不安全的 XML 声明（DTD/实体）",
                        "请在 Excel/WPS 中重新保存为 .xlsx 后上传",
                        "xml.entities",
                    )
                tail = chunk[-32:]
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError):
        raise FileRefused("文件已损坏，无法打开", "请在 Excel/WPS 中重新保存为 .xlsx 后上传", "file.corrupt") from None
