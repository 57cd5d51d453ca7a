"""RP001-RP003, DE001-DE002, WF001, EN001, SQ001 and TY001 on fixture trees."""

from __future__ import annotations

import pytest

from tests.invariants.conftest import INFRA, Tree

REPO = f"{INFRA}/repositories/organizations.py"
USE_CASES = "packages/core/src/core/domains/organizations/use_cases.py"
REGISTRY = "packages/core/src/core/event_registry.py"
WORKFLOW = "packages/app/src/app/workflows/prune.py"
APP_MODULE = "packages/app/src/app/reports.py"


def append(tree: Tree, path: str, code: str) -> int:
    """Append code to a module; return the line of its first line."""
    text = tree.read(path)
    tree.write(path, text + code)
    return text.count("\n") + 1


# --- RP001-RP003 -----------------------------------------------------------------------------


def test_a_query_executed_outside_repositories_is_rp001(tree: Tree) -> None:
    tree.write(
        APP_MODULE, "def count(connection):\n    return connection.execute(QUERY).scalar()\n"
    )
    assert tree.findings() == [("RP001", APP_MODULE, 2)]


def test_running_a_temporal_activity_is_not_a_query(tree: Tree) -> None:
    tree.write(
        APP_MODULE, "async def go(workflow):\n    return await workflow.execute_activity(f)\n"
    )
    assert tree.findings() == []


def test_a_repository_returning_raw_rows_is_rp002(tree: Tree) -> None:
    line = append(
        tree,
        REPO,
        "\n\ndef list_names(connection: Connection) -> list[object]:\n"
        "    return list(connection.execute(select(organizations)).mappings().all())\n",
    )
    assert tree.findings() == [("RP002", REPO, line + 2)]


def test_model_construct_in_a_repository_is_rp002(tree: Tree) -> None:
    tree.edit(
        REPO,
        "OrganizationsRowSchema.model_validate(row)",
        "OrganizationsRowSchema.model_construct(**row)",
    )
    assert tree.findings() == [("RP002", REPO, tree.line_of(REPO, "model_construct"))]


def test_unwrapping_a_container_in_a_repository_is_rp003(tree: Tree) -> None:
    tree.edit(
        REPO,
        "return IOResult.from_value(result.rowcount).map(int)",
        "return IOSuccess(IOResult.from_value(result.rowcount).unwrap())",
    )
    assert tree.findings() == [("RP003", REPO, tree.line_of(REPO, ".unwrap()"))]


def test_matching_on_success_in_a_repository_is_rp003(tree: Tree) -> None:
    line = append(
        tree,
        REPO,
        "\n\ndef name_of(result: object) -> str:\n    match result:\n"
        "        case IOSuccess(row):\n            return str(row)\n"
        "        case _:\n            return ''\n",
    )
    assert tree.findings() == [("RP003", REPO, line + 4)]


# --- DE001-DE002 -----------------------------------------------------------------------------


def test_an_inline_insert_into_domain_events_is_de001(tree: Tree) -> None:
    tree.edit(
        REPO,
        "from infra.db.schema import organizations",
        "from infra.db.events_schema import domain_events\n"
        "from infra.db.schema import organizations",
    )
    line = append(
        tree,
        REPO,
        "\n\ndef log(connection: Connection) -> IOResult[int, str]:\n"
        "    statement = insert(domain_events).values(event_type='organization.created')\n"
        "    return IOSuccess(connection.execute(statement).rowcount)\n",
    )
    assert tree.findings() == [("DE001", REPO, line + 3)]


def test_raw_sql_inserting_into_domain_events_is_de001(tree: Tree) -> None:
    line = append(
        tree,
        REPO,
        '\nRECORD = text("INSERT INTO domain_events (id, event_type) VALUES (:id, :type)")\n',
    )
    assert tree.findings() == [("DE001", REPO, line + 1)]


def test_an_event_name_not_matching_the_pattern_is_de002(tree: Tree) -> None:
    tree.edit(REGISTRY, '"organization.renamed"', '"OrganizationRenamed"')
    assert tree.findings() == [("DE002", REGISTRY, tree.line_of(REGISTRY, 'OrganizationRenamed"'))]


