"""Uploaded files: checked by what they contain, not by their name, stored under generated
names outside any served directory.

Accepted, each recognised by its bytes:

- PDF;
- OFD (GB/T 33190): a ZIP whose root holds the entry file ``OFD.xml``;
- DOCX and XLSX (Office Open XML): a ZIP whose ``[Content_Types].xml`` names a Word or an
  Excel main part (the macro-enabled variants are refused);
- the binary Word and Excel formats, in an OLE2 compound file: DOC and XLS, and Kingsoft's
  WPS and ET, which are the same structures (a ``WordDocument`` or ``Workbook`` stream) with
  WPS Office's own additions. Their bytes cannot tell a DOC from a WPS, so each pair is one
  family, stored under the extension the file came with;
- JPEG and PNG scans.

Anything else is refused with a message that says what the file was found to be. ZIP-based
files are checked against ZIP bombs from the central directory (declared sizes, member
count, compression ratio) before anything is decompressed, and the one member read (the
manifest) is read with a cap, so declared sizes that lie cost nothing.
"""

import hashlib
import io
import re
import struct
import uuid
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MiB = 1024 * 1024
MAX_BYTES = 20 * MiB

PDF = "application/pdf"
OFD = "application/ofd"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOC = "application/msword"  # DOC and WPS
XLS = "application/vnd.ms-excel"  # XLS and ET

# The extensions each type goes by; the first is used when the upload's own is none of them.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    PDF: (".pdf",),
    OFD: (".ofd",),
    PNG: (".png",),
    JPEG: (".jpg", ".jpeg"),
    DOCX: (".docx",),
    XLSX: (".xlsx",),
    DOC: (".doc", ".wps"),
    XLS: (".xls", ".et"),
}
# For the upload form: the file chooser's filter and what it says (the check is the bytes).
ACCEPT = ",".join(ext for exts in EXTENSIONS.values() for ext in exts)
FORMATS_LABEL = gettext_lazy(
    "PDF, OFD, Word (DOCX, DOC, WPS), Excel (XLSX, XLS, ET), JPG or PNG, at most 20 MB"
)

# ZIP-based files (DOCX, XLSX, OFD). A DOCX holds tens of parts, an OFD a few per page; an
# XLSX at the size limit unpacks to about ten times its size. A bomb packs far tighter:
# zeros deflate about a thousand to one.
ZIP_MAX_MEMBERS = 2000
ZIP_MAX_UNPACKED = 256 * MiB
ZIP_MAX_RATIO = 100
ZIP_RATIO_FLOOR = MiB  # a small part may pack tightly without harm
# The central directory is parsed whole by zipfile, whatever count its end record declares:
# its size is bounded first (a generous 512 bytes a member), so that millions of tiny
# entries never become millions of objects.
ZIP_MAX_DIRECTORY = ZIP_MAX_MEMBERS * 512
# The manifest read to tell the format ([Content_Types].xml, OFD.xml) is a few kilobytes.
MANIFEST_MAX = MiB

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Directory entries scanned for stream names: a Word or Excel file has tens.
OLE2_MAX_ENTRIES = 4096

DOCX_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
XLSX_MAIN = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
OFD_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?OFD[\s>/]")


