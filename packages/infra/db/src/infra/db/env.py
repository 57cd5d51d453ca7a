"""Database settings, read once from the environment (pydantic-settings)."""

from __future__ import annotations

from pydantic import Field, PostgresDsn
from pydantic_settings import BaseSettings, SettingsConfigDict


class MissingOwnerUrlError(ValueError):
    """A schema-changing command was run without the migration owner's URL."""


class DatabaseSettings(BaseSettings):
    """Where the application and the migrations connect.

    `DATABASE_URL` is the runtime role (DML only); `MIGRATION_DATABASE_URL` is
    the migration owner, used by `strata db migrate` and `strata db schemas apply`.
    """

    model_config = SettingsConfigDict(env_prefix="", extra="ignore", frozen=True)

    database_url: PostgresDsn = Field(validation_alias="DATABASE_URL")
    migration_database_url: PostgresDsn | None = Field(
        default=None, validation_alias="MIGRATION_DATABASE_URL"
    )
    pool_size: int = Field(default=5, ge=1, validation_alias="DATABASE_POOL_SIZE")
    connect_timeout_seconds: int = Field(
        default=5, ge=1, validation_alias="DATABASE_CONNECT_TIMEOUT"
    )

    @property
    def runtime_url(self) -> str:
        return _with_psycopg_driver(str(self.database_url))

    @property
    def owner_url(self) -> str:
        """The migration owner's URL; required by commands that change the schema."""
        if self.migration_database_url is None:
            raise MissingOwnerUrlError(
                "MIGRATION_DATABASE_URL is not set: schema changes run as the migration owner, "
                "never as the runtime role of DATABASE_URL"
            )
        return _with_psycopg_driver(str(self.migration_database_url))


def _with_psycopg_driver(url: str) -> str:
    # Users paste libpq-style URLs; SQLAlchemy needs the driver named.
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url
