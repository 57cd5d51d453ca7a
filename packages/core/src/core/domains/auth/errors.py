"""The closed set of authentication failures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class InvalidSessionLifetime:
    """A session must expire after it starts."""

    lifetime: timedelta


AuthError = InvalidSessionLifetime
