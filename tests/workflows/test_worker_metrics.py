"""`strata worker` with a metrics port serves the Temporal SDK's metrics and Strata's gauges.

The worker is the installed command on the test's Temporal dev server and scratch
database; the endpoint is scraped over HTTP as Prometheus would.
"""

from __future__ import annotations

import time
import urllib.request
from datetime import UTC, datetime, timedelta

from prometheus_client.parser import text_string_to_metric_families

from devservers.processes import free_port
from devservers.worker_process import StrataWorker
from infra.db.factories.auth_audit_events import AuthAuditEventsFactory
from infra.db.factories.domain_events import DomainEventsFactory
from infra.db.factories.retention_prune_batches import RetentionPruneBatchesFactory
from tests.integration.cli_runner import run_strata
from tests.workflows.harness import RetentionStack
from tests.workflows.test_retention_workflow import ALL_ENABLED, DAYS

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(port: int) -> tuple[str, Samples]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
        exposition = response.read().decode()
    samples = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(exposition)
        for sample in family.samples
    }
    return exposition, samples


def scrape_until_the_sdk_reports(port: int) -> tuple[str, Samples]:
    """The SDK exports its worker metrics once the worker has polled; wait for them."""
    deadline = time.monotonic() + 30
    exposition, samples = scrape(port)
    while not any(name.startswith("temporal_") for name, _ in samples):
        assert time.monotonic() < deadline, exposition
        time.sleep(0.5)
        exposition, samples = scrape(port)
    return exposition, samples


def by_label(samples: Samples, metric: str, label: str) -> dict[str, float]:
    return {
        dict(labels)[label]: value for (name, labels), value in samples.items() if name == metric
    }


def test_the_metrics_endpoint_serves_strata_gauges_and_the_sdk_metrics(
    stack: RetentionStack,
) -> None:
    now = datetime.now(UTC)
    stack.set_retention(ALL_ENABLED)
    last_audit_prune = now - timedelta(hours=2)
    with stack.owner.begin() as connection:
        AuthAuditEventsFactory.create_batch(
            3, connection=connection, created_at=now - timedelta(days=400)
        )
        AuthAuditEventsFactory.create_batch(2, connection=connection, created_at=now)
        DomainEventsFactory.create_batch(2, connection=connection, status="pending")
        # Dead-lettered in the factory's past: also past the domain_events cutoff.
        DomainEventsFactory.create(connection=connection, status="failed")
        RetentionPruneBatchesFactory.create(
            connection=connection, target="audit_events", recorded_at=last_audit_prune
        )
        RetentionPruneBatchesFactory.create(
            connection=connection, target="audit_events", recorded_at=now - timedelta(days=1)
        )
    port = free_port()

    with StrataWorker({**stack.environment, "STRATA_METRICS_PORT": str(port)}):
        exposition, samples = scrape_until_the_sdk_reports(port)

    expected_backlog = {name: 0 for name in DAYS} | {"audit_events": 3, "domain_events": 1}
    assert by_label(samples, "strata_retention_rows_awaiting_prune", "target") == expected_backlog
    last_prunes = by_label(samples, "strata_retention_last_prune_timestamp_seconds", "target")
    assert last_prunes == {"audit_events": last_audit_prune.timestamp()}
    events = by_label(samples, "strata_outbox_events", "status")
    assert events == {"pending": 2, "processing": 0, "published": 0, "failed": 1}
    assert samples[("strata_outbox_dead_letters", ())] == 1
    # Both pending events were appended just now, and nothing else is deliverable.
    assert 0 <= samples[("strata_outbox_oldest_deliverable_age_seconds", ())] < 60
    assert "# TYPE temporal_" in exposition


def test_a_metrics_port_out_of_range_is_a_usage_error() -> None:
    assert run_strata("worker", "--metrics-port", "0").returncode == 2
