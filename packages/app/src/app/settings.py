"""Application settings, read once from the environment (pydantic-settings)."""

from __future__ import annotations

import re
from datetime import timedelta

from pydantic import Field, FilePath, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.domains.domain_events.retries import RetryPolicy
from core.retention.plan import DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE


class TemporalSettings(BaseSettings):
    """Where the worker and the CLI reach Temporal, and how the retention schedule runs."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore", frozen=True)

    address: str = Field(default="localhost:7233", validation_alias="TEMPORAL_ADDRESS")
    namespace: str = Field(default="default", validation_alias="TEMPORAL_NAMESPACE")
    task_queue: str = Field(default="strata-retention", validation_alias="TEMPORAL_TASK_QUEUE")
    ui_url: str | None = Field(default=None, validation_alias="TEMPORAL_UI_URL")
    schedule_id: str = Field(
        default="strata-retention-prune", validation_alias="RETENTION_SCHEDULE_ID"
    )
    schedule_interval: timedelta = Field(
        default=timedelta(hours=24), gt=timedelta(0), validation_alias="RETENTION_SCHEDULE_INTERVAL"
    )
    schedule_cron: str | None = Field(default=None, validation_alias="RETENTION_SCHEDULE_CRON")
    schedule_catchup_window: timedelta = Field(
        default=timedelta(hours=1), validation_alias="RETENTION_SCHEDULE_CATCHUP_WINDOW"
    )
    prune_batch_size: int = Field(
        default=DEFAULT_BATCH_SIZE, ge=1, le=MAX_BATCH_SIZE, validation_alias="RETENTION_BATCH_SIZE"
    )
    run_timeout: timedelta = Field(
        default=timedelta(hours=6), validation_alias="RETENTION_RUN_TIMEOUT"
    )
    activity_threads: int = Field(
        default=4, ge=1, le=64, validation_alias="TEMPORAL_WORKER_ACTIVITY_THREADS"
    )
    shutdown_grace: timedelta = Field(
        default=timedelta(seconds=30), validation_alias="TEMPORAL_WORKER_SHUTDOWN_GRACE"
    )
    # Reaching a production cluster: TLS (server verification, optionally mTLS with a
    # client certificate) and/or an API key (Temporal Cloud). Secrets only from here.
    tls: bool = Field(default=False, validation_alias="TEMPORAL_TLS")
    tls_ca_file: FilePath | None = Field(default=None, validation_alias="TEMPORAL_TLS_CA_FILE")
    tls_cert_file: FilePath | None = Field(default=None, validation_alias="TEMPORAL_TLS_CERT_FILE")
    tls_key_file: FilePath | None = Field(default=None, validation_alias="TEMPORAL_TLS_KEY_FILE")
    tls_server_name: str | None = Field(default=None, validation_alias="TEMPORAL_TLS_SERVER_NAME")
    api_key: SecretStr | None = Field(default=None, validation_alias="TEMPORAL_API_KEY")

    @model_validator(mode="after")
    def _client_certificate_and_key_together(self) -> TemporalSettings:
        if (self.tls_cert_file is None) != (self.tls_key_file is None):
            raise ValueError(
                "set TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE together (mTLS), or neither"
            )
        return self

    @property
    def uses_tls(self) -> bool:
        """TLS when asked for, or implied by a CA, a client certificate or an API key.

        An API key is a bearer secret: it never travels over plain text.
        """
        return self.tls or any(
            value is not None
            for value in (self.tls_ca_file, self.tls_cert_file, self.tls_server_name, self.api_key)
        )

    @field_validator(
        "schedule_interval", "schedule_catchup_window", "run_timeout", "shutdown_grace",
        mode="before",
    )  # fmt: skip
    @classmethod
    def _plain_seconds(cls, value: object) -> object:
        return plain_seconds(value)


class OutboxSettings(BaseSettings):
    """How the outbox relay claims, waits and retries (read by the worker that runs it)."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore", frozen=True)

    # None: the relay runs on the worker's own queue (TEMPORAL_TASK_QUEUE); a name of its
    # own lets dedicated workers run it, and `strata worker` then polls both queues.
    task_queue: str | None = Field(default=None, validation_alias="OUTBOX_TASK_QUEUE")
    workflow_id: str = Field(default="strata-outbox-relay", validation_alias="OUTBOX_WORKFLOW_ID")
    # Relay calls running at once, each claiming its own batches; each goes to whichever
    # worker polls first, so with several workers they may or may not share one.
    lanes: int = Field(default=2, ge=1, le=32, validation_alias="OUTBOX_LANES")
    batch_size: int = Field(default=100, ge=1, le=1_000, validation_alias="OUTBOX_BATCH_SIZE")
    # Longer than any handler takes: an event whose lease runs out is delivered again.
    lease: timedelta = Field(
        default=timedelta(seconds=60), gt=timedelta(0), validation_alias="OUTBOX_LEASE"
    )
    # An idle relay sleeps on the commit notifications and polls this often, for events
    # whose backoff or lease ran out (those send no notification).
    idle_poll: timedelta = Field(
        default=timedelta(seconds=10), ge=timedelta(seconds=1), validation_alias="OUTBOX_IDLE_POLL"
    )
    call_budget: timedelta = Field(
        default=timedelta(seconds=60), gt=timedelta(0), validation_alias="OUTBOX_CALL_BUDGET"
    )
    retry_base: timedelta = Field(
        default=timedelta(seconds=5), gt=timedelta(0), validation_alias="OUTBOX_RETRY_BASE"
    )
    retry_factor: float = Field(default=2.0, ge=1.0, validation_alias="OUTBOX_RETRY_FACTOR")
    retry_cap: timedelta = Field(
        default=timedelta(minutes=30), gt=timedelta(0), validation_alias="OUTBOX_RETRY_CAP"
    )
    max_attempts: int = Field(default=10, ge=1, validation_alias="OUTBOX_MAX_ATTEMPTS")

    @model_validator(mode="after")
    def _cap_not_below_base(self) -> OutboxSettings:
        if self.retry_cap < self.retry_base:
            raise ValueError("OUTBOX_RETRY_CAP must not be shorter than OUTBOX_RETRY_BASE")
        return self

    @property
    def retry_policy(self) -> RetryPolicy:
        return RetryPolicy(self.retry_base, self.retry_factor, self.retry_cap, self.max_attempts)

    def queue(self, worker_queue: str) -> str:
        """The queue the relay runs on, for a worker polling `worker_queue`."""
        return self.task_queue or worker_queue

    @field_validator("lease", "idle_poll", "call_budget", "retry_base", "retry_cap", mode="before")
    @classmethod
    def _plain_seconds(cls, value: object) -> object:
        return plain_seconds(value)


