"""EmailSender over SMTP (the standard library's smtplib): one connection per message.

A connection per message keeps the adapter stateless and safe to share between
activity threads; the outbox sends one message per event, so pooling connections
would save little and add a connection's failure modes to every later send.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate
from typing import final

from returns.io import IOFailure, IOResult, IOSuccess

from core.mail.message import OutgoingEmail
from core.mail.ports import EmailSender, MailServerUnavailable, MessageRefused, SendFailure
from infra.mail.settings import SmtpSecurity, SmtpSettings

# SMTP reply codes 5xx are permanent (RFC 5321 §4.2.1); 4xx ask the client to try later.
PERMANENT_REPLY = 500


@final
class SmtpEmailSender(EmailSender):
    """Sends each message in its own SMTP session, as configured by SmtpSettings."""

    def __init__(self, settings: SmtpSettings) -> None:
        self._settings = settings

    def send(self, email: OutgoingEmail) -> IOResult[None, SendFailure]:
        message = self.compose(email)
        try:
            with self._session() as session:
                session.send_message(message)
        except smtplib.SMTPRecipientsRefused as refused:
            return IOFailure(_recipients_refused(refused))
        except smtplib.SMTPResponseException as response:
            return IOFailure(_by_reply_code(response.smtp_code, _reply_text(response)))
        except (smtplib.SMTPException, OSError) as error:
            # Refused or dropped connections, timeouts, TLS handshakes: the server was
            # not there to take the message, which a later attempt may find it is.
            return IOFailure(MailServerUnavailable(f"{type(error).__name__}: {error}"))
        return IOSuccess(None)

    def compose(self, email: OutgoingEmail) -> EmailMessage:
        """The message as sent; its Message-ID is the same for every attempt."""
        message = EmailMessage()
        message["From"] = self._settings.sender
        message["To"] = email.to
        message["Subject"] = email.subject
        message["Date"] = formatdate(usegmt=True)
        message["Message-ID"] = f"<{email.message_id}@{self._settings.sender_domain}>"
        message.set_content(email.body)
        return message

    def _session(self) -> smtplib.SMTP:
        settings = self._settings
        if settings.security is SmtpSecurity.TLS:
            session: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.host,
                settings.port,
                timeout=settings.timeout_seconds,
                context=self._tls_context(),
            )
        else:
            session = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout_seconds)
        try:
            if settings.security is SmtpSecurity.STARTTLS:
                session.starttls(context=self._tls_context())
            if settings.username is not None and settings.password is not None:
                session.login(settings.username, settings.password.get_secret_value())
        except BaseException:
            session.close()
            raise
        return session

    def _tls_context(self) -> ssl.SSLContext:
        # Verifies the server's certificate and name; SMTP_CA_FILE adds a private CA.
        ca_file = self._settings.ca_file
        return ssl.create_default_context(cafile=None if ca_file is None else str(ca_file))


def _recipients_refused(refused: smtplib.SMTPRecipientsRefused) -> SendFailure:
    # One recipient per message, so its reply decides.
    code, text = next(iter(refused.recipients.values()))
    return _by_reply_code(code, text.decode(errors="replace"))


def _by_reply_code(code: int, text: str) -> SendFailure:
    reason = f"{code} {text}".strip()
    if code >= PERMANENT_REPLY:
        return MessageRefused(reason)
    return MailServerUnavailable(reason)


def _reply_text(response: smtplib.SMTPResponseException) -> str:
    error = response.smtp_error
    return error.decode(errors="replace") if isinstance(error, bytes) else str(error)
