"""The one metrics endpoint of `strata worker`: the SDK's metrics and Strata's gauges,
served by prometheus-client's HTTP server on the configured port."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client import CollectorRegistry, start_http_server

from app import bootstrap
from app.metrics.gauges import StrataGauges, read_strata
from app.metrics.sdk import SdkMetrics, SdkMetricsRelay
from app.settings import MetricsSettings
from core.clock import SystemClock

log = logging.getLogger("strata.metrics")


@contextmanager
def metrics_endpoint(
    settings: MetricsSettings, ports: bootstrap.Ports, sdk: SdkMetrics
) -> Iterator[None]:
    """Serve the metrics on the settings' port until the block ends (before `ports` are
    disposed)."""
    if settings.port is None:
        raise ValueError("metrics_endpoint needs MetricsSettings.port")
    # A registry of its own: only what this endpoint promises, not the client library's
    # process and platform collectors.
    registry = CollectorRegistry(auto_describe=False)
    registry.register(SdkMetricsRelay(sdk.url))
    registry.register(
        StrataGauges(lambda: read_strata(ports, SystemClock()), settings.refresh_interval)
    )
    server, thread = start_http_server(settings.port, addr=settings.address, registry=registry)
    log.info("metrics on http://%s:%d/metrics", settings.address, settings.port)
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
