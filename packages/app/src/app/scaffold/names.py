"""Which names a scaffold may give a table, column, enum label or trigger function.

A name becomes a PostgreSQL identifier, a Python module and attribute, and part
of derived names (`fk_<table>_<column>_<parent>`); each must survive all of them
unquoted and untruncated.
"""

from __future__ import annotations

import keyword
import re
from typing import Final

from app.scaffold.errors import ScaffoldRefusedError

# PostgreSQL truncates identifiers longer than NAMEDATALEN - 1 bytes, silently.
MAX_IDENTIFIER_BYTES: Final = 63
SNAKE_CASE: Final = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
PASCAL_CASE: Final = re.compile(r"[A-Z][A-Za-z0-9]*")

# PostgreSQL's reserved key words (reserved, and reserved but allowed as a function or
# type name): unquoted, none of them can name a table or column.
# tests/unit/app/test_scaffold_names.py compares this with pglast's keyword lists.
SQL_RESERVED_WORDS: Final = frozenset(
    {
        "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric",
        "authorization", "binary", "both", "case", "cast", "check", "collate", "collation",
        "column", "concurrently", "constraint", "create", "cross", "current_catalog",
        "current_date", "current_role", "current_schema", "current_time", "current_timestamp",
        "current_user", "default", "deferrable", "desc", "distinct", "do", "else", "end",
        "except", "false", "fetch", "for", "foreign", "freeze", "from", "full", "grant",
        "group", "having", "ilike", "in", "initially", "inner", "intersect", "into", "is",
        "isnull", "join", "lateral", "leading", "left", "like", "limit", "localtime",
        "localtimestamp", "natural", "not", "notnull", "null", "offset", "on", "only", "or",
        "order", "outer", "overlaps", "placing", "primary", "references", "returning",
        "right", "select", "session_user", "similar", "some", "symmetric", "system_user",
        "table", "tablesample", "then", "to", "trailing", "true", "union", "unique", "user",
        "using", "variadic", "verbose", "when", "where", "window", "with",
    }
)  # fmt: skip


def check_identifier(name: str, what: str) -> str:
    """`name` when it is a lowercase snake_case identifier usable unquoted in SQL and Python.

    Raises:
        ScaffoldRefusedError: naming what is wrong with it.
    """
    if not SNAKE_CASE.fullmatch(name):
        raise ScaffoldRefusedError(
            f"{what} {name!r} is not a lowercase snake_case identifier "
            "(a letter, then letters, digits and single underscores)"
        )
    check_length(name, what)
    if name in SQL_RESERVED_WORDS:
        raise ScaffoldRefusedError(f"{what} {name!r} is a reserved word in PostgreSQL")
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        raise ScaffoldRefusedError(f"{what} {name!r} is a Python keyword")
    return name


def check_label(label: str, what: str) -> str:
    """An enum label: lowercase snake_case, so it reads the same in SQL, Python and JSON.

    Raises:
        ScaffoldRefusedError: naming the label.
    """
    if not SNAKE_CASE.fullmatch(label):
        raise ScaffoldRefusedError(f"{what} {label!r} is not a lowercase snake_case word")
    check_length(label, what)
    return label


def check_length(name: str, what: str) -> None:
    """Refuse an identifier PostgreSQL would truncate (derived names included)."""
    if len(name.encode()) > MAX_IDENTIFIER_BYTES:
        raise ScaffoldRefusedError(
            f"{what} {name!r} is longer than PostgreSQL's {MAX_IDENTIFIER_BYTES} bytes: "
            "choose a shorter name"
        )


def pascal_case(snake: str) -> str:
    """`retention_prune_batches` -> `RetentionPruneBatches` (how the checker names classes)."""
    return "".join(part.capitalize() for part in snake.split("_"))


def singular(plural: str) -> str:
    """The entity's name for one row of a table: `widgets` -> `widget`, `categories` -> `category`.

    English is irregular; `--entity` names the class when this guess is wrong.
    """
    head, _, last = plural.rpartition("_")
    if last.endswith("ies") and len(last) > 3:
        last = last[:-3] + "y"
    elif last.endswith(("sses", "xes", "ches", "shes")):
        last = last[:-2]
    elif last.endswith("s") and not last.endswith(("ss", "us", "is")):
        last = last[:-1]
    return f"{head}_{last}" if head else last


def snake_case(pascal: str) -> str:
    """`LineItem` -> `line_item`."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", pascal).lower()
