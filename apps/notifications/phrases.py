"""What a notification says, rendered when it is read.

A notification stores its verb (and a variant, where one verb has several phrasings) with
JSON-safe parameters, never a finished sentence: its title is made here with gettext in the
active language, so that people read it in the language of the page they are on (and an
email in its recipient's language at sending time), whatever language was active when it was
made. Switching language changes every notification, old ones included.

Parameters are ids, codes, numbers, ISO dates and plain strings. A name the data holds in
both languages is stored twice, ``<name>_zh`` and ``<name>_en`` (see ``bilingual_params``),
and ``apps.core.i18n.in_language`` picks one when rendering. Everything a title needs is in
its parameters, so listing notifications costs no query per row.

Adding a kind of notification: add its ``Verb``, its phrasing to ``PHRASES`` (a lazy
message, ``ngettext_lazy`` when it counts something), and call ``notify()`` with the params;
``check_params`` refuses, at notifying time, params the phrase cannot be made from.
"""

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy
from django_stubs_ext import StrOrPromise

from apps.core.i18n import in_language
from apps.notifications.models import Verb

if TYPE_CHECKING:
    from apps.notifications.models import Notification

logger = logging.getLogger(__name__)

ZH, EN = "_zh", "_en"


def bilingual_params(**names: tuple[str, str]) -> dict[str, str]:
    """``enterprise=(name_zh, name_en)`` → ``{"enterprise_zh": …, "enterprise_en": …}``: how a
    caller stores a name that exists in both languages."""
    params: dict[str, str] = {}
    for key, (zh, en) in names.items():
        params[key + ZH] = zh or ""
        params[key + EN] = en or ""
    return params


def in_active_language(params: Mapping[str, Any]) -> dict[str, Any]:
    """The stored params as a phrase uses them: each ``x_zh``/``x_en`` pair becomes ``x`` in
    the active language; everything else is passed as it is."""
    values = dict(params)
    for key in params:
        if key.endswith(ZH):
            base = key.removesuffix(ZH)
            values[base] = in_language(str(params[key] or ""), str(params.get(base + EN) or ""))
    return values


@dataclass(frozen=True)
class Phrase:
    """One phrasing: a lazy message with %(name)s placeholders, and the function that turns
    the stored params into its values in the active language."""

    message: StrOrPromise
    prepare: Callable[[Mapping[str, Any]], dict[str, Any]] = field(default=in_active_language)

    def render(self, params: Mapping[str, Any]) -> str:
        # ``%`` on an ngettext_lazy message picks the plural form by its number's key.
        return str(self.message % self.prepare(params))


# (verb, variant) → phrase. Reminder variants are the reminder rule kinds
# (apps.reminders.models.RuleKind), spelt out here since reminders sit above this app.
PHRASES: dict[tuple[str, str], Phrase] = {
    (Verb.SUBMITTED, ""): Phrase(
        gettext_lazy("%(enterprise)s submitted “%(deliverable)s” for review")
    ),
    (Verb.ASSIGNED, ""): Phrase(
        gettext_lazy("You were assigned to review “%(deliverable)s” of %(enterprise)s")
    ),
    (Verb.RETURNED, ""): Phrase(
        gettext_lazy("“%(deliverable)s” was returned for revision: see the reasons")
    ),
    (Verb.APPROVED, ""): Phrase(gettext_lazy("“%(deliverable)s” was filed")),
    (Verb.BUNDLE_READY, ""): Phrase(
        gettext_lazy(
            "The ZIP of filed packets for %(deliverable)s (%(authority)s) is ready to download."
        )
    ),
    (Verb.REMINDER, "before_due"): Phrase(
        ngettext_lazy(
            "“%(deliverable)s” of %(enterprise)s is due on %(date)s: %(days)d working day left",
            "“%(deliverable)s” of %(enterprise)s is due on %(date)s: %(days)d working days left",
            "days",
        )
    ),
    (Verb.REMINDER, "on_due"): Phrase(
        gettext_lazy("“%(deliverable)s” of %(enterprise)s is due today (%(date)s)")
    ),
    (Verb.REMINDER, "overdue_repeat"): Phrase(
        gettext_lazy("“%(deliverable)s” of %(enterprise)s is overdue: it was due on %(date)s")
    ),
    (Verb.ESCALATION, ""): Phrase(
        ngettext_lazy(
            "%(count)d overdue filing needs your attention",
            "%(count)d overdue filings need your attention",
            "count",
        )
    ),
    (Verb.REVIEW_WAITING, ""): Phrase(
        gettext_lazy("“%(deliverable)s” of %(enterprise)s has waited for review since %(date)s")
    ),
    (Verb.READY_FOR_LEAD, ""): Phrase(
        gettext_lazy("%(who)s marked the draft of “%(deliverable)s” ready for your review")
    ),
    (Verb.READY_FOR_LEAD, "sections"): Phrase(
        ngettext_lazy(
            "%(who)s marked %(count)d section of “%(deliverable)s” ready for your review",
            "%(who)s marked %(count)d sections of “%(deliverable)s” ready for your review",
            "count",
        )
    ),
}


def check_params(verb: str, variant: str, params: Mapping[str, Any]) -> None:
    """Refuse, when notifying rather than when reading, a verb without a phrasing, params
    that are not plain JSON (a model, a lazy string: they would be rendered once, in one
    language) or that the phrase cannot be made from."""
    phrase = PHRASES.get((verb, variant))
    if phrase is None:
        raise ValidationError(
            _("Unknown kind of notification: %(verb)s") % {"verb": f"{verb}/{variant}"}
        )
    try:
        json.dumps(params, allow_nan=False)
        phrase.render(params)
    except (TypeError, ValueError, KeyError) as exc:
        raise ValidationError(
            _("This notification cannot be worded from its details: %(error)s")
            % {"error": f"{type(exc).__name__}: {exc}"}
        ) from exc


def render(notification: "Notification") -> str:
    """The notification's title in the active language. Rows written before titles were
    rendered on reading have no params: their stored title is shown as it was written."""
    if notification.params is None:
        return notification.title
    phrase = PHRASES.get((notification.verb, notification.variant))
    try:
        if phrase is None:
            raise KeyError((notification.verb, notification.variant))
        return phrase.render(notification.params)
    except (TypeError, ValueError, KeyError):
        # A phrasing removed, or params of an older shape: say at least what kind it is.
        logger.warning("notification %s cannot be worded", notification.pk, exc_info=True)
        return notification.title or str(notification.get_verb_display())
