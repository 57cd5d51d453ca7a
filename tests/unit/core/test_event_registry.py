"""The event registry: names follow `<aggregate>.<verb_past>` and map to their payloads."""

from __future__ import annotations

import re

import pytest

from core.event_registry import EVENT_PAYLOAD_TYPES

NAME = re.compile(r"^[a-z][a-z_]*\.[a-z][a-z_]*$")


@pytest.mark.parametrize("name", sorted(EVENT_PAYLOAD_TYPES))
def test_every_event_type_name_has_the_aggregate_dot_verb_shape(name: str) -> None:
    assert NAME.match(name)


def test_each_payload_class_is_registered_under_exactly_one_name() -> None:
    classes = list(EVENT_PAYLOAD_TYPES.values())
    assert len(set(classes)) == len(classes)


@pytest.mark.parametrize(("name", "payload_type"), sorted(EVENT_PAYLOAD_TYPES.items()))
def test_each_payload_class_documents_the_name_it_is_registered_under(
    name: str, payload_type: type
) -> None:
    assert (payload_type.__doc__ or "").startswith(f"`{name}`")
