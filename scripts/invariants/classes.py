"""Classes of the row-schema and factory packages, with fields followed through project bases."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from invariants.project import Project, PythonModule
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


def exported_names(module: PythonModule | None) -> set[str] | None:
    """Names a package `__init__` re-exports (imported, and listed in `__all__` if present)."""
    if module is None:
        return None
    imported = set(module.imports) | set(module.top_level)
    all_statement = module.top_level.get("__all__")
    value = getattr(all_statement, "value", None)
    if isinstance(value, ast.List | ast.Tuple):
        listed = {e.value for e in value.elts if isinstance(e, ast.Constant)}
        return {name for name in imported if name in listed}
    return imported
