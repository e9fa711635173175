import hashlib
import io
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader

# Packets are a few MB; anything far larger is not one of ours, and is refused before it
# is read.
VERIFY_MAX_BYTES = 50 * 1024 * 1024
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


def embedded_version_json(data: bytes) -> bytes | None:
    """The version.json a packet carries, or None (no attachment, or not a readable PDF)."""
    try:
        reader = PdfReader(io.BytesIO(data))
        found = reader.attachments.get("version.json")
    except Exception:  # any unreadable PDF simply has no embedded data
        return None
    return found[0] if found else None


class VerifyForm(forms.Form):
    """A packet file or a pasted sha256: one of the two."""

    packet = forms.FileField(
        label=_("Packet (PDF)"),
        required=False,
        help_text=_("The PDF file as you received it, up to 50 MB."),
    )
    sha256 = forms.CharField(
        label=_("or SHA-256 fingerprint"),
        required=False,
        max_length=100,
        help_text=_("64 hexadecimal characters: a packet's or a version's fingerprint."),
    )

    def clean_packet(self) -> Any:
        upload = self.cleaned_data.get("packet")
        if not upload:
            return None
        if upload.size > VERIFY_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 50 MB: it cannot be a filing packet.")
            )
        upload.seek(0)
        if upload.read(5) != b"%PDF-":
            raise forms.ValidationError(_("The file is not a PDF."))
        upload.seek(0)
        return upload

    def clean_sha256(self) -> str:
        value = "".join((self.cleaned_data.get("sha256") or "").split()).lower()
        if value and not SHA256_RE.match(value):
            raise forms.ValidationError(_("A SHA-256 fingerprint is 64 characters 0-9 and a-f."))
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        has_file, has_hash = bool(cleaned.get("packet")), bool(cleaned.get("sha256"))
        if has_file == has_hash:
            raise forms.ValidationError(
                _("Upload a packet or paste a fingerprint (one of the two).")
            )
        return cleaned

    def fingerprints(self) -> tuple[str, str, str | None]:
        """(method, the file's or pasted sha256, the embedded version.json's sha256)."""
        upload = self.cleaned_data.get("packet")
        if not upload:
            value = self.cleaned_data["sha256"]
            return "sha256", value, None
        upload.seek(0)
        data = upload.read()
        embedded = embedded_version_json(data)
        return (
            "file",
            hashlib.sha256(data).hexdigest(),
            hashlib.sha256(embedded).hexdigest() if embedded is not None else None,
        )


class BundleRequestForm(forms.Form):
    deliverable = forms.IntegerField(widget=forms.HiddenInput)
