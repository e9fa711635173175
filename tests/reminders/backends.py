"""Mail backends for the reminders tests."""

import json
import os
import smtplib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class RefusingBackend(LocmemBackend):
    """The outbox, except for the addresses in ``refused``: their server says 451."""

    refused: ClassVar[set[str]] = set()

    def send_messages(self, messages: Sequence[Any]) -> int:
        for message in messages:
            if set(message.to) & type(self).refused:
                raise smtplib.SMTPRecipientsRefused(dict.fromkeys(message.to, (451, b"try later")))
        return super().send_messages(messages)


class FileRecordingBackend(BaseEmailBackend):
    """For a real worker in another process: each message appended as one JSON line to the
    file named by REMINDERS_MAIL_LOG (O_APPEND: lines from concurrent workers never mix), so
    the test counts the mails that really left. Addresses listed, one a line, in the file
    named by REMINDERS_MAIL_REFUSE are refused, as a mail server would."""

    def send_messages(self, messages: Sequence[Any]) -> int:
        log = Path(os.environ["REMINDERS_MAIL_LOG"])
        refuse_file = Path(os.environ.get("REMINDERS_MAIL_REFUSE", "/nonexistent"))
        refused = set(refuse_file.read_text().split()) if refuse_file.exists() else set()
        sent = 0
        for message in messages:
            if set(message.to) & refused:
                raise smtplib.SMTPRecipientsRefused(dict.fromkeys(message.to, (451, b"try later")))
            line = json.dumps({"to": message.to, "subject": message.subject}, ensure_ascii=False)
            fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, (line + "\n").encode())
            finally:
                os.close(fd)
            sent += 1
        return sent
