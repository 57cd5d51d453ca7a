"""Why a scaffold was refused; the CLI prints the message and exits with the kind's code."""

from __future__ import annotations

from typing import Literal

RefusalKind = Literal["invalid", "exists", "unknown", "broken"]


class ScaffoldRefusedError(Exception):
    """The scaffold cannot be generated as asked; nothing was written.

    `kind`: `invalid` (a name or column spec), `exists` (the name is taken),
    `unknown` (a table it refers to does not exist), `broken` (the checkout is
    not in a shape the scaffold can edit, or a tool it runs failed).
    """

    def __init__(self, message: str, kind: RefusalKind = "invalid") -> None:
        super().__init__(message)
        self.kind: RefusalKind = kind
