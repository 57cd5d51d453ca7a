"""PostgreSQL's own parser (pglast / libpg_query) over SQL text, as plain JSON trees."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NoReturn

Node = dict[str, Any]
# psql meta-commands (\set, \i, ...) are not SQL; blank them, keeping offsets.
META_COMMAND = re.compile(r"^[ \t]*\\.*$", re.MULTILINE)
TRIGGER_EVENTS = {4: "INSERT", 8: "DELETE", 16: "UPDATE", 32: "TRUNCATE"}
# Each top-level statement in libpg_query's JSON: {"stmt":{"Kind":{...}},"stmt_location":...}.
STATEMENT_START = re.compile(r'\{"stmt":\{"(\w+)":')
_DECODE = json.JSONDecoder().raw_decode


@dataclass(frozen=True)
class Statement:
    kind: str  # e.g. "CreateTrigStmt"
    body: Node
    offset: int  # character offset of the statement's first token in the text


class SqlSyntaxError(Exception):
    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


def statements(text: str, kinds: frozenset[str] | None = None) -> list[Statement]:
    """Parse SQL text into statements (only those of `kinds` when given).

    Raises SqlSyntaxError with a character offset.
    """
    cleaned, raw = _parse(text)
    if kinds is None:
        wrappers = json.loads(raw).get("stmts", [])
    else:  # decode only the statements asked for: decoding JSON costs more than parsing
        wrappers = [
            _DECODE(raw, match.start())[0]
            for match in STATEMENT_START.finditer(raw)
            if match.group(1) in kinds
        ]
    encoded = cleaned.encode("utf-8")
    found = []
    for wrapper in wrappers:
        ((kind, body),) = wrapper["stmt"].items()
        offset = len(encoded[: wrapper.get("stmt_location", 0)].decode("utf-8", "ignore"))
        found.append(Statement(kind, body, _skip_blank(cleaned, offset)))
    return found


def collect(text: str, kinds: frozenset[str]) -> list[tuple[str, Node]]:
    """Every node of the given types in SQL text, nested ones included.

    Only those nodes' JSON is decoded (from where each starts), never the whole tree.
    """
    _, raw = _parse(text)
    found: list[tuple[str, Node]] = []
    for match in _node_start(kinds).finditer(raw):
        kind = match.group(1)
        found.append((kind, _DECODE(raw, match.start())[0][kind]))
    return found


@functools.cache
def _node_start(kinds: frozenset[str]) -> re.Pattern[str]:
    # A node is {"Kind": {...}}; inside JSON strings a quote is always escaped, so this
    # pattern cannot match SQL text that happens to contain it.
    return re.compile(r'\{"(' + "|".join(sorted(kinds)) + r')":')


@functools.cache
def parser() -> Any:
    """pglast's parser, imported on first use (about 0.15 s).

    `python -m invariants` starts its probes before anything parses SQL, so the
    probes' children run while this import happens instead of after it.
    """
    from pglast import parser as pglast_parser  # noqa: PLC0415 - see the docstring

    return pglast_parser


def _parse(text: str) -> tuple[str, str]:
    """The text with psql meta-commands blanked, and libpg_query's JSON tree of it."""
    cleaned = META_COMMAND.sub(lambda m: " " * len(m.group()), text) if "\\" in text else text
    try:
        return cleaned, parser().parse_sql_json(cleaned)
    except parser().ParseError as error:
        _raise(cleaned, error)


def _raise(text: str, error: Exception) -> NoReturn:
    location = error.args[1] if len(error.args) > 1 and isinstance(error.args[1], int) else 0
    message = str(error.args[0]) if error.args else str(error)
    offset = len(text.encode("utf-8")[:location].decode("utf-8", "ignore"))
    raise SqlSyntaxError(message, offset) from error


def _skip_blank(text: str, offset: int) -> int:
    """Move past whitespace and comments to the statement's first token."""
    while offset < len(text):
        if text[offset].isspace():
            offset += 1
        elif text.startswith("--", offset):
            end = text.find("\n", offset)
            offset = len(text) if end < 0 else end + 1
        elif text.startswith("/*", offset):
            end = text.find("*/", offset)
            offset = len(text) if end < 0 else end + 2
        else:
            break
    return offset


def walk(node: object) -> Iterator[tuple[str, Node]]:
    """Every typed node below `node`, as (type name, body)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            if len(current) == 1:
                ((key, value),) = current.items()
                if isinstance(value, dict) and key[:1].isupper():
                    yield key, value
            stack.extend(v for v in current.values() if isinstance(v, dict | list))
        elif isinstance(current, list):
            stack.extend(current)


def names(items: list[Node] | None) -> list[str]:
    """[{"String": {"sval": "a"}}, ...] -> ["a", ...]."""
    return [i["String"]["sval"] for i in items or [] if "String" in i and "sval" in i["String"]]


def last_name(items: list[Node] | None) -> str:
    """The last part of a possibly qualified name, lower-cased ("" when there is none)."""
    return (names(items) or [""])[-1].lower()


def relation_name(relation: Node | None) -> str:
    """The table a RangeVar body names, lower-cased ("" when there is none)."""
    name = relation.get("relname") if isinstance(relation, dict) else None
    return name.lower() if isinstance(name, str) else ""


def string_constant(node: Node) -> str | None:
    """The text of an A_Const string argument, or None."""
    constant = node.get("A_Const")
    if isinstance(constant, dict) and isinstance(constant.get("sval"), dict):
        value = constant["sval"].get("sval", "")
        return value if isinstance(value, str) else None
    if "TypeCast" in node:  # 'users'::name
        return string_constant(node["TypeCast"].get("arg", {}))
    return None


def events(body: Node) -> set[str]:
    mask = int(body.get("events", 0))
    return {name for bit, name in TRIGGER_EVENTS.items() if mask & bit}


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    start = text.rfind("\n", 0, offset) + 1
    return line, offset - start + 1
