"""The next Alembic revision: numbered after the newest one in the checkout's script directory."""

from __future__ import annotations

from dataclasses import dataclass

from app import bootstrap
from app.scaffold.checkout import Checkout
from app.scaffold.errors import ScaffoldRefusedError


@dataclass(frozen=True)
class NextRevision:
    """The id a generated revision takes, and the revision it follows (None: the first)."""

    revision: str
    down_revision: str | None

    @property
    def down_revision_literal(self) -> str:
        return repr(self.down_revision)

    def file_name(self, slug: str) -> str:
        """`<revision>_<slug>.py`, as alembic.ini's file_template names revisions."""
        return f"{self.revision}_{slug}.py"


def next_revision(checkout: Checkout) -> NextRevision:
    """The number after the head of `migrations/versions/` (`0010` -> `0011`).

    Raises:
        ScaffoldRefusedError: the head is not a number, or there is more than one head.
    """
    try:
        head = bootstrap.newest_migration(checkout.path("alembic.ini"))
    except Exception as error:
        raise ScaffoldRefusedError(
            f"cannot read the newest revision from Alembic: {error}", "broken"
        ) from error
    if head is None:
        return NextRevision("0001", None)
    if not head.isdigit():
        raise ScaffoldRefusedError(
            f"the newest revision {head!r} is not a number: the scaffold numbers revisions "
            "0001, 0002, ... after it",
            "broken",
        )
    return NextRevision(f"{int(head) + 1:0{len(head)}d}", head)
