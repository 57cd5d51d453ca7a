"""The Temporal SDK's runtime metrics: exported by the SDK on a private loopback port and
re-exposed, metric family by metric family, by a prometheus-client collector.

The SDK's Prometheus exporter (`PrometheusConfig`) serves on an address of its
own; relaying what it serves keeps one port for operators to scrape, next to
Strata's gauges, without re-implementing either exporter.
"""

from __future__ import annotations

import logging
import socket
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

from prometheus_client.metrics_core import Metric
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.registry import Collector
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig

log = logging.getLogger("strata.metrics")

LOOPBACK = "127.0.0.1"
# A scrape waits this long at most for the SDK's exporter (on the same host).
SDK_SCRAPE_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class SdkMetrics:
    """An SDK runtime whose metrics are exported on loopback, and where to read them."""

    runtime: Runtime
    url: str

    @classmethod
    def on_loopback(cls) -> SdkMetrics:
        """A runtime exporting on a free loopback port (the client and worker must use it)."""
        address = f"{LOOPBACK}:{free_loopback_port()}"
        telemetry = TelemetryConfig(metrics=PrometheusConfig(bind_address=address))
        return cls(runtime=Runtime(telemetry=telemetry), url=f"http://{address}/metrics")


class SdkMetricsRelay(Collector):
    """Yields the metric families the SDK's exporter serves at `url`, as it serves them."""

    def __init__(self, url: str) -> None:
        self._url = url

    def collect(self) -> Iterator[Metric]:
        try:
            # An http:// URL on loopback that this module built, never user input.
            with urllib.request.urlopen(self._url, timeout=SDK_SCRAPE_TIMEOUT_SECONDS) as served:  # noqa: S310
                exposition = served.read().decode()
        except OSError as error:
            # The worker's own gauges still answer; the scrape only lacks the SDK's part.
            log.warning("Temporal SDK metrics unavailable at %s: %s", self._url, error)
            return
        yield from text_string_to_metric_families(exposition)


def free_loopback_port() -> int:
    """A port nothing listens on now; the SDK binds it right after (a tiny race, on loopback)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        port: int = probe.getsockname()[1]
        return port
