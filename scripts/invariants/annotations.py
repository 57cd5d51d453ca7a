"""Reads a field annotation into a type family (DB003): `AwareDatetime | None` -> timestamptz.

Names are followed through the project's imports and aliases (`UserRole =
Literal[...]` in a core module, `IpAddress = IPv4Address | IPv6Address`, JSON
types in json_schema.py) without importing anything.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from invariants import layout
from invariants.modules import PythonModule
from invariants.project import Project

BUILTIN_FAMILIES = {
    "str": "text",
    "bool": "bool",
    "int": "integer",
    "float": "float",
    "bytes": "bytes",
    "uuid.UUID": "uuid",
    "decimal.Decimal": "numeric",
    "datetime.datetime": "timestamp",
    "datetime.date": "date",
    "datetime.time": "time",
    "datetime.timedelta": "interval",
    "ipaddress.IPv4Address": "inet",
    "ipaddress.IPv6Address": "inet",
    "ipaddress.IPv4Interface": "inet",
    "ipaddress.IPv6Interface": "inet",
    "ipaddress.IPv4Network": "cidr",
    "ipaddress.IPv6Network": "cidr",
}
PYDANTIC_FAMILIES = {
    **dict.fromkeys(("UUID1", "UUID3", "UUID4", "UUID5", "UUID6", "UUID7", "UUID8"), "uuid"),
    **dict.fromkeys(("StrictStr", "EmailStr", "NameEmail", "constr"), "text"),
    "StrictBool": "bool",
    **dict.fromkeys(
        ("StrictInt", "PositiveInt", "NegativeInt", "NonNegativeInt", "NonPositiveInt", "conint"),
        "integer",
    ),
    **dict.fromkeys(("StrictFloat", "PositiveFloat", "NegativeFloat", "FiniteFloat"), "float"),
    "AwareDatetime": "timestamptz",
    "NaiveDatetime": "timestamp",
    "PastDatetime": "timestamp",
    "FutureDatetime": "timestamp",
    **dict.fromkeys(("IPvAnyAddress", "IPvAnyInterface"), "inet"),
    "IPvAnyNetwork": "cidr",
    "StrictBytes": "bytes",
}
ANY_LIKE = frozenset({"typing.Any", "typing_extensions.Any", "object", "dict", "typing.Dict"})
CONTAINERS = frozenset(
    {"list", "tuple", "typing.List", "typing.Sequence", "collections.abc.Sequence"}
)
MAPPINGS = frozenset({"dict", "typing.Dict", "typing.Mapping", "collections.abc.Mapping"})
TRANSPARENT = frozenset(
    {
        "typing.Annotated",
        "typing_extensions.Annotated",
        "typing.Final",
        "typing.NotRequired",
        "typing_extensions.NotRequired",
        "typing.Required",
        "typing_extensions.Required",
        "typing.ReadOnly",
        "typing_extensions.ReadOnly",
    }
)
OPTIONAL = frozenset({"typing.Optional", "typing_extensions.Optional"})
UNION = frozenset({"typing.Union", "typing_extensions.Union"})
LITERAL = frozenset({"typing.Literal", "typing_extensions.Literal"})


_INSPECTING: set[int] = set()


@dataclass
class FieldType:
    """What an annotation denotes: a family, nullability and, for enums, the members."""

    family: str = "unknown"
    nullable: bool = False
    members: frozenset[str] | None = None
    enum_class: str | None = None
    json_problem: str | None = None  # set when a JSON type is declared as Any / dict[str, Any]
    class_var: bool = False


def field_type(project: Project, module: PythonModule, node: ast.expr) -> FieldType:
    result = FieldType()
    _read(project, module, node, result, 0)
    return result


def _read(
    project: Project, module: PythonModule, node: ast.expr, out: FieldType, depth: int
) -> None:
    if depth > 12:
        return
    if isinstance(node, ast.Constant):
        _read_constant(project, module, node, out, depth)
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        _read_union(project, module, [node.left, node.right], out, depth)
    elif isinstance(node, ast.Subscript):
        _read_subscript(project, module, node, out, depth)
    elif isinstance(node, ast.Name):
        _read_name(project, module, node, out, depth)
    elif isinstance(node, ast.Attribute):
        _read_uncached_name(project, module, node, out, depth)
    elif isinstance(node, ast.Call):
        _read_call(project, module, node, out, depth)


def _read_constant(
    project: Project, module: PythonModule, node: ast.Constant, out: FieldType, depth: int
) -> None:
    if node.value is None:
        out.nullable = True
    elif isinstance(node.value, str):  # a quoted forward reference
        try:
            parsed = ast.parse(node.value, mode="eval").body
        except SyntaxError:
            return
        _read(project, module, parsed, out, depth + 1)


def _read_union(
    project: Project, module: PythonModule, members: list[ast.expr], out: FieldType, depth: int
) -> None:
    flat: list[ast.expr] = []
    while members:
        member = members.pop()
        if isinstance(member, ast.BinOp) and isinstance(member.op, ast.BitOr):
            members += [member.left, member.right]
        else:
            flat.append(member)
    families: set[str] = set()
    for member in flat:
        part = FieldType()
        _read(project, module, member, part, depth + 1)
        out.nullable = out.nullable or part.nullable
        if part.family == "unknown":
            continue
        families.add(part.family)
        out.members, out.enum_class = part.members, part.enum_class
        out.json_problem = out.json_problem or part.json_problem
    if len(families) == 1:
        out.family = families.pop()
    elif families:
        out.family = "union"


def _read_subscript(
    project: Project, module: PythonModule, node: ast.Subscript, out: FieldType, depth: int
) -> None:
    origin = module.resolved(node.value) or ""
    arguments = list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]
    if origin in TRANSPARENT:
        _read(project, module, arguments[0], out, depth + 1)
    elif origin in {"typing.ClassVar", "typing_extensions.ClassVar"}:
        out.class_var = True
    elif origin in OPTIONAL:
        out.nullable = True
        _read(project, module, arguments[0], out, depth + 1)
    elif origin in UNION:
        _read_union(project, module, arguments, out, depth)
    elif origin in LITERAL:
        values = [a.value for a in arguments if isinstance(a, ast.Constant)]
        out.family = "literal"
        out.nullable = out.nullable or None in values
        out.members = frozenset(str(v) for v in values if v is not None)
    elif origin in MAPPINGS:
        value = FieldType()
        _read(project, module, arguments[-1], value, depth + 1)
        out.family = "json" if value.family == "json" else "dict"
    elif origin in CONTAINERS:
        element = FieldType()
        _read(project, module, arguments[0], element, depth + 1)
        out.family = "json" if element.family == "json" else f"array:{element.family}"


def _read_call(
    project: Project, module: PythonModule, node: ast.Call, out: FieldType, depth: int
) -> None:
    origin = module.resolved(node.func) or ""
    if (origin.endswith("NewType") and len(node.args) == 2) or (
        origin.endswith("TypeAliasType") and len(node.args) >= 2
    ):
        _read(project, module, node.args[1], out, depth + 1)
    elif origin.startswith("pydantic.") and origin.rsplit(".", 1)[-1] in PYDANTIC_FAMILIES:
        out.family = PYDANTIC_FAMILIES[origin.rsplit(".", 1)[-1]]


def _name_types(project: Project) -> dict[tuple[str, str], FieldType]:
    """The types of names already read, by (module path, name); empty when a project loads."""
    return {}


def _read_name(
    project: Project, module: PythonModule, node: ast.Name, out: FieldType, depth: int
) -> None:
    """`_read_uncached_name`, memoised per module and name (row schemas repeat the same few)."""
    cache = project.derived(_name_types)
    known = cache.get((module.path, node.id))
    if known is None:
        known = FieldType()
        _read_uncached_name(project, module, node, known, depth)
        cache[(module.path, node.id)] = known
    out.family = known.family if known.family != "unknown" else out.family
    out.nullable = out.nullable or known.nullable
    out.members = known.members if known.members is not None else out.members
    out.enum_class = known.enum_class or out.enum_class
    out.json_problem = known.json_problem or out.json_problem
    out.class_var = out.class_var or known.class_var


def _read_uncached_name(
    project: Project,
    module: PythonModule,
    node: ast.Name | ast.Attribute,
    out: FieldType,
    depth: int,
) -> None:
    origin = module.resolved(node) or ""
    if origin in {"None", "types.NoneType"}:
        out.nullable = True
        return
    if origin in ANY_LIKE:
        out.family = "any"
        return
    family = BUILTIN_FAMILIES.get(origin)
    if family is None and origin.startswith("pydantic."):
        family = PYDANTIC_FAMILIES.get(origin.rsplit(".", 1)[-1])
    if family is not None:
        out.family = family
        return
    if isinstance(node, ast.Name):
        _read_project_symbol(project, module, node.id, out, depth)


def _read_project_symbol(
    project: Project, module: PythonModule, name: str, out: FieldType, depth: int
) -> None:
    found = project.definition(module, name)
    if found is None:
        return
    owner, statement = found
    if owner.path == layout.JSON_SCHEMA_MODULE:
        out.family = "json"
        out.json_problem = _json_problem(project, owner, statement)
        return
    if isinstance(statement, ast.ClassDef):
        _read_class(owner, statement, out)
        return
    value = getattr(statement, "value", None)
    if isinstance(value, ast.expr):
        _read(project, owner, value, out, depth + 1)


def _read_class(owner: PythonModule, statement: ast.ClassDef, out: FieldType) -> None:
    bases = {owner.resolved(base) or "" for base in statement.bases}
    if any(base.startswith("enum.") for base in bases):
        out.family = "enum_class"
        out.enum_class = statement.name
        out.members = frozenset(
            str(s.value.value)
            for s in statement.body
            if isinstance(s, ast.Assign) and isinstance(s.value, ast.Constant)
        )


def _json_problems(project: Project) -> dict[int, str | None]:
    """What is wrong with each JSON declaration read so far, by id of its statement."""
    return {}


def _json_problem(project: Project, module: PythonModule, statement: ast.stmt) -> str | None:
    """`_any_like_json`, once per declaration."""
    cache = project.derived(_json_problems)
    key = id(statement)
    if key not in cache:
        if key in _INSPECTING:  # recursive JSON aliases refer to themselves
            return None
        _INSPECTING.add(key)
        try:
            cache[key] = _any_like_json(project, module, statement)
        finally:
            _INSPECTING.discard(key)
    return cache[key]


def _any_like_json(project: Project, module: PythonModule, statement: ast.stmt) -> str | None:
    """Why a JSON type declared in json_schema.py is really `Any`, or None when it is typed."""
    if isinstance(statement, ast.ClassDef):
        return None
    value = getattr(statement, "value", None)
    if not isinstance(value, ast.expr):
        return None
    while isinstance(value, ast.Call) and len(value.args) >= 2:
        value = value.args[1]
    inner = FieldType()
    _read(project, module, value, inner, 0)
    if inner.family in {"any", "dict"} or _mentions_any(module, value):
        name = getattr(statement, "targets", [None])[0]
        label = name.id if isinstance(name, ast.Name) else "this type"
        return f"json_schema.{label} is Any / dict[str, Any]; declare a real JSON type"
    return None


def _mentions_any(module: PythonModule, node: ast.expr) -> bool:
    return any(
        isinstance(inner, ast.Name | ast.Attribute)
        and module.resolved(inner) in ANY_LIKE - {"dict"}
        for inner in ast.walk(node)
    )