def test_an_event_without_a_payload_class_is_de002(tree: Tree) -> None:
    tree.edit(
        REGISTRY, '"organization.renamed": OrganizationRenamed', '"organization.renamed": dict'
    )
    assert tree.findings() == [("DE002", REGISTRY, tree.line_of(REGISTRY, "organization.renamed"))]


def test_an_unregistered_event_type_in_a_use_case_is_de002(tree: Tree) -> None:
    tree.edit(USE_CASES, 'event_type="organization.created"', 'event_type="organization.deleted"')
    assert tree.findings() == [
        ("DE002", USE_CASES, tree.line_of(USE_CASES, "organization.deleted"))
    ]


# --- WF001 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "imports"),
    [
        ("started = datetime.now()", ""),
        ("time.sleep(1)", "import time\n"),
        ("run_id = uuid.uuid4()", "import uuid\n"),
        ("jitter = random.random()", "import random\n"),
        ("text = open('/etc/hostname').read()", ""),
    ],
)
def test_non_deterministic_workflow_code_is_wf001(tree: Tree, code: str, imports: str) -> None:
    tree.edit(
        WORKFLOW,
        "        run_id = workflow.uuid4()\n",
        f"        run_id = workflow.uuid4()\n        {code}\n",
    )
    if imports:
        tree.edit(WORKFLOW, "import asyncio\n", f"import asyncio\n{imports}")
    line = tree.line_of(WORKFLOW, code)
    assert ("WF001", WORKFLOW, line) in tree.findings()
    assert {c for c, _, _ in tree.findings()} == {"WF001"}


def test_importing_random_in_a_workflow_is_wf001(tree: Tree) -> None:
    tree.edit(WORKFLOW, "import asyncio\n", "import asyncio\nimport random\n")
    assert tree.findings() == [("WF001", WORKFLOW, tree.line_of(WORKFLOW, "import random"))]


def test_a_feature_workflow_module_is_checked_even_where_it_defines_no_workflow(
    tree: Tree,
) -> None:
    feature_workflow = "packages/app/src/app/retention/workflow.py"
    tree.write(feature_workflow, "import time\n\n\ndef stamp():\n    return time.time()\n")
    assert tree.findings() == [("WF001", feature_workflow, 5)]


def test_a_workflow_defined_outside_the_workflows_package_is_checked(tree: Tree) -> None:
    tree.write(
        APP_MODULE,
        "import time\nfrom temporalio import workflow\n\n\n@workflow.defn\n"
        "class Report:\n    @workflow.run\n    async def run(self) -> float:\n"
        "        return time.time()\n",
    )
    assert tree.findings() == [("WF001", APP_MODULE, 9)]


# --- EN001 -----------------------------------------------------------------------------------


def test_reading_the_environment_in_core_is_en001(tree: Tree) -> None:
    tree.edit(
        USE_CASES,
        "from dataclasses import dataclass\n",
        "import os\nfrom dataclasses import dataclass\n\nLIMIT = os.environ['LIMIT']\n",
    )
    assert tree.findings() == [("EN001", USE_CASES, tree.line_of(USE_CASES, "LIMIT ="))]


def test_getenv_through_an_alias_in_a_migration_is_en001(tree: Tree) -> None:
    path = "migrations/env.py"
    tree.write(path, "from os import getenv\n\nURL = getenv('MIGRATION_DATABASE_URL')\n")
    assert tree.findings() == [("EN001", path, 3)]


def test_a_settings_class_outside_a_settings_module_is_en001(tree: Tree) -> None:
    path = f"{INFRA}/provider.py"
    tree.write(
        path,
        "from pydantic_settings import BaseSettings\n\n\n"
        "class PoolSettings(BaseSettings):\n    size: int = 5\n",
    )
    assert tree.findings() == [("EN001", path, 4)]


