"""A content-addressed cache of the RT001 probe's answer, under `.strata/cache/` (git-ignored).

The answer depends only on the project's Python code under packages/, the
locked third-party versions (uv.lock) and the interpreter, so those are the
key; any edit to any of them makes a new key. It saves the child interpreter
(importing SQLAlchemy, pydantic, psycopg...) on repeated runs.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

CACHE_FILE = Path(".strata") / "cache" / "invariants-rt001.json"


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


def load(root: Path, key: str) -> dict[str, Any] | None:
    try:
        stored = json.loads((root / CACHE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    answer = stored.get("answer") if isinstance(stored, dict) and stored.get("key") == key else None
    return answer if isinstance(answer, dict) else None


def store(root: Path, key: str, answer: dict[str, Any]) -> None:
    if "error" in answer or any(k.endswith("_error") for k in answer):
        return  # never cache a failure: it may be the environment, not the code
    target = root / CACHE_FILE
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps({"key": key, "answer": answer}), encoding="utf-8")
    except OSError:
        return  # a read-only checkout simply runs the probe every time