class MetricsSettings(BaseSettings):
    """Where `strata worker` serves Prometheus metrics, and how fresh Strata's gauges are."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore", frozen=True)

    # None: no metrics endpoint (`strata worker --metrics-port N` also sets it).
    port: int | None = Field(default=None, ge=1, le=65_535, validation_alias="STRATA_METRICS_PORT")
    # Every interface: Prometheus scrapes from another host.
    address: str = Field(default="0.0.0.0", validation_alias="STRATA_METRICS_ADDRESS")  # noqa: S104
    # Strata's gauges count rows in PostgreSQL; a scrape within this interval of the last
    # reading is answered from it, so scrapes stay cheap whatever their frequency.
    refresh_interval: timedelta = Field(
        default=timedelta(seconds=30),
        gt=timedelta(0),
        validation_alias="STRATA_METRICS_REFRESH_INTERVAL",
    )

    @field_validator("refresh_interval", mode="before")
    @classmethod
    def _plain_seconds(cls, value: object) -> object:
        return plain_seconds(value)


def plain_seconds(value: object) -> object:
    """Operators write `3600` or `0.5`; pydantic reads numbers, not number strings, as seconds."""
    if isinstance(value, str) and re.fullmatch(r"\d+(\.\d+)?", value.strip()):
        return float(value)
    return value