# --- SQ001 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    [
        "connection.execute(text(f\"SELECT * FROM organizations WHERE name = '{name}'\"))",
        "connection.execute(text(\"SELECT * FROM organizations WHERE name = '%s'\" % name))",
        "connection.execute(text(\"SELECT * FROM organizations WHERE name = '{}'\".format(name)))",
        'connection.exec_driver_sql("SELECT * FROM organizations WHERE name = \'" + name + "\'")',
    ],
)
def test_sql_built_from_strings_is_sq001(tree: Tree, statement: str) -> None:
    line = append(
        tree,
        REPO,
        f"\n\ndef by_name(connection: Connection, name: str) -> object:\n    return {statement}\n",
    )
    assert tree.findings() == [("SQ001", REPO, line + 3)]


def test_sql_built_in_a_variable_first_is_sq001_where_it_is_executed(tree: Tree) -> None:
    line = append(
        tree,
        REPO,
        "\n\ndef by_name(connection: Connection, name: str) -> object:\n"
        "    query = f\"SELECT id FROM organizations WHERE name = '{name}'\"\n"
        "    return connection.execute(text(query)).scalar_one()\n",
    )
    assert tree.findings() == [("SQ001", REPO, line + 4)]


def test_psycopg_sql_composition_is_legal(tree: Tree) -> None:
    append(
        tree,
        REPO,
        "\n\ndef create(cursor: object, name: str) -> None:\n"
        "    from psycopg import sql\n\n"
        "    cursor.execute(sql.SQL('CREATE DATABASE {}').format(sql.Identifier(name)))\n",
    )
    assert tree.findings() == []


def test_an_op_execute_with_an_f_string_in_a_migration_is_sq001(tree: Tree) -> None:
    path = "migrations/versions/0002_triggers.py"
    tree.edit(
        path,
        '    op.execute("DROP FUNCTION set_updated_at();")',
        '    for name in ("set_updated_at",):\n        op.execute(f"DROP FUNCTION {name}();")',
    )
    assert tree.findings() == [("SQ001", path, tree.line_of(path, 'op.execute(f"DROP'))]


# --- TY001 -----------------------------------------------------------------------------------


def test_a_bare_type_ignore_is_ty001(tree: Tree) -> None:
    tree.edit(USE_CASES, "    return cache[key]", "    return cache[key]  # type: ignore")
    assert tree.findings() == [("TY001", USE_CASES, tree.line_of(USE_CASES, "type: ignore"))]


def test_a_type_ignore_with_a_code_is_legal(tree: Tree) -> None:
    tree.edit(USE_CASES, "    return cache[key]", "    return cache[key]  # type: ignore[index]")
    assert tree.findings() == []


def test_a_bare_except_is_ty001(tree: Tree) -> None:
    tree.edit(USE_CASES, "    except KeyError:\n", "    except:\n")
    assert tree.findings() == [("TY001", USE_CASES, tree.line_of(USE_CASES, "except:"))]


def test_an_except_that_only_passes_is_ty001(tree: Tree) -> None:
    tree.edit(
        USE_CASES, "    except KeyError:\n        return None", "    except KeyError:\n        pass"
    )
    assert tree.findings() == [("TY001", USE_CASES, tree.line_of(USE_CASES, "except KeyError"))]


def test_formatting_with_module_constants_only_is_legal(tree: Tree) -> None:
    append(
        tree,
        REPO,
        '\nTABLE = "organizations"\nBY_NAME = f"SELECT id FROM {TABLE} WHERE name = :name"\n'
        "\n\ndef by_name(connection: Connection, name: str) -> object:\n"
        '    return connection.execute(text(BY_NAME), {"name": name}).scalar_one()\n',
    )
    assert tree.findings() == []


def test_iterating_a_result_without_decoding_is_rp002(tree: Tree) -> None:
    line = append(
        tree,
        REPO,
        "\n\ndef names(connection: Connection) -> list[str]:\n"
        "    result = connection.execute(select(organizations))\n"
        "    return [row.name for row in result]\n",
    )
    assert tree.findings() == [("RP002", REPO, line + 2)]


def test_prose_mentioning_an_insert_into_domain_events_is_legal(tree: Tree) -> None:
    tree.edit(USE_CASES, '"""A use case', '"""Never INSERT INTO domain_events by hand. A use case')
    assert tree.findings() == []
