"""Attachments are checked by their bytes: each accepted format built here as its own
program writes it, and each refusal with the exact message the person reads."""

import io
import random
import struct
import zipfile
from collections.abc import Iterable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.urls import reverse
from django.utils import translation
from docx import Document
from openpyxl import Workbook
from PIL import Image

from apps.filings.attachments import (
    MAX_BYTES,
    AttachmentRejected,
    CheckedFile,
    check_upload,
    ole2_entries,
)
from apps.filings.models import Attachment, Filing
from tests.conftest import World, zh

MiB = 1024 * 1024

PDF_BYTES = (
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
)
OFD_XML = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD">'
    "<ofd:DocBody><ofd:DocInfo><ofd:DocID>6f1d</ofd:DocID></ofd:DocInfo>"
    "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
)


def check(content: bytes, name: str) -> CheckedFile:
    """The check as the upload view runs it, in Chinese (the interface's default)."""
    with translation.override("zh-hans"):
        return check_upload(SimpleUploadedFile(name, content))


def refusal(content: bytes, name: str) -> str:
    with translation.override("zh-hans"), pytest.raises(AttachmentRejected) as caught:
        check_upload(SimpleUploadedFile(name, content))
    return caught.value.message


def zipped(members: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    document = Document()
    document.add_paragraph("党委会议纪要")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    workbook = Workbook()
    workbook.active["A1"] = "利润总额"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def image_bytes(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, kind)
    return buffer.getvalue()


# --- OLE2 compound files ([MS-CFB], version 3: 512-byte sectors) ------------------------------

FREE, END, FAT_SECTOR = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD


def dir_entry(name: str, kind: int, *, child: int = FREE, right: int = FREE,
              start: int = END, size: int = 0) -> bytes:  # fmt: skip
    encoded = name.encode("utf-16-le") + b"\x00\x00"
    return (
        encoded.ljust(64, b"\x00")
        + struct.pack("<HBB", len(encoded), kind, 1)  # name length, type, colour black
        + struct.pack("<3L", FREE, right, child)  # left sibling, right sibling, child
        + b"\x00" * 16  # CLSID
        + struct.pack("<L", 0)  # state bits
        + b"\x00" * 16  # created, modified
        + struct.pack("<LQ", start, size)
    )


def compound_file(*entries: tuple[str, int]) -> bytes:
    """A compound file whose root holds ``entries`` (name, type: 1 storage, 2 stream), the
    first stream 4096 bytes long in regular sectors, every other one empty: sector 0 is the
    FAT, sector 1 the directory, sectors 2-9 the stream's data."""
    directory = [dir_entry("Root Entry", 5, child=1 if entries else FREE)]
    for i, (name, kind) in enumerate(entries, 1):
        right = i + 1 if i < len(entries) else FREE
        first = i == 1 and kind == 2
        directory.append(dir_entry(name, kind, right=right, start=2 if first else END,
                                   size=4096 if first else 0))  # fmt: skip
    assert len(directory) <= 4
    directory_sector = b"".join(directory).ljust(512, b"\x00")
    fat = [FAT_SECTOR, END, *range(3, 10), END]
    fat_sector = struct.pack(f"<{len(fat)}L", *fat).ljust(512, b"\xff")
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 16  # CLSID
        + struct.pack("<5H", 0x3E, 3, 0xFFFE, 9, 6)  # minor, major, byte order, shifts
        + b"\x00" * 6
        + struct.pack("<3L", 0, 1, 1)  # directory sectors (v3: 0), FAT sectors, first dir
        + struct.pack("<2L", 0, 4096)  # transaction, mini stream cutoff
        + struct.pack("<2L", END, 0)  # mini FAT
        + struct.pack("<2L", END, 0)  # DIFAT
        + struct.pack("<L", 0)  # the FAT is sector 0
        + b"\xff" * (108 * 4)
    )
    assert len(header) == 512
    data = bytes(range(256)) * 16  # the stream's 4096 bytes
    return header + fat_sector + directory_sector + data


