"""SMTP settings, read once from the environment (pydantic-settings)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class SmtpSecurity(StrEnum):
    """How the connection to the mail server is protected."""

    NONE = "none"  # plain SMTP: a relay on the same host or private network only
    STARTTLS = "starttls"  # connect in plain text, then upgrade (submission, port 587)
    TLS = "tls"  # TLS from the first byte (implicit TLS, port 465)


class SmtpSettings(BaseSettings):
    """Where and how outgoing mail is handed over.

    Credentials are sent only over TLS: with `SMTP_USERNAME` set, `SMTP_SECURITY`
    must be `starttls` or `tls`.
    """

    model_config = SettingsConfigDict(env_prefix="", extra="ignore", frozen=True)

    host: str = Field(validation_alias="SMTP_HOST")
    port: int = Field(default=25, ge=1, le=65535, validation_alias="SMTP_PORT")
    sender: str = Field(validation_alias="SMTP_FROM", pattern=r"^[^@\s]+@[^@\s]+$")
    security: SmtpSecurity = Field(default=SmtpSecurity.NONE, validation_alias="SMTP_SECURITY")
    ca_file: Path | None = Field(default=None, validation_alias="SMTP_CA_FILE")
    username: str | None = Field(default=None, validation_alias="SMTP_USERNAME")
    password: SecretStr | None = Field(default=None, validation_alias="SMTP_PASSWORD")
    timeout_seconds: float = Field(default=10.0, gt=0, validation_alias="SMTP_TIMEOUT")

    @model_validator(mode="after")
    def _credentials_only_over_tls(self) -> SmtpSettings:
        if (self.username is None) != (self.password is None):
            raise ValueError("set SMTP_USERNAME and SMTP_PASSWORD together, or neither")
        if self.username is not None and self.security is SmtpSecurity.NONE:
            raise ValueError("SMTP credentials need SMTP_SECURITY=starttls or tls")
        return self

    @property
    def sender_domain(self) -> str:
        """The part of `SMTP_FROM` after the `@`: the right-hand side of our Message-IDs."""
        return self.sender.rpartition("@")[2]
