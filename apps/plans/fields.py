"""Form fields for plan content: plain text only, exact decimals as strings."""

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.plans.gaps import format_decimal

LONG_TEXT_MAX = 20_000
# A tag opens with "<" and a letter (or "!" for comments and doctypes) and closes with ">".
# "资产负债率<65%" and "a < b" are text, not tags.
HTML_TAG = re.compile(r"<\s*/?\s*[A-Za-z!][^>]*>")


def reject_html(value: str) -> None:
    """Content is plain text: rendered escaped everywhere, so markup would only show up as
    noise in the packet. Refuse it where it is typed, with the tag that was found."""
    match = HTML_TAG.search(value or "")
    if match:
        tag = match.group(0)
        if len(tag) > 40:
            tag = tag[:39] + "…"
        raise ValidationError(
            _("Write plain text; HTML tags such as %(tag)s are not allowed."),
            code="html",
            params={"tag": tag},
        )


def clean_text(value: str) -> str:
    """One spelling of a text: Unix newlines, no trailing spaces on any line, no blank lines
    at either end. Leading spaces of the first line stay (Chinese paragraphs are indented)."""
    lines = [line.rstrip() for line in value.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip("\n")


class PlainTextField(forms.CharField):
    """A long text in paragraphs (blank lines between them), shown with ``linebreaks``."""

    def __init__(self, *, rows: int = 6, max_length: int = LONG_TEXT_MAX, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(max_length=max_length, strip=False, **kwargs)
        self.validators.append(reject_html)

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        return clean_text(text) if text else ""


class LineField(forms.CharField):
    """A short single-line text (a name, a source): plain text as well."""

    def __init__(self, *, max_length: int = 300, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(max_length=max_length, **kwargs)
        self.validators.append(reject_html)


class DecimalTextField(forms.DecimalField):
    """A decimal typed as text ("1,234.5" is fine), cleaned to the string that is stored:
    JSON numbers would lose exactness, strings keep every digit typed."""

    widget = forms.TextInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_digits", 24)
        kwargs.setdefault("decimal_places", 6)
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        # A text box, not type=number: browsers would round or reject what was typed.
        attrs.pop("step", None)
        attrs.update({"inputmode": "decimal", "autocomplete": "off"})
        return attrs

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = value.strip().replace(",", "").replace("，", "")
        return super().to_python(value)

    def prepare_value(self, value: Any) -> Any:
        return format_decimal(value) if isinstance(value, Decimal) else value


def decimal_text(value: Decimal | None) -> str:
    return "" if value is None else format_decimal(value)


class ISODateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")
