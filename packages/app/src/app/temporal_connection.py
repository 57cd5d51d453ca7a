"""How `strata` reaches Temporal: TLS, mTLS and API keys from the settings, and one clear
line when a connection is refused.

The SDK reports transport failures as the Rust core's debug strings; operators need
to know which setting to look at, so the reasons are sorted into TLS, credentials and
reachability here, in one place.
"""

from __future__ import annotations

import re
from pathlib import Path

from temporalio.client import Client
from temporalio.runtime import Runtime
from temporalio.service import RPCError, RPCStatusCode, TLSConfig

from app.errors import OperatorError
from app.settings import TemporalSettings

# Words of the SDK's transport errors that point at the TLS settings.
TLS_WORDS = re.compile(
    r"certificate|UnknownIssuer|NotValidForName|handshake|\btls\b|\bssl\b|InvalidData|"
    r"CorruptMessage|peer sent no certificates",
    re.IGNORECASE,
)
DENIED = frozenset({RPCStatusCode.UNAUTHENTICATED, RPCStatusCode.PERMISSION_DENIED})


async def connect(settings: TemporalSettings, runtime: Runtime | None = None) -> Client:
    """Connect to the Temporal frontend as the settings say; a refusal is one OperatorError line.

    `runtime` is the SDK runtime the client and its workers run on (its telemetry);
    None is the SDK's default runtime.
    """
    try:
        return await Client.connect(
            settings.address,
            namespace=settings.namespace,
            tls=tls_config(settings),
            api_key=None if settings.api_key is None else settings.api_key.get_secret_value(),
            runtime=runtime,
        )
    except RPCError as error:
        raise OperatorError(refusal_line(settings, error)) from error
    except RuntimeError as error:
        raise OperatorError(transport_line(settings, str(error))) from error


def tls_config(settings: TemporalSettings) -> TLSConfig | bool:
    """The SDK's TLS configuration: False for plain text, else the files' contents."""
    if not settings.uses_tls:
        return False
    return TLSConfig(
        server_root_ca_cert=_read(settings.tls_ca_file),
        client_cert=_read(settings.tls_cert_file),
        client_private_key=_read(settings.tls_key_file),
        domain=settings.tls_server_name,
    )


def refusal_line(settings: TemporalSettings, error: RPCError) -> str:
    """The server answered and refused: credentials, or something else it said."""
    where = f"Temporal at {settings.address}"
    if error.status in DENIED:
        return (
            f"{where} refused the credentials ({error.status.name}: {error.message}); "
            "check TEMPORAL_API_KEY, the client certificate and TEMPORAL_NAMESPACE"
        )
    return f"{where} refused: {error.message}"


def transport_line(settings: TemporalSettings, detail: str) -> str:
    """No usable connection: a TLS problem names the TLS settings, anything else the address."""
    reason = _os_message(detail)
    where = f"Temporal at {settings.address}"
    if TLS_WORDS.search(detail):
        return (
            f"TLS with {where} failed: {reason}; check TEMPORAL_TLS_CA_FILE, "
            "TEMPORAL_TLS_SERVER_NAME and the client certificate (TEMPORAL_TLS_CERT_FILE/KEY_FILE)"
        )
    return f"cannot connect to {where}: {reason}"


def _read(path: Path | None) -> bytes | None:
    # The settings proved the file exists; it is read at connect time, so a renewed
    # certificate is picked up by the next command or worker start.
    return None if path is None else path.read_bytes()


def _os_message(detail: str) -> str:
    # The core's errors quote the OS or TLS library's message; keep that part.
    found = re.search(r'message: "([^"]+)"', detail)
    return found.group(1) if found else detail.splitlines()[0]
