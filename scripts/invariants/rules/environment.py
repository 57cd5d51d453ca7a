"""EN001: environment variables are read only in settings modules.

Scope: the workspace packages and the migrations (application code). scripts/
and tests/ are tooling that composes child-process environments and is not
checked. Settings modules are listed in `layout.SETTINGS_MODULES`, plus any
`settings.py` of a workspace package.
"""

from __future__ import annotations

import ast

from invariants import layout
from invariants.model import Diagnostic, RuleInfo
from invariants.modules import PythonModule
from invariants.project import Project
from invariants.rule import Rule

READERS = frozenset(
    {
        "os.environ",
        "os.environb",
        "os.getenv",
        "os.getenvb",
        "os.putenv",
        "os.unsetenv",
        "posix.environ",
        "dotenv.load_dotenv",
        "dotenv.dotenv_values",
        "dotenv.main.load_dotenv",
    }
)
SETTINGS_BASES = frozenset(
    {"pydantic_settings.BaseSettings", "pydantic_settings.main.BaseSettings"}
)


def check(project: Project) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for module in project.modules.values():
        if _in_scope(module.path) and not _is_settings_module(module.path):
            found += _reads(module)
    return found


def _in_scope(path: str) -> bool:
    return layout.is_application_code(path) or layout.in_dir(path, layout.MIGRATIONS)


def _is_settings_module(path: str) -> bool:
    return path in layout.SETTINGS_MODULES or (
        layout.is_application_code(path) and path.endswith("/settings.py")
    )


def _reads(module: PythonModule) -> list[Diagnostic]:
    if not any(name in module.source for name in ("environ", "getenv", "dotenv", "BaseSettings")):
        return []
    found: list[Diagnostic] = []
    for node in module.of(ast.Attribute) + module.of(ast.Name):
        assert isinstance(node, ast.Attribute | ast.Name)
        if _imported(module, node) and module.resolved(node) in READERS:
            found.append(_en001(module, node, f"`{ast.unparse(node)}` reads the environment"))
    for cls in module.of(ast.ClassDef):
        assert isinstance(cls, ast.ClassDef)
        if any(module.resolved(base) in SETTINGS_BASES for base in cls.bases):
            found.append(_en001(module, cls, f"{cls.name} is a BaseSettings class"))
    return found


def _imported(module: PythonModule, node: ast.expr) -> bool:
    head = node
    while isinstance(head, ast.Attribute):
        head = head.value
    return isinstance(head, ast.Name) and head.id in module.imports


def _en001(module: PythonModule, node: ast.AST, what: str) -> Diagnostic:
    return Diagnostic.at(
        module.path,
        node,
        "EN001",
        f"{what} outside a settings module: add a field to a settings class "
        "(infra/db/env.py, app/settings.py) and pass the value in",
    )


EN001 = RuleInfo(
    "EN001",
    "environment-in-settings-only",
    "Environment variables are read only in settings modules.",
    "Configuration is validated once, typed and documented in one place.",
    "Add a field to the settings class (pydantic-settings) and pass the value in.",
)


RULE = Rule(infos=(EN001,), check=check)
