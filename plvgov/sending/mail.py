"""The mail server and the messages: ``PLVGOV_SMTP_URL`` (``smtp://host:port``, or
``smtps://user@host:465`` with the password in ``PLVGOV_SMTP_PASSWORD``; STARTTLS whenever an
``smtp://`` server offers it), and one :class:`email.message.EmailMessage` per copy with its
PDF attached. From and Reply-To are the company's registered email address; the signature is
the company secretary's, with the company's name, number and registered office.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from urllib.parse import unquote, urlsplit

from plvgov.dates import LONDON
from plvgov.errors import InputError, RuleError
from plvgov.values import dataclass

TIMEOUT = 30  # seconds for each exchange with the server


@dataclass(frozen=True)
class Relay:
    host: str
    port: int
    tls: bool  # smtps: TLS from the first byte
    user: str | None
    password: str | None

    @classmethod
    def from_environment(cls) -> Relay:
        url = os.environ.get("PLVGOV_SMTP_URL", "").strip()
        if not url:
            raise RuleError(
                "no mail server: set PLVGOV_SMTP_URL (e.g. smtp://relay.council.gov.uk:25), "
                "or write the messages to a folder with --outbox DIR"
            )
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise InputError(
                f"PLVGOV_SMTP_URL {url!r} is not smtp://host[:port] or smtps://user@host[:port]"
            )
        try:
            port = parts.port or (465 if parts.scheme == "smtps" else 25)
        except ValueError:
            raise InputError(f"PLVGOV_SMTP_URL {url!r} has a port that is not a number") from None
        user = unquote(parts.username) if parts.username else None
        password = os.environ.get("PLVGOV_SMTP_PASSWORD") or (
            unquote(parts.password) if parts.password else None
        )
        if user and not password:
            raise RuleError(f"PLVGOV_SMTP_URL names user {user!r}: set PLVGOV_SMTP_PASSWORD")
        return cls(parts.hostname, port, parts.scheme == "smtps", user, password)

    def connect(self) -> smtplib.SMTP:
        """A session with the server, TLS when it offers it, logged in when a user is named.
        Raises :class:`RuleError` naming the server when it cannot be reached."""
        where = f"{self.host}:{self.port}"
        try:
            if self.tls:
                server: smtplib.SMTP = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=TIMEOUT, context=ssl.create_default_context()
                )
            else:
                server = smtplib.SMTP(self.host, self.port, timeout=TIMEOUT)
                server.ehlo()
                if server.has_extn("starttls"):
                    server.starttls(context=ssl.create_default_context())
                    server.ehlo()
            if self.user:
                server.login(self.user, self.password or "")
        except smtplib.SMTPAuthenticationError:
            raise RuleError(
                f"the mail server {where} refused user {self.user!r}; check PLVGOV_SMTP_PASSWORD"
            ) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise RuleError(
                f"cannot reach the mail server {where} ({exc or type(exc).__name__}); nothing "
                "more was sent: check PLVGOV_SMTP_URL and run the same command again"
            ) from None
        return server


@dataclass(frozen=True)
class Sender:
    """Who the messages are from: the company's facts."""

    company: str
    address: str
    number: str
    office: str

    def signature(self) -> str:
        lines = ["Company Secretary", self.company]
        if self.number:
            lines.append(f"Registered in England and Wales, company number {self.number}")
        if self.office:
            lines.append(f"Registered office: {self.office}")
        return "\n".join(lines)


def domain_of(address: str) -> str:
    return address.rpartition("@")[2]


def new_message_id(sender: Sender) -> str:
    return make_msgid("plvgov", domain=domain_of(sender.address))


def message(
    sender: Sender,
    to: str,
    to_name: str,
    subject: str,
    body: str,
    attachment: bytes,
    filename: str,
    message_id: str,
    at: datetime,
) -> EmailMessage:
    """One member's message: the letter's text and its PDF. ``at`` (London wall clock) is the
    Date header."""
    msg = EmailMessage()
    msg["From"] = formataddr((sender.company, sender.address))
    msg["Reply-To"] = sender.address
    msg["To"] = formataddr((to_name, to))
    msg["Subject"] = subject
    msg["Date"] = format_datetime(at.replace(tzinfo=LONDON))
    msg["Message-ID"] = message_id
    msg.set_content(f"{body}\n\n-- \n{sender.signature()}\n")
    msg.add_attachment(attachment, maintype="application", subtype="pdf", filename=filename)
    return msg
