"""TY001: no blanket `# type: ignore`, no bare `except:`, no `except ...: pass`."""

from __future__ import annotations

import ast
import io
import re
import tokenize

from invariants.model import Diagnostic, RuleInfo
from invariants.modules import PythonModule
from invariants.project import Project
from invariants.rule import Rule

BARE_IGNORE = re.compile(r"#\s*type:\s*ignore(?!\s*\[)")


def check(project: Project) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for module in project.modules.values():
        found += _type_ignores(module)
        found += _excepts(module)
    return found


def _type_ignores(module: PythonModule) -> list[Diagnostic]:
    if "ignore" not in module.source or not BARE_IGNORE.search(module.source):
        return []
    found = []
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(module.source).readline))
    except (tokenize.TokenError, SyntaxError):
        return []
    for token in tokens:
        if token.type != tokenize.COMMENT:
            continue
        match = BARE_IGNORE.search(token.string)
        if match:
            found.append(
                Diagnostic(
                    module.path,
                    token.start[0],
                    token.start[1] + match.start() + 1,
                    "TY001",
                    "bare `# type: ignore`: name the error code, e.g. `# type: ignore[arg-type]`",
                )
            )
    return found


def _excepts(module: PythonModule) -> list[Diagnostic]:
    if "except" not in module.source:
        return []
    found = []
    for handler in module.of(ast.ExceptHandler):
        assert isinstance(handler, ast.ExceptHandler)
        if handler.type is None:
            found.append(
                _ty001(
                    module,
                    handler,
                    "bare `except:` catches everything, even "
                    "KeyboardInterrupt: catch the specific exception",
                )
            )
        elif all(_is_empty(statement) for statement in handler.body):
            found.append(
                _ty001(
                    module,
                    handler,
                    "`except` with an empty body swallows the error: "
                    "handle it, log it, or use contextlib.suppress(...) with a "
                    "comment saying why",
                )
            )
    return found


def _is_empty(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.Pass) or (
        isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)
    )


def _ty001(module: PythonModule, node: ast.ExceptHandler, message: str) -> Diagnostic:
    return Diagnostic(module.path, node.lineno, node.col_offset + 1, "TY001", message)


TY001 = RuleInfo(
    "TY001",
    "no-blanket-suppression",
    "No bare `# type: ignore` (an error code is required), no bare `except:` and no "
    "`except ...:` whose body is only `pass`/`...`.",
    "Blanket suppressions hide the next, unrelated error.",
    "Name the mypy error code; catch a specific exception and handle or re-raise it.",
)


RULE = Rule(infos=(TY001,), check=check)
