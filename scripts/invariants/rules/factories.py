"""DB004: one factory per table, re-exported, building that table's row schema."""

from __future__ import annotations

import ast

from invariants import layout, per_table
from invariants.classes import meta_value, top_level_classes
from invariants.model import Diagnostic, RuleInfo
from invariants.project import Project
from invariants.rule import Rule
from invariants.schema_reader import TableDef

SUFFIX = "Factory"


def check(project: Project) -> list[Diagnostic]:
    return per_table.each_table(project, layout.FACTORIES, _factory_of, SUFFIX, "DB004", "factory")


def _factory_of(project: Project, table: TableDef, exported: set[str]) -> list[Diagnostic]:
    path = f"{layout.FACTORIES}/{table.name}.py"
    module = project.module(path)
    stem = layout.pascal_case(table.name)
    name = f"{stem}{SUFFIX}"
    if module is None:
        if per_table.already_unreadable(project, path):
            return []
        return [
            per_table.at_table(
                table,
                "DB004",
                f"table {table.name} has no factory: add {path} with "
                f"{name} (class Meta: model = {stem}RowSchema)",
            )
        ]
    classes = top_level_classes(module)
    cls = classes.get(name)
    if cls is None:
        misnamed = next(
            (c for c in classes.values() if per_table.table_stem(c, c.name, (SUFFIX,)) == stem),
            None,
        )
        return [per_table.missing_class(module, path, name, misnamed, "DB004")]
    found: list[Diagnostic] = []
    if name not in exported:
        found.append(per_table.not_reexported(module, cls, name, layout.FACTORIES, "DB004"))
    model = meta_value(cls, "model")
    expected = f"{stem}RowSchema"
    model_name = model.attr if isinstance(model, ast.Attribute) else getattr(model, "id", None)
    if model is None:
        found.append(
            per_table.at(module, cls, "DB004", f"{name} has no `class Meta: model = {expected}`")
        )
    elif model_name != expected:
        found.append(
            per_table.at(
                module,
                model,
                "DB004",
                f"{name}'s Meta.model is {model_name or '?'}: it must be {expected}",
            )
        )
    return found


DB004 = RuleInfo(
    "DB004",
    "factory-per-table",
    "Every table has `factories/<table>.py` exporting `<Table>Factory` whose "
    "`Meta.model` is `<Table>RowSchema`, re-exported from `factories/__init__.py`; no "
    "orphans.",
    "Tests and the demo build valid rows the same way for every table.",
    "Add (or fix) the factory module and its `class Meta: model = <Table>RowSchema`.",
)


RULE = Rule(infos=(DB004,), check=check)
