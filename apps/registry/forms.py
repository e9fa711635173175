from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from apps.registry.importing import MAX_BYTES, oversize_message


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Enterprise file (CSV or Excel .xlsx)"),
        help_text=_("At most 10 MB and 20,000 rows. The first line names the columns."),
        # A hint for the file picker only: the content decides how the file is read.
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        # Refused on its declared size, before anything reads it into memory.
        if upload.size is not None and upload.size > MAX_BYTES:
            raise forms.ValidationError(oversize_message(upload.size), code="too_big")
        return upload
