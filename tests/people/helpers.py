"""Small helpers shared by the people tests."""

import re

from django.core import mail
from django.urls import reverse

from apps.accounts.models import User
from apps.enterprises.models import Authority, Enterprise

LINK = re.compile(r"https?://[^/\s]+(/invitations/[^/\s]+/)")
NEW_PASSWORD = "a-long-new-passphrase-77"


def english(user: User) -> User:
    """Pages in English, so assertions do not depend on the Chinese catalogue."""
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    return user


def enterprise_people_url(enterprise: Enterprise) -> str:
    return reverse("people:enterprise_people", args=[enterprise.credit_code])


def authority_people_url(authority: Authority) -> str:
    return reverse("people:authority_people", args=[authority.code])


def last_invitation_link() -> str:
    match = LINK.search(mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)
