"""One rule for text the data holds in both languages."""

from collections.abc import Callable

from django.utils import translation
from django.utils.translation import get_language


def in_language(zh: str, en: str) -> str:
    """The English text while the interface is in English and there is one; otherwise the
    Chinese (legal names and official titles are Chinese first), or the English if that is
    all there is."""
    if (get_language() or "").startswith("en") and en:
        return en
    return zh or en


def in_both_languages(text: Callable[[], object]) -> dict[str, str]:
    """``text()`` worded in Chinese and in English, for a record that is read later in either
    language (an audit detail): ``{"zh": ..., "en": ...}``, shown with ``in_language``."""
    worded = {}
    for key, language in (("zh", "zh-hans"), ("en", "en")):
        with translation.override(language):
            worded[key] = str(text())
    return worded
