"""Classes of the row-schema and factory packages, with fields followed through project bases."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from invariants.modules import PythonModule
from invariants.project import Project
from invariants.values import keyword


@dataclass
class FieldDef:
    name: str  # the column it maps to (a pydantic alias wins over the attribute name)
    annotation: ast.expr
    node: ast.AnnAssign
    module: PythonModule


def top_level_classes(module: PythonModule) -> dict[str, ast.ClassDef]:
    return {s.name: s for s in module.tree.body if isinstance(s, ast.ClassDef)}


def class_fields(project: Project, module: PythonModule, cls: ast.ClassDef) -> list[FieldDef]:
    """Annotated fields of a class, own and inherited from project base classes (bases first)."""
    inherited: list[FieldDef] = []
    for base in cls.bases:
        if isinstance(base, ast.Name):
            found = project.definition(module, base.id)
            if found and isinstance(found[1], ast.ClassDef) and found[1] is not cls:
                inherited += class_fields(project, found[0], found[1])
    own = [_field(module, s) for s in cls.body if isinstance(s, ast.AnnAssign)]
    names = {f.name for f in own if f is not None}
    fields = [f for f in inherited if f.name not in names]
    return fields + [f for f in own if f is not None]


def _field(module: PythonModule, statement: ast.AnnAssign) -> FieldDef | None:
    if not isinstance(statement.target, ast.Name) or statement.target.id == "model_config":
        return None
    name = statement.target.id
    value = statement.value
    if isinstance(value, ast.Call) and (module.resolved(value.func) or "").endswith("Field"):
        for key in ("validation_alias", "alias"):
            alias = keyword(value, key)
            if isinstance(alias, ast.Constant) and isinstance(alias.value, str):
                name = alias.value
                break
    return FieldDef(name, statement.annotation, statement, module)


def meta_value(cls: ast.ClassDef, attribute: str) -> ast.expr | None:
    """`class Meta: <attribute> = value` inside a factory class."""
    for statement in cls.body:
        if isinstance(statement, ast.ClassDef) and statement.name == "Meta":
            for inner in statement.body:
                if isinstance(inner, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id == attribute for t in inner.targets
                ):
                    return inner.value
    return None


def exported_names(module: PythonModule | None, project: Project | None = None) -> set[str] | None:
    """Names a package `__init__` re-exports (imported, and listed in `__all__` if present).

    `from .x import *` brings in what x exports (its `__all__`, else its public names).
    """
    if module is None:
        return None
    imported = set(module.imports) | set(module.top_level)
    stars = [
        s
        for s in module.import_statements
        if isinstance(s, ast.ImportFrom) and any(alias.name == "*" for alias in s.names)
    ]
    for statement in stars:
        target = project.by_dotted.get(module.absolute_module(statement)) if project else None
        imported |= _public_names(target) if target is not None else set()
    listed = _listed(module)
    return imported if listed is None else {name for name in imported if name in listed}


def _listed(module: PythonModule) -> set[str] | None:
    value = getattr(module.top_level.get("__all__"), "value", None)
    if isinstance(value, ast.List | ast.Tuple):
        return {str(e.value) for e in value.elts if isinstance(e, ast.Constant)}
    return None


def _public_names(module: PythonModule) -> set[str]:
    listed = _listed(module)
    return listed if listed is not None else {n for n in module.top_level if not n.startswith("_")}
