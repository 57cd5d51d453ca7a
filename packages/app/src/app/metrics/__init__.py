"""Prometheus metrics of `strata worker --metrics-port N`, on one port.

`sdk` (the Temporal SDK's runtime metrics, re-exposed from the SDK's own
loopback exporter), `gauges` (Strata's backlog and lag gauges, read through
core ports and cached), `endpoint` (both on the public port).
"""
