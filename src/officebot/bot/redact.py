"""Keeping secrets (the bot token, the webhook secret) out of every log line and message.

A token turns up in more forms than its own: URL-quoted in an error page that echoes the request
(`123%3AABC`), its secret part alone (after the colon), or lower-case quoted. All are replaced.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from urllib.parse import quote

MASK = "[secret]"
MIN_SECRET = 6  # shorter strings would mask ordinary words


def secret_forms(secrets: Iterable[str]) -> list[str]:
    """Every form of each secret to look for, longest first."""
    forms: set[str] = set()
    for secret in secrets:
        if not secret:
            continue
        parts = [secret]
        _, colon, tail = secret.partition(":")
        if colon and tail:
            parts.append(tail)  # the secret part of a bot token alone
        for part in parts:
            for form in (part, quote(part, safe=""), quote(part, safe="").replace("%3A", "%3a"),
                         quote(quote(part, safe=""), safe="")):
                if len(form) >= MIN_SECRET:
                    forms.add(form)
    return sorted(forms, key=len, reverse=True)


def redact(text: str, secrets: Iterable[str]) -> str:
    forms = secret_forms(secrets)
    if not forms or not text:
        return text
    return re.sub("|".join(re.escape(f) for f in forms), MASK, text, flags=re.IGNORECASE)


class RedactingFormatter(logging.Formatter):
    """The token never reaches a log line, in any form, even inside a traceback."""

    def __init__(self, fmt: str, secrets: list[str]):
        super().__init__(fmt)
        forms = secret_forms(secrets)
        self._pattern = re.compile("|".join(re.escape(f) for f in forms), re.IGNORECASE) if forms else None

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        return self._pattern.sub(MASK, text) if self._pattern else text
