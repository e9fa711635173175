"""Uploaded files: checked by what they contain, not by their name, stored under generated
names outside any served directory."""

import hashlib
import io
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MAX_BYTES = 20 * 1024 * 1024

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXTENSIONS = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg", DOCX: ".docx", XLSX: ".xlsx"}


class AttachmentRejected(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    content_type: str
    sha256: str


def sniff(content: bytes) -> str | None:
    """The type the bytes really are, among those we accept; None for anything else."""
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                return DOCX
            if "xl/workbook.xml" in names:
                return XLSX
    return None


def check_upload(upload: UploadedFile) -> CheckedFile:
    if upload.size is not None and upload.size > MAX_BYTES:
        raise AttachmentRejected(
            _("“%(name)s” is %(size).1f MB; attachments may be at most 20 MB.")
            % {"name": upload.name, "size": upload.size / 1024 / 1024}
        )
    content = upload.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise AttachmentRejected(_("Attachments may be at most 20 MB."))
    if not content:
        raise AttachmentRejected(_("“%(name)s” is empty.") % {"name": upload.name})
    content_type = sniff(content)
    if content_type is None:
        raise AttachmentRejected(
            _(
                "“%(name)s” is not a PDF, Word (DOCX), Excel (XLSX), PNG or JPG file by its "
                "content, whatever its name says."
            )
            % {"name": upload.name}
        )
    return CheckedFile(content, content_type, hashlib.sha256(content).hexdigest())


def storage_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "attachments"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store(checked: CheckedFile) -> str:
    """Write the bytes under a generated name and return that name."""
    name = f"{uuid.uuid4().hex}{EXTENSIONS[checked.content_type]}"
    (storage_dir() / name).write_bytes(checked.content)
    return name


def stored_path(stored_name: str) -> Path:
    return storage_dir() / Path(stored_name).name  # never a path from outside
