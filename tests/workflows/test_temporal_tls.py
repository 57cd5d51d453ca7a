"""Production connections: TLS, mTLS and their refusals, against the dev server behind a TLS proxy.

The dev server speaks only plain text, so a local TLS-terminating proxy presents
the certificate (and, for mTLS, demands the client's). What these tests do not
reach is a server that checks an API key: the dev server ignores credentials.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme

from app import temporal_connection
from app.errors import OperatorError
from app.settings import TemporalSettings
from devservers.stack import TemporalTarget
from tests.integration.cli_runner import run_strata
from tests.workflows.tls_proxy import TlsProxy, server_context


@pytest.fixture(scope="module")
def server_ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def client_ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def files(
    server_ca: trustme.CA, client_ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    directory = tmp_path_factory.mktemp("temporal-tls")
    client = client_ca.issue_cert("strata-worker")
    paths = {
        "ca": directory / "server-ca.pem",
        "cert": directory / "client.pem",
        "key": directory / "client-key.pem",
    }
    server_ca.cert_pem.write_to_path(str(paths["ca"]))
    client.cert_chain_pems[0].write_to_path(str(paths["cert"]))
    client.private_key_pem.write_to_path(str(paths["key"]))
    return paths


@pytest.fixture(scope="module")
def tls_proxy(temporal: TemporalTarget, server_ca: trustme.CA) -> Iterator[TlsProxy]:
    context = server_context(server_ca.issue_cert("localhost"), client_ca=None)
    with TlsProxy(temporal.environment["TEMPORAL_ADDRESS"], context).running() as proxy:
        yield proxy


@pytest.fixture(scope="module")
def mtls_proxy(
    temporal: TemporalTarget, server_ca: trustme.CA, client_ca: trustme.CA
) -> Iterator[TlsProxy]:
    context = server_context(server_ca.issue_cert("localhost"), client_ca=client_ca)
    with TlsProxy(temporal.environment["TEMPORAL_ADDRESS"], context).running() as proxy:
        yield proxy


def settings(port: int, **environment: Any) -> TemporalSettings:
    return TemporalSettings.model_validate({"TEMPORAL_ADDRESS": f"localhost:{port}", **environment})


def connects(temporal_settings: TemporalSettings) -> bool:
    async def probe() -> bool:
        client = await temporal_connection.connect(temporal_settings)
        return bool(await client.service_client.check_health())

    return asyncio.run(probe())


def refusal(temporal_settings: TemporalSettings) -> str:
    with pytest.raises(OperatorError) as refused:
        connects(temporal_settings)
    return str(refused.value)


def test_tls_verified_against_the_configured_ca_connects(
    tls_proxy: TlsProxy, files: dict[str, Path]
) -> None:
    assert connects(settings(tls_proxy.port, TEMPORAL_TLS_CA_FILE=str(files["ca"])))


def test_a_certificate_from_an_authority_the_worker_does_not_trust_is_one_tls_line(
    tls_proxy: TlsProxy,
) -> None:
    line = refusal(settings(tls_proxy.port, TEMPORAL_TLS="true"))

    assert line.startswith(f"TLS with Temporal at localhost:{tls_proxy.port} failed")
    assert "TEMPORAL_TLS_CA_FILE" in line
    assert "\n" not in line


def test_a_server_name_the_certificate_does_not_carry_is_refused(
    tls_proxy: TlsProxy, files: dict[str, Path]
) -> None:
    line = refusal(
        settings(
            tls_proxy.port,
            TEMPORAL_TLS_CA_FILE=str(files["ca"]),
            TEMPORAL_TLS_SERVER_NAME="temporal.example.com",
        )
    )

    assert line.startswith("TLS with Temporal")


def test_mtls_with_the_client_certificate_connects(
    mtls_proxy: TlsProxy, files: dict[str, Path]
) -> None:
    assert connects(
        settings(
            mtls_proxy.port,
            TEMPORAL_TLS_CA_FILE=str(files["ca"]),
            TEMPORAL_TLS_CERT_FILE=str(files["cert"]),
            TEMPORAL_TLS_KEY_FILE=str(files["key"]),
        )
    )


def test_mtls_without_a_client_certificate_is_refused_in_one_line(
    mtls_proxy: TlsProxy, files: dict[str, Path]
) -> None:
    line = refusal(settings(mtls_proxy.port, TEMPORAL_TLS_CA_FILE=str(files["ca"])))

    assert "\n" not in line
    assert line.startswith(("TLS with Temporal", "cannot connect to Temporal"))


def test_the_cli_reports_a_tls_refusal_as_one_line_and_exit_code_1(tls_proxy: TlsProxy) -> None:
    done = run_strata(
        "retention", "schedule", "describe",
        TEMPORAL_ADDRESS=f"localhost:{tls_proxy.port}", TEMPORAL_TLS="true",
    )  # fmt: skip

    assert done.returncode == 1
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("strata: TLS with Temporal")
