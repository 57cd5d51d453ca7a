"""`default=VALUE` in a column spec: the server default, as schema.py and the revision spell it.

Both spellings must compare equal under Alembic's server-default comparison
(checker rule DB006), so each type has one accepted form of value and one
rendering of it, modelled on the defaults schema.py already declares.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from app.scaffold.errors import ScaffoldRefusedError

PLAIN_TEXT: Final = re.compile(r"[A-Za-z0-9 _.,@/+-]+")
INTEGER: Final = re.compile(r"-?[0-9]{1,18}")
ACCEPTED: Final = {
    "text": "letters, digits, spaces and . , _ @ / + -",
    "integer": "an integer",
    "bigint": "an integer",
    "boolean": "true or false",
    "timestamptz": "now",
    "uuid": "random",
    "jsonb": "{} (the entity reads a JSON object)",
    "enum": "one of its labels",
}


@dataclass(frozen=True)
class ServerDefault:
    """One column's server default, in schema.py's names and in the revision's."""

    schema: str
    migration: str


def server_default(kind: str, value: str, labels: tuple[str, ...], column: str) -> ServerDefault:
    """The server default `value` gives a column of `kind`.

    Raises:
        ScaffoldRefusedError: the kind takes no default, or the value is not its form.
    """
    rendered = _rendered(kind, value, labels)
    if rendered is None:
        accepted = ACCEPTED.get(kind)
        if accepted is None:
            raise ScaffoldRefusedError(f"column {column!r}: a {kind} column takes no default")
        raise ScaffoldRefusedError(f"column {column!r}: default {value!r} is not {accepted}")
    return rendered


def _rendered(kind: str, value: str, labels: tuple[str, ...]) -> ServerDefault | None:
    render = _RENDERINGS.get(kind)
    return None if render is None else render(value, labels)


def _quoted(value: str) -> ServerDefault:
    return ServerDefault(f'"{value}"', f'"{value}"')


def _sql(expression: str) -> ServerDefault:
    return ServerDefault(f'text("{expression}")', f'sa.text("{expression}")')


def _integer(value: str, _labels: tuple[str, ...]) -> ServerDefault | None:
    return _sql(str(int(value))) if INTEGER.fullmatch(value) else None


NOW: Final = ServerDefault("func.now()", "sa.func.now()")
RANDOM_UUID: Final = ServerDefault("func.gen_random_uuid()", "sa.func.gen_random_uuid()")

# Per kind: the rendering of an accepted value, None for any other.
_RENDERINGS: Final[dict[str, Callable[[str, tuple[str, ...]], ServerDefault | None]]] = {
    "text": lambda value, _: _quoted(value) if PLAIN_TEXT.fullmatch(value) else None,
    "enum": lambda value, labels: _quoted(value) if value in labels else None,
    "integer": _integer,
    "bigint": _integer,
    "boolean": lambda value, _: _sql(value) if value in {"true", "false"} else None,
    "jsonb": lambda value, _: _sql("'{}'::jsonb") if value == "{}" else None,
    "timestamptz": lambda value, _: NOW if value == "now" else None,
    "uuid": lambda value, _: RANDOM_UUID if value == "random" else None,
}