class AttachmentRejected(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    content_type: str
    sha256: str
    # The stored file's extension, within the type's family (".wps" stays ".wps").
    extension: str = ""


class _Found(Exception):
    """What the bytes were found to be, when it is nothing we accept: a message with
    %(name)s (and its own parameters), filled in by ``identify``."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


def identify(content: bytes, name: str) -> str:
    """The content type the bytes really are, among those accepted; raises
    AttachmentRejected, saying what the file is, for anything else."""
    try:
        return _identify(content)
    except _Found as found:
        raise AttachmentRejected(found.message % {"name": name, **found.params}) from None


def _identify(content: bytes) -> str:
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith(b"PK\x03\x04"):
        return _zip_format(content)
    if content.startswith(OLE2_MAGIC):
        return _ole2_format(content)
    raise _Found(_what_else(content))


def _what_else(content: bytes) -> str:
    """The message for bytes of no accepted type, naming what they are when that is known."""
    head = content[:4096]
    if head.startswith(b"MZ"):
        return _("“%(name)s” is a Windows program, not a document.")
    if head.startswith((b"\x7fELF", b"\xfe\xed\xfa", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe")):
        return _("“%(name)s” is a program, not a document.")
    if head.startswith((b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b")):
        return _(
            "“%(name)s” is a compressed archive (RAR, 7z or gzip), not a document: attach the "
            "documents themselves."
        )
    is_webp = head.startswith(b"RIFF") and head[8:12] == b"WEBP"
    if head.startswith((b"GIF87a", b"GIF89a", b"BM", b"II*\x00", b"MM\x00*")) or is_webp:
        return _("“%(name)s” is an image in a format not accepted: attach scans as JPG or PNG.")
    if b"\x00" not in head and _decodes(head):
        return _(
            "“%(name)s” is a text file or a web page, not a document: save it as PDF or DOCX "
            "and attach that."
        )
    return _(
        "“%(name)s” is not a PDF, OFD, Word, WPS, Excel, ET, JPG or PNG file by its content, "
        "whatever its name says."
    )


def _decodes(head: bytes) -> bool:
    for encoding in ("utf-8", "gb18030"):
        try:
            # The head may end inside a character: drop a few bytes before judging.
            head[: max(len(head) - 4, 1)].decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


# --- ZIP: OFD, DOCX, XLSX -------------------------------------------------------------------


def _zip_format(content: bytes) -> str:
    _check_end_record(content)
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise _Found(_damaged_zip()) from None
    with archive:
        members = archive.infolist()
        _check_bomb(members)
        names = {info.filename for info in members}
        if any(info.flag_bits & 0x1 for info in members):
            raise _Found(_password_message())
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            raise _Found(_macros_message())
        if "OFD.xml" in names:
            if OFD_ROOT.search(_read_capped(archive, "OFD.xml")[:4096]):
                return OFD
        elif "[Content_Types].xml" in names:
            types = _read_capped(archive, "[Content_Types].xml")
            if b"macroEnabled" in types:
                raise _Found(_macros_message())
            if DOCX_MAIN in types and "word/document.xml" in names:
                return DOCX
            if XLSX_MAIN in types and "xl/workbook.xml" in names:
                return XLSX
        elif "mimetype" in names and _read_capped(archive, "mimetype").startswith(
            b"application/vnd.oasis"
        ):
            raise _Found(
                _(
                    "“%(name)s” is an OpenDocument file (ODT, ODS): save it as DOCX, XLSX "
                    "or PDF and attach that."
                )
            )
    raise _Found(_("“%(name)s” is a ZIP archive but not an Office document or an OFD file."))


def _check_end_record(content: bytes) -> None:
    """Bound the central directory from the end record, before zipfile parses it: no ZIP64
    (an attachment never needs it), a directory small enough for the member limit."""
    start = content.rfind(b"PK\x05\x06", max(0, len(content) - 22 - 0xFFFF))
    if start < 0 or len(content) - start < 22:
        raise _Found(_damaged_zip())
    _sig, _disk, _cd_disk, _here, count, size, offset, _comment = struct.unpack_from(
        "<4s4H2LH", content, start
    )
    zip64 = start >= 20 and content[start - 20 : start - 16] == b"PK\x06\x07"
    if zip64 or count == 0xFFFF or size == 0xFFFFFFFF or offset == 0xFFFFFFFF:
        raise _Found(_too_many_members(), limit=ZIP_MAX_MEMBERS)
    if count > ZIP_MAX_MEMBERS or size > ZIP_MAX_DIRECTORY:
        raise _Found(_too_many_members(), limit=ZIP_MAX_MEMBERS)


def _check_bomb(members: list[zipfile.ZipInfo]) -> None:
    """Declared sizes from the central directory: nothing is decompressed here."""
    if len(members) > ZIP_MAX_MEMBERS:
        raise _Found(_too_many_members(), limit=ZIP_MAX_MEMBERS)
    unpacked = sum(info.file_size for info in members)
    tight = any(
        info.file_size > ZIP_RATIO_FLOOR
        and info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1)
        for info in members
    )
    if unpacked > ZIP_MAX_UNPACKED or tight:
        raise _Found(
            _(
                "“%(name)s” would unpack to %(size)d MB, far more than a document of its size: "
                "it is refused as a possible ZIP bomb."
            ),
            size=unpacked // MiB,
        )


def _read_capped(archive: zipfile.ZipFile, name: str) -> bytes:
    """A member's bytes, at most MANIFEST_MAX of them; a member that holds other than it
    declares (a wrong size or checksum) is damaged. zipfile stops at the declared size and
    checks the CRC there, and decompresses only what is asked for."""
    try:
        with archive.open(name) as member:
            data = member.read(MANIFEST_MAX + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, ValueError):
        raise _Found(_damaged_zip()) from None
    except RuntimeError:  # an encrypted member
        raise _Found(_password_message()) from None
    if len(data) > MANIFEST_MAX:
        raise _Found(_damaged_zip())
    return data


def _damaged_zip() -> str:
    return _(
        "“%(name)s” is damaged: the contents of its ZIP archive cannot be read, or do not "
        "match their declared sizes."
    )


def _too_many_members() -> str:
    return _(
        "“%(name)s” holds more than %(limit)d files, far more than an Office document or an "
        "OFD file: it is refused as a possible ZIP bomb."
    )


def _password_message() -> str:
    return _(
        "“%(name)s” is protected with a password: save a copy without the password and attach that."
    )


def _macros_message() -> str:
    return _(
        "“%(name)s” contains macros: save it without macros (as DOCX or XLSX) and attach that."
    )


# --- OLE2: DOC/WPS, XLS/ET ------------------------------------------------------------------

FREE, END_OF_CHAIN, MAX_SECTOR = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFA


def _ole2_format(content: bytes) -> str:
    entries = ole2_entries(content)
    if entries is None:
        raise _Found(_("“%(name)s” is a damaged Word or Excel (DOC, XLS, WPS, ET) file."))
    streams = {name.lower() for name, kind in entries if kind == 2}
    storages = {name.lower() for name, kind in entries if kind == 1}
    if "encryptedpackage" in streams:  # an Office Open XML file under a password
        raise _Found(_password_message())
    if "worddocument" in streams:
        if "macros" in storages:
            raise _Found(_macros_message())
        return DOC
    if streams & {"workbook", "book"}:
        if "_vba_project_cur" in storages:
            raise _Found(_macros_message())
        return XLS
    raise _Found(
        _("“%(name)s” is a Microsoft compound file but not a Word, WPS, Excel or ET document.")
    )


def ole2_entries(content: bytes) -> list[tuple[str, int]] | None:
    """The (name, type) of the directory entries of an OLE2 compound file ([MS-CFB]): type 1
    a storage, 2 a stream, 5 the root; None when the structure is broken. Only the FAT and
    the directory chain are read, each sector at most once."""
    if len(content) < 512 or not content.startswith(OLE2_MAGIC):
        return None
    major, byte_order, shift = struct.unpack_from("<3H", content, 26)
    if byte_order != 0xFFFE or (major, shift) not in ((3, 9), (4, 12)):
        return None
    size = 1 << shift
    sectors = (len(content) + size - 1) // size - 1  # the header fills the first sector slot
    fat_count, first_directory = struct.unpack_from("<2L", content, 44)
    first_difat, difat_count = struct.unpack_from("<2L", content, 68)
    if fat_count > sectors or difat_count > sectors:
        return None

    def sector(number: int) -> bytes:
        start = (number + 1) * size
        return content[start : start + size].ljust(size, b"\x00")

    per_sector = size // 4
    difat = list(struct.unpack_from("<109L", content, 76))
    current, seen = first_difat, set[int]()
    # Only the first fat_count entries name FAT sectors, and only the FAT entries of sectors
    # inside the file mean anything: reading stops there, whatever the header declares.
    while current < MAX_SECTOR and len(seen) < difat_count and len(difat) < fat_count:
        if current >= sectors or current in seen:
            return None
        seen.add(current)
        values = struct.unpack(f"<{per_sector}L", sector(current))
        difat.extend(values[:-1])
        current = values[-1]
    fat: list[int] = []
    for number in [s for s in difat if s < MAX_SECTOR][:fat_count]:
        if number >= sectors:
            return None
        if len(fat) >= sectors:
            break
        fat.extend(struct.unpack(f"<{per_sector}L", sector(number)))

    entries: list[tuple[str, int]] = []
    current, seen = first_directory, set[int]()
    while current != END_OF_CHAIN and len(entries) < OLE2_MAX_ENTRIES:
        if current >= sectors or current >= len(fat) or current in seen:
            return None
        seen.add(current)
        data = sector(current)
        for offset in range(0, size, 128):
            (length,) = struct.unpack_from("<H", data, offset + 64)
            kind = data[offset + 66]
            if kind in (1, 2, 5) and 2 <= length <= 64 and length % 2 == 0:
                name = data[offset : offset + length - 2].decode("utf-16-le", errors="replace")
                entries.append((name, kind))
        current = fat[current]
    return entries if entries and entries[0][1] == 5 else None


# --- Upload ---------------------------------------------------------------------------------


def check_upload(upload: UploadedFile) -> CheckedFile:
    """The upload's bytes, checked: refused before reading when its declared size is over
    the limit, and never read beyond one byte past it."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise AttachmentRejected(
            _("“%(name)s” is %(size).1f MB; attachments may be at most 20 MB.")
            % {"name": upload.name, "size": upload.size / MiB}
        )
    content = upload.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise AttachmentRejected(_("Attachments may be at most 20 MB."))
    if not content:
        raise AttachmentRejected(_("“%(name)s” is empty.") % {"name": upload.name})
    content_type = identify(content, str(upload.name))
    family = EXTENSIONS[content_type]
    suffix = Path(str(upload.name or "")).suffix.lower()
    extension = suffix if suffix in family else family[0]
    return CheckedFile(content, content_type, hashlib.sha256(content).hexdigest(), extension)


def storage_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "attachments"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store(checked: CheckedFile) -> str:
    """Write the bytes under a generated name and return that name."""
    name = f"{uuid.uuid4().hex}{checked.extension or EXTENSIONS[checked.content_type][0]}"
    (storage_dir() / name).write_bytes(checked.content)
    return name


def stored_path(stored_name: str) -> Path:
    return storage_dir() / Path(stored_name).name  # never a path from outside
