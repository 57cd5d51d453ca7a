"""The relay workflow's contract: its input, and the activities it calls by name.

Activities are called by name so the workflow never imports their
implementation (which reaches the database and the mail server);
`app.outbox.activities` implements these names with these types.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

RELAY_EVENTS = "relay_domain_events"
PUBLISH_HANDOFFS = "publish_domain_event_handoffs"

# Each relay call adds about six events to the history (activity scheduled, started,
# completed, and a workflow task); the relay continues as new long before Temporal's
# limits, and its history stays quick to replay when a worker takes it over.
DEFAULT_MAX_HISTORY_EVENTS = 2_000


@dataclass(frozen=True)
class RelayInput:
    """How the relay runs; the same input is carried across continue-as-new."""

    lanes: int
    max_history_events: int = DEFAULT_MAX_HISTORY_EVENTS


@dataclass(frozen=True)
class RelayCall:
    """One relay call: claim, deliver and record until the call's time budget is spent."""

    lane: int


@dataclass(frozen=True)
class Handoff:
    """A claimed event whose handler is a child workflow, which only a workflow can start.

    The workflow starts `workflow` with `argument` under the id
    `<id_prefix>-<event_id>`, so a second delivery of the event cannot start it twice.
    """

    event_id: UUID
    attempt: int
    workflow: str
    id_prefix: str
    # The child's input as the data converter carries it (JSON); the child decodes it into
    # its own input type, so the relay needs to know nothing of it.
    argument: Any


@dataclass(frozen=True)
class RelayReport:
    """What one relay call did: events it ended, and the handoffs left to the workflow."""

    delivered: int
    handoffs: tuple[Handoff, ...] = ()


@dataclass(frozen=True)
class PublishHandoffsInput:
    """Mark published the handoffs whose child workflow was started (now or before)."""

    handoffs: tuple[Handoff, ...]
