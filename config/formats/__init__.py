"""Date and time formats per language (settings.FORMAT_MODULE_PATH).

One format per language for every date a page shows: 2026年12月2日 / 2 Dec 2026, and with a
time 2026年12月2日 14:05 / 2 Dec 2026, 14:05 (times in TIME_ZONE, Asia/Shanghai). Templates
print dates with ``|date`` (or ``|date:"DATE_FORMAT"`` / ``"DATETIME_FORMAT"``), or with the
``<time>`` filters in ``apps.core.templatetags.dates``, never a hard-coded pattern; machine
formats (``datetime`` attributes, exports, file names) stay ISO 8601. Only the formats are
set here: anything not named (number separators, input formats) is Django's for the locale.
"""
