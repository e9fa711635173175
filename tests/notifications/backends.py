"""An email backend whose SMTP server refuses everything."""

import smtplib
from collections.abc import Sequence
from typing import Any

from django.core.mail.backends.base import BaseEmailBackend


class FailingSMTPBackend(BaseEmailBackend):
    attempts = 0

    def send_messages(self, email_messages: Sequence[Any]) -> int:
        type(self).attempts += 1
        raise smtplib.SMTPException("451 try again later")
