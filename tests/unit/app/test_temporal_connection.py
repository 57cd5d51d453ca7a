"""Which connection the Temporal settings ask for, and how a refusal reads."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError
from temporalio.service import RPCError, RPCStatusCode, TLSConfig

from app.settings import TemporalSettings
from app.temporal_connection import refusal_line, tls_config, transport_line

ADDRESS = "temporal.example.com:7233"


def settings(**environment: str) -> TemporalSettings:
    return TemporalSettings.model_validate({"TEMPORAL_ADDRESS": ADDRESS, **environment})


def test_plain_text_unless_something_asks_for_tls() -> None:
    assert tls_config(settings()) is False


def test_an_api_key_never_travels_over_plain_text() -> None:
    config = tls_config(settings(TEMPORAL_API_KEY="secret"))

    assert isinstance(config, TLSConfig)
    assert config.server_root_ca_cert is None  # the system's CAs, as Temporal Cloud needs


def test_mtls_reads_the_ca_certificate_and_key_files(tmp_path: Path) -> None:
    for name in ("ca", "cert", "key"):
        (tmp_path / f"{name}.pem").write_bytes(f"-----{name}-----".encode())

    config = tls_config(
        settings(
            TEMPORAL_TLS_CA_FILE=str(tmp_path / "ca.pem"),
            TEMPORAL_TLS_CERT_FILE=str(tmp_path / "cert.pem"),
            TEMPORAL_TLS_KEY_FILE=str(tmp_path / "key.pem"),
            TEMPORAL_TLS_SERVER_NAME="frontend.internal",
        )
    )

    assert isinstance(config, TLSConfig)
    assert (config.server_root_ca_cert, config.client_cert, config.client_private_key) == (
        b"-----ca-----",
        b"-----cert-----",
        b"-----key-----",
    )
    assert config.domain == "frontend.internal"


def test_a_client_certificate_without_its_key_is_refused(tmp_path: Path) -> None:
    (tmp_path / "cert.pem").write_text("cert")

    with pytest.raises(ValidationError, match="TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE"):
        settings(TEMPORAL_TLS_CERT_FILE=str(tmp_path / "cert.pem"))


def test_a_missing_certificate_file_is_refused_when_the_settings_load(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="TEMPORAL_TLS_CA_FILE"):
        settings(TEMPORAL_TLS_CA_FILE=str(tmp_path / "absent.pem"))


def test_refused_credentials_name_the_settings_to_check() -> None:
    error = RPCError("invalid API key", RPCStatusCode.UNAUTHENTICATED, b"")

    line = refusal_line(settings(), error)

    assert line.startswith(f"Temporal at {ADDRESS} refused the credentials (UNAUTHENTICATED")
    assert "TEMPORAL_API_KEY" in line


@pytest.mark.parametrize(
    ("detail", "start"),
    [
        (
            "Failed client connect: tonic::transport::Error(Transport, Custom { kind: "
            "InvalidData, error: InvalidCertificate(UnknownIssuer) })",
            "TLS with Temporal",
        ),
        (
            "Failed client connect: Os { code: 111, kind: ConnectionRefused, message: "
            '"Connection refused" }',
            "cannot connect to Temporal",
        ),
    ],
)
def test_transport_failures_are_sorted_into_tls_and_reachability(detail: str, start: str) -> None:
    line = transport_line(settings(), detail)

    assert line.startswith(f"{start} at {ADDRESS}")
    assert "\n" not in line
