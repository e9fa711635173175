"""One rule for text the data holds in both languages."""

from django.utils.translation import get_language


def in_language(zh: str, en: str) -> str:
    """The English text while the interface is in English and there is one; otherwise the
    Chinese (legal names and official titles are Chinese first), or the English if that is
    all there is."""
    if (get_language() or "").startswith("en") and en:
        return en
    return zh or en
