"""What the pgTAP suites under sql_tests/ assert and which tables they write to (parsed by pglast).

psql syntax is made parseable first: `\\gset`-style meta-commands end a
statement, and `:'var'` / `:var` interpolations become literals. Only real
function calls count as assertions; names in comments or in plain strings do not.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from invariants import layout, sql
from invariants.model import Diagnostic
from invariants.project import Project

NAMING_ASSERTIONS = frozenset({"has_trigger", "trigger_is", "triggers_are"})
BEHAVIOURAL = frozenset(
    {
        "ok",
        "is",
        "isnt",
        "matches",
        "imatches",
        "doesnt_match",
        "doesnt_imatch",
        "alike",
        "ialike",
        "unalike",
        "unialike",
        "cmp_ok",
        "pass",
        "fail",
        "isa_ok",
        "throws_ok",
        "throws_like",
        "throws_ilike",
        "throws_matching",
        "throws_imatching",
        "lives_ok",
        "performs_ok",
        "performs_within",
        "results_eq",
        "results_ne",
        "set_eq",
        "set_ne",
        "set_has",
        "set_hasnt",
        "bag_eq",
        "bag_ne",
        "bag_has",
        "bag_hasnt",
        "is_empty",
        "isnt_empty",
        "row_eq",
        "is_deeply",
    }
)
DML = {"InsertStmt": "INSERT", "UpdateStmt": "UPDATE", "DeleteStmt": "DELETE"}
META_COMMAND = re.compile(
    r"(?:(?<=\s)|^)\\(?:gset|gexec|gx|g|set|unset|ir|i|include|echo|qecho|pset|x|timing|o|if"
    r"|elif|else|endif|c|connect)\b[^\n]*",
    re.MULTILINE,
)
PSQL_VARIABLE = re.compile(r"(?<![:\w]):(['\"]?)([A-Za-z_]\w*)\1")
SQL_START = re.compile(r"^\s*(insert|update|delete|with|select|prepare|execute|truncate)\b", re.I)
FORMAT_PLACEHOLDER = re.compile(r"%[sIL]")
DML_FALLBACK = re.compile(
    r"\b(insert\s+into|update|delete\s+from)\s+(?:only\s+)?([\w\"]+(?:\.[\w\"]+)?)", re.I
)


@dataclass
class Suite:
    path: str
    named_triggers: set[str] = field(default_factory=set)
    writes: set[tuple[str, str]] = field(default_factory=set)  # (table, INSERT|UPDATE|...)
    calls: set[str] = field(default_factory=set)  # function names called (last name part)


@dataclass
class Helper:
    writes: set[tuple[str, str]] = field(default_factory=set)
    calls: set[str] = field(default_factory=set)


@dataclass
class SqlTests:
    suites: list[Suite]
    helpers: dict[str, Helper]
    diagnostics: list[Diagnostic]

    def is_assertion(self, name: str, seen: frozenset[str] = frozenset()) -> bool:
        if name in BEHAVIOURAL:
            return True
        helper = self.helpers.get(name)
        if helper is None or name in seen:
            return False
        return any(self.is_assertion(inner, seen | {name}) for inner in helper.calls)

    def writes_of(self, suite: Suite) -> set[tuple[str, str]]:
        writes = set(suite.writes)
        pending, seen = list(suite.calls), set()
        while pending:
            name = pending.pop()
            helper = self.helpers.get(name)
            if helper is None or name in seen:
                continue
            seen.add(name)
            writes |= helper.writes
            pending += helper.calls
        return writes

    def asserts_behaviour(self, suite: Suite) -> bool:
        return any(self.is_assertion(name) for name in suite.calls)


COLLECTED = frozenset(
    {"FuncCall", "InsertStmt", "UpdateStmt", "DeleteStmt", "TruncateStmt", "CreateFunctionStmt"}
)


def read_sql_tests(project: Project) -> SqlTests:
    result = SqlTests([], {}, [])
    for path, sql_file in sorted(project.sql_files.items()):
        if not layout.in_dir(path, layout.SQL_TESTS):
            continue
        suite = Suite(path)
        try:
            nodes = sql.collect(psql_to_sql(sql_file.text), COLLECTED)
        except sql.SqlSyntaxError as error:
            line, column = sql.line_and_column(sql_file.text, error.offset)
            message = f"SQL syntax error: {error}; fix it"
            result.diagnostics.append(Diagnostic(path, line, column, "IO002", message))
            continue
        _read_nodes(nodes, suite, 0, result.helpers)
        if path.endswith(".sql"):
            result.suites.append(suite)
    return result


def psql_to_sql(text: str) -> str:
    """Blank psql meta-commands (they end a statement) and turn :variables into literals."""
    if "\\" in text:
        text = META_COMMAND.sub(lambda m: ";" + " " * (len(m.group()) - 1), text)
    return PSQL_VARIABLE.sub(_literal, text) if ":" in text else text


def _literal(match: re.Match[str]) -> str:
    quote, name = match.group(1), match.group(2)
    return f" {quote}{name}{quote}"  # same length: the colon becomes a space


def _read_nodes(
    nodes: list[tuple[str, sql.Node]],
    target: Suite | Helper,
    depth: int,
    helpers: dict[str, Helper] | None = None,
) -> None:
    for kind, body in nodes:
        if kind in DML:
            table = sql.relation_name(body.get("relation"))
            if table:
                target.writes.add((table, DML[kind]))
        elif kind == "TruncateStmt":
            for relation in body.get("relations", []):
                table = sql.relation_name(relation.get("RangeVar"))
                if table:
                    target.writes.add((table, "TRUNCATE"))
        elif kind == "FuncCall":
            _read_call(body, target, depth)
        elif kind == "CreateFunctionStmt" and helpers is not None:
            _read_helper(body, helpers)


def _read_call(call: sql.Node, target: Suite | Helper, depth: int) -> None:
    function = sql.last_name(call.get("funcname"))
    target.calls.add(function)
    arguments = call.get("args", [])
    strings = [s for s in (sql.string_constant(a) for a in arguments) if s is not None]
    if function in NAMING_ASSERTIONS and isinstance(target, Suite):
        target.named_triggers.update(strings)
        for argument in arguments:
            for kind, inner in sql.walk(argument):
                if kind == "A_Const" and isinstance(inner.get("sval"), dict):
                    target.named_triggers.add(inner["sval"].get("sval", ""))
    if depth < 3:  # SQL inside strings inside strings is deep enough
        for text in strings:
            _read_embedded(text, target, depth + 1)


def _read_embedded(text: str, target: Suite | Helper, depth: int) -> None:
    """SQL passed as a string (lives_ok, throws_ok, format(...)), parsed when it is SQL."""
    if not SQL_START.match(text):
        return
    nodes = _first_parsed(text, FORMAT_PLACEHOLDER.sub("NULL", text))
    if nodes is not None:
        _read_nodes(nodes, target, depth)
        return
    for match in DML_FALLBACK.finditer(text):  # unparsable even with placeholders filled
        verb = match.group(1).split()[0].upper()
        target.writes.add((_bare(match.group(2)), verb))


def _read_helper(body: sql.Node, helpers: dict[str, Helper]) -> None:
    name = sql.last_name(body.get("funcname"))
    helper = helpers.setdefault(name, Helper())
    language, source = "sql", ""
    for option in body.get("options", []):
        definition = option.get("DefElem", {})
        if definition.get("defname") == "language":
            language = definition.get("arg", {}).get("String", {}).get("sval", "sql")
        elif definition.get("defname") == "as":
            source = "".join(sql.names(definition.get("arg", {}).get("List", {}).get("items")))
    if language == "plpgsql":
        for query in _plpgsql_queries(source):
            _read_embedded_any(query, helper)
    elif source:
        _read_embedded_any(source, helper)


def _read_embedded_any(text: str, helper: Helper) -> None:
    # PL/pgSQL expressions (`RETURN ok(...)`, `IF a = b`) are SELECT lists without the SELECT.
    nodes = _first_parsed(text, f"SELECT {text}")
    if nodes is not None:
        _read_nodes(nodes, helper, 0)


def _first_parsed(*candidates: str) -> list[tuple[str, sql.Node]] | None:
    """The collected nodes of the first candidate text that parses, or None."""
    for candidate in candidates:
        try:
            return sql.collect(candidate, COLLECTED)
        except sql.SqlSyntaxError:
            continue
    return None


def _plpgsql_queries(source: str) -> list[str]:
    tree: object = None
    for returns in ("text", "void", "trigger"):
        wrapped = (
            f"CREATE FUNCTION f() RETURNS {returns} LANGUAGE plpgsql AS $strata${source}$strata$;"
        )
        try:
            tree = json.loads(sql.parser().parse_plpgsql_json(wrapped))
            break
        except (sql.parser().ParseError, ValueError):
            continue
    queries: list[str] = []
    stack: list[object] = [tree]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            query = current.get("query")
            if isinstance(query, str):
                queries.append(query)
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)
    return queries


def _bare(name: str) -> str:
    return name.rsplit(".", maxsplit=1)[-1].strip('"').lower()
