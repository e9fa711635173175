"""Dates as people read them, with the machine form beside: ``{% load dates %}``.

``{{ d|day }}`` prints ``<time datetime="2026-12-02">2026年12月2日</time>`` (``2 Dec 2026`` in
English) and ``{{ t|moment }}`` prints ``<time datetime="2026-12-02T14:05:00+08:00">2026年12月2日
14:05</time>``, the time in TIME_ZONE (Asia/Shanghai). The visible text follows the language's
DATE_FORMAT / DATETIME_FORMAT (config/formats/); the ``datetime`` attribute stays ISO 8601, for
scripts, tests and assistive technology. Inside a sentence (``blocktranslate``) use
``|date:"DATE_FORMAT"`` instead: a translation takes text, not markup.
"""

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def day(value: dt.date | None, empty: str = "") -> SafeString | str:
    """A calendar date (a datetime is first put into the local time zone)."""
    if value is None or value == "":
        return empty
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return format_html(
        '<time datetime="{}">{}</time>',
        value.isoformat(),
        date_format(value, get_format("DATE_FORMAT")),
    )


@register.filter
def moment(value: dt.datetime | None, empty: str = "") -> SafeString | str:
    """A point in time, shown in the local time zone to the minute."""
    if value is None or value == "":
        return empty
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return format_html(
        '<time datetime="{}">{}</time>',
        value.isoformat(timespec="seconds"),
        date_format(value, get_format("DATETIME_FORMAT")),
    )
