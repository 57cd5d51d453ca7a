"""Comma-separated lists wrapped to the width the rest of the repository keeps."""

from __future__ import annotations

WIDTH = 96


def wrapped_list(items: list[str], indent: str, width: int = WIDTH) -> str:
    """`items` joined by `, `, as few lines as fit `width`, each starting with `indent`."""
    lines: list[str] = []
    current = ""
    for item in items:
        candidate = f"{current} {item}," if current else f"{item},"
        if current and len(indent) + len(candidate) > width:
            lines.append(current)
            candidate = f"{item},"
        current = candidate
    lines.append(current)
    return "\n".join(indent + line for line in lines).rstrip(",")


def sql_strings(items: list[str], indent: str) -> str:
    """`'a', 'b', …` wrapped, for an ARRAY[...] literal."""
    return wrapped_list([f"'{item}'" for item in items], indent)