WORD_DOC = compound_file(("WordDocument", 2), ("1Table", 2), ("\x05SummaryInformation", 2))
EXCEL_BOOK = compound_file(("Workbook", 2), ("\x05SummaryInformation", 2))


def test_the_compound_file_builder_is_read_as_written() -> None:
    assert ole2_entries(WORD_DOC) == [
        ("Root Entry", 5), ("WordDocument", 2), ("1Table", 2), ("\x05SummaryInformation", 2),
    ]  # fmt: skip
    assert ole2_entries(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600) is None


# --- Accepted ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "build", "content_type", "extension"),
    [
        ("批复.pdf", lambda: PDF_BYTES, "application/pdf", ".pdf"),
        ("纪要.ofd", lambda: zipped({"OFD.xml": OFD_XML, "Doc_0/Document.xml": "<ofd:Document/>"}),
         "application/ofd", ".ofd"),
        ("纪要.docx", docx_bytes,
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
        ("指标.xlsx", xlsx_bytes,
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
        ("纪要.doc", lambda: WORD_DOC, "application/msword", ".doc"),
        ("纪要.wps", lambda: WORD_DOC, "application/msword", ".wps"),
        ("指标.xls", lambda: EXCEL_BOOK, "application/vnd.ms-excel", ".xls"),
        ("指标.et", lambda: EXCEL_BOOK, "application/vnd.ms-excel", ".et"),
        ("扫描件.jpg", lambda: image_bytes("JPEG"), "image/jpeg", ".jpg"),
        ("扫描件.png", lambda: image_bytes("PNG"), "image/png", ".png"),
        # By content, whatever the name: a PDF named .docx is a PDF, a WPS file named .doc a
        # Word file, and a Word file with no known extension is stored as .doc.
        ("report.docx", lambda: PDF_BYTES, "application/pdf", ".pdf"),
        ("纪要", lambda: WORD_DOC, "application/msword", ".doc"),
    ],
)  # fmt: skip
def test_accepted_formats(name: str, build, content_type: str, extension: str) -> None:  # type: ignore[no-untyped-def]
    content = build()
    checked = check(content, name)
    assert checked.content_type == content_type
    assert checked.extension == extension
    assert checked.content == content


def test_a_bigger_compound_file_with_a_workbook_under_another_name() -> None:
    # BIFF5 workbooks (Excel 5/95) name their stream "Book".
    assert check(compound_file(("Book", 2)), "旧表.xls").content_type == "application/vnd.ms-excel"


# --- Refused ----------------------------------------------------------------------------------


def test_a_renamed_windows_program_is_refused() -> None:
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48 + b"PE\x00\x00"
    assert refusal(exe, "report.pdf") == zh(
        "“%(name)s” is a Windows program, not a document.", name="report.pdf"
    )


def bomb_members(archive: zipfile.ZipFile, size: int) -> None:
    """A real DOCX's parts, and one more part of ``size`` zeros, written streaming."""
    with zipfile.ZipFile(io.BytesIO(docx_bytes())) as source:
        for info in source.infolist():
            archive.writestr(info.filename, source.read(info))
    chunk = b"\x00" * MiB
    with archive.open("word/media/image1.png", "w") as member:
        for _ in range(size // MiB):
            member.write(chunk)


def test_a_zip_bomb_disguised_as_docx_is_refused_without_unpacking() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        bomb_members(archive, 200 * MiB)
    content = buffer.getvalue()
    assert len(content) < 2 * MiB  # 200 MB of zeros pack into a few hundred kilobytes
    assert refusal(content, "实施方案.docx") == zh(
        "“%(name)s” would unpack to %(size)d MB, far more than a document of its size: it is "
        "refused as a possible ZIP bomb.",
        name="实施方案.docx",
        size=200,
    )


def test_a_tightly_packed_part_is_refused_even_when_the_total_is_small() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        bomb_members(archive, 50 * MiB)  # under the total limit, a thousand to one
    assert refusal(buffer.getvalue(), "a.docx") == zh(
        "“%(name)s” would unpack to %(size)d MB, far more than a document of its size: it is "
        "refused as a possible ZIP bomb.",
        name="a.docx",
        size=50,
    )


def with_declared_size(content: bytes, member: str, declared: int) -> bytes:
    """The ZIP with ``member``'s uncompressed size in the central directory (what zipfile
    reads) replaced by ``declared``: a file whose sizes lie."""
    data = bytearray(content)
    at = 0
    while True:
        at = data.find(b"PK\x01\x02", at)
        assert at >= 0, member
        (name_length,) = struct.unpack_from("<H", data, at + 28)
        if data[at + 46 : at + 46 + name_length].decode() == member:
            struct.pack_into("<L", data, at + 24, declared)
            return bytes(data)
        at += 46


def test_a_docx_whose_declared_sizes_lie_is_caught_reading_its_manifest() -> None:
    # The manifest holds 8 MB (it packs to a few kilobytes) but declares 2 KB: the ratio
    # check sees nothing wrong; reading it stops at the declared size and the checksum fails.
    with zipfile.ZipFile(io.BytesIO(docx_bytes())) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    parts["[Content_Types].xml"] += b" " * (8 * MiB)
    lying = with_declared_size(zipped(parts), "[Content_Types].xml", 2048)
    assert refusal(lying, "纪要.docx") == zh(
        "“%(name)s” is damaged: the contents of its ZIP archive cannot be read, or do not "
        "match their declared sizes.",
        name="纪要.docx",
    )


def test_a_zip_with_too_many_members_is_refused_before_it_is_parsed() -> None:
    members: dict[str, bytes | str] = {f"word/media/{i}.txt": "" for i in range(2001)}
    members["[Content_Types].xml"] = "<Types/>"
    assert refusal(zipped(members), "a.docx") == zh(
        "“%(name)s” holds more than %(limit)d files, far more than an Office document or an "
        "OFD file: it is refused as a possible ZIP bomb.",
        name="a.docx",
        limit=2000,
    )


def test_an_oversize_file_is_refused_by_its_declared_size() -> None:
    big = SimpleUploadedFile("大文件.pdf", b"%PDF-" + b"0" * MAX_BYTES)
    with translation.override("zh-hans"), pytest.raises(AttachmentRejected) as caught:
        check_upload(big)
    assert caught.value.message == zh(
        "“%(name)s” is %(size).1f MB; attachments may be at most 20 MB.",
        name="大文件.pdf",
        size=20.0,
    )


class CountingFile(io.BytesIO):
    """A stream that records how much it was asked for."""

    asked: list[int]

    def read(self, size: int | None = -1) -> bytes:
        self.asked.append(-1 if size is None else size)
        return super().read(size)


def test_an_upload_of_unknown_size_is_read_at_most_one_byte_past_the_limit() -> None:
    stream = CountingFile(b"%PDF-" + b"0" * (30 * MiB))
    stream.asked = []
    upload = UploadedFile(stream, name="未知大小.pdf", size=None)
    with translation.override("zh-hans"), pytest.raises(AttachmentRejected) as caught:
        check_upload(upload)
    assert caught.value.message == zh("Attachments may be at most 20 MB.")
    assert stream.asked == [MAX_BYTES + 1]


def test_a_file_just_at_the_limit_is_accepted() -> None:
    assert check(b"%PDF-" + b"0" * (MAX_BYTES - 5), "a.pdf").content_type == "application/pdf"


def random_binary() -> bytes:
    return b"\x00\x13\x37" + random.Random(15).randbytes(4096)


REFUSALS: Iterable[tuple[str, bytes, str, dict[str, object]]] = [
    ("随机.pdf", random_binary(),
     "“%(name)s” is not a PDF, OFD, Word, WPS, Excel, ET, JPG or PNG file by its content, "
     "whatever its name says.", {}),
    ("空.pdf", b"", "“%(name)s” is empty.", {}),
    ("a.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 64, "“%(name)s” is a program, not a document.",
     {}),
    ("a.docx", b"Rar!\x1a\x07\x01\x00" + b"\x00" * 64,
     "“%(name)s” is a compressed archive (RAR, 7z or gzip), not a document: attach the "
     "documents themselves.", {}),
    ("扫描件.jpg", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
     "“%(name)s” is an image in a format not accepted: attach scans as JPG or PNG.", {}),
    ("纪要.pdf", "<html><body>党委会议纪要</body></html>".encode(),
     "“%(name)s” is a text file or a web page, not a document: save it as PDF or DOCX and "
     "attach that.", {}),
    ("a.docx", zipped({"readme.txt": "hello", "setup.exe": b"MZ"}),
     "“%(name)s” is a ZIP archive but not an Office document or an OFD file.", {}),
    ("a.ofd", zipped({"OFD.xml": "<html/>"}),
     "“%(name)s” is a ZIP archive but not an Office document or an OFD file.", {}),
    ("a.docx", zipped({"mimetype": "application/vnd.oasis.opendocument.text",
                       "content.xml": "<office:document-content/>"}),
     "“%(name)s” is an OpenDocument file (ODT, ODS): save it as DOCX, XLSX or PDF and attach "
     "that.", {}),
    ("a.docx", zipped({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>",
                       "word/vbaProject.bin": b"\x00"}),
     "“%(name)s” contains macros: save it without macros (as DOCX or XLSX) and attach that.",
     {}),
    ("a.doc", compound_file(("WordDocument", 2), ("Macros", 1)),
     "“%(name)s” contains macros: save it without macros (as DOCX or XLSX) and attach that.",
     {}),
    ("a.docx", compound_file(("EncryptedPackage", 2), ("EncryptionInfo", 2)),
     "“%(name)s” is protected with a password: save a copy without the password and attach "
     "that.", {}),
    ("a.ppt", compound_file(("PowerPoint Document", 2)),
     "“%(name)s” is a Microsoft compound file but not a Word, WPS, Excel or ET document.", {}),
    ("a.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
     "“%(name)s” is a damaged Word or Excel (DOC, XLS, WPS, ET) file.", {}),
    ("a.docx", b"PK\x03\x04" + b"\x00" * 100,
     "“%(name)s” is damaged: the contents of its ZIP archive cannot be read, or do not match "
     "their declared sizes.", {}),
]  # fmt: skip


@pytest.mark.parametrize(("name", "content", "msgid", "params"), REFUSALS)
def test_refusals_say_what_the_file_is(
    name: str, content: bytes, msgid: str, params: dict[str, object]
) -> None:
    assert refusal(content, name) == zh(msgid, name=name, **params)


def test_a_pptx_is_not_taken_for_a_docx() -> None:
    pptx = zipped({
        "[Content_Types].xml": '<Types><Override ContentType="application/vnd.openxmlformats-'
        'officedocument.presentationml.presentation.main+xml"/></Types>',
        "ppt/presentation.xml": "<p:presentation/>",
    })  # fmt: skip
    assert refusal(pptx, "a.docx") == zh(
        "“%(name)s” is a ZIP archive but not an Office document or an OFD file.", name="a.docx"
    )


# --- Through the upload page -----------------------------------------------------------------


@pytest.mark.django_db
def test_uploads_keep_their_family_extension_and_refusals_are_shown(
    world: World, filing: Filing, client_for
) -> None:
    client = client_for(world.editor)
    url = reverse("filings:attachment_upload", args=[filing.pk])
    client.post(url, {"file": SimpleUploadedFile("党委会议纪要.wps", WORD_DOC)})
    client.post(url, {"file": SimpleUploadedFile("纪要.ofd", zipped({"OFD.xml": OFD_XML}))})
    stored = {a.original_name: a for a in Attachment.objects.all()}
    assert stored["党委会议纪要.wps"].content_type == "application/msword"
    assert stored["党委会议纪要.wps"].stored_name.endswith(".wps")
    assert stored["纪要.ofd"].content_type == "application/ofd"
    assert stored["纪要.ofd"].stored_name.endswith(".ofd")

    exe = SimpleUploadedFile("report.pdf", b"MZ\x90\x00" + b"\x00" * 64)
    page = client.post(url, {"file": exe}, follow=True).content.decode()
    assert zh("“%(name)s” is a Windows program, not a document.", name="report.pdf") in page
    assert Attachment.objects.count() == 2
