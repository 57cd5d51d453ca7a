"""A content-addressed cache of probe answers, under `.strata/cache/` (git-ignored).

A cached probe's answer depends only on the project's Python code under
packages/, the locked third-party versions (uv.lock), the interpreter and the
probe's own code, so those are the key; any edit to any of them makes a new
key. It saves the child interpreter (importing SQLAlchemy, pydantic,
psycopg...) on repeated runs.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

CACHE_DIRECTORY = Path(".strata") / "cache"


def cache_file(name: str) -> Path:
    """Where the answer of the probe called `name` is kept, relative to the root."""
    return CACHE_DIRECTORY / f"invariants-{name}.json"


def probe_key(root: Path, texts: Mapping[str, str], code: str) -> str:
    digest = hashlib.sha256()
    for part in (sys.version, sys.executable, code):
        digest.update(part.encode())
    lock = root / "uv.lock"
    if lock.is_file():
        digest.update(lock.read_bytes())
    for path in sorted(texts):
        if path.startswith("packages/") and path.endswith(".py"):
            digest.update(path.encode() + b"\0" + texts[path].encode() + b"\0")
    return digest.hexdigest()


def load(root: Path, name: str, key: str) -> dict[str, Any] | None:
    try:
        stored = json.loads((root / cache_file(name)).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    answer = stored.get("answer") if isinstance(stored, dict) and stored.get("key") == key else None
    return answer if isinstance(answer, dict) else None


def store(root: Path, name: str, key: str, answer: dict[str, Any]) -> None:
    if "error" in answer or any(k.endswith("_error") for k in answer):
        return  # never cache a failure: it may be the environment, not the code
    target = root / cache_file(name)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps({"key": key, "answer": answer}), encoding="utf-8")
    except OSError:
        return  # a read-only checkout simply runs the probe every time
