"""RP001-RP003, DE001-DE002, WF001, EN001, SQ001 and TY001 on fixture trees."""

from __future__ import annotations

import pytest

from tests.invariants.conftest import (
    APP_MODULE,
    INFRA,
    ORG_REPOSITORY,
    OUTBOX_HANDLERS,
    USE_CASES,
    Scenario,
    Tree,
    append,
    replace,
    scenario,
    write,
)

REGISTRY = "packages/core/src/core/event_registry.py"
WORKFLOW = "packages/app/src/app/workflows/prune.py"
FEATURE_WORKFLOW = "packages/app/src/app/retention/workflow.py"
MIGRATION_ENV = "migrations/env.py"
POOL_SETTINGS = f"{INFRA}/provider.py"
TRIGGERS = "migrations/versions/0002_triggers.py"
BY_NAME = "\n\ndef by_name(connection: Connection, name: str) -> object:\n    return "
STRING_BUILT_SQL = {
    "an f-string": (
        "connection.execute(text(f\"SELECT * FROM organizations WHERE name = '{name}'\"))"
    ),
    "%-formatting": (
        "connection.execute(text(\"SELECT * FROM organizations WHERE name = '%s'\" % name))"
    ),
    "str.format": (
        "connection.execute(text(\"SELECT * FROM organizations WHERE name = '{}'\".format(name)))"
    ),
    "concatenation": (
        'connection.exec_driver_sql("SELECT * FROM organizations WHERE name = \'" + name + "\'")'
    ),
}


@pytest.mark.parametrize(
    "scenario",
    [
        # --- RP001-RP003 ---
        scenario(
            "a query executed outside repositories is RP001",
            write(
                APP_MODULE,
                "def count(connection):\n    return connection.execute(QUERY).scalar()\n",
            ),
            findings=[("RP001", APP_MODULE, 2)],
        ),
        scenario(
            "running a Temporal activity is not a query",
            write(
                APP_MODULE,
                "async def go(workflow):\n    return await workflow.execute_activity(f)\n",
            ),
        ),
        scenario(
            "a repository returning raw rows is RP002",
            append(
                ORG_REPOSITORY,
                "\n\ndef list_names(connection: Connection) -> list[object]:\n"
                "    return list(connection.execute(select(organizations)).mappings().all())\n",
            ),
            findings=[("RP002", ORG_REPOSITORY, "def list_names(")],
        ),
        scenario(
            "rows decoded by an entity decoder are not RP002",
            append(
                ORG_REPOSITORY,
                "\n\ndef list_all(connection: Connection, decoder: object) -> object:\n"
                "    result = connection.execute(select(organizations))\n"
                "    return decoder.decode_rows([dict(row._mapping) for row in result.all()])\n",
            ),
        ),
        scenario(
            "iterating a result without decoding is RP002",
            append(
                ORG_REPOSITORY,
                "\n\ndef names(connection: Connection) -> list[str]:\n"
                "    result = connection.execute(select(organizations))\n"
                "    return [row.name for row in result]\n",
            ),
            findings=[("RP002", ORG_REPOSITORY, "def names(")],
        ),
        scenario(
            "model_construct in a repository is RP002",
            replace(
                ORG_REPOSITORY,
                "OrganizationsRowSchema.model_validate(row)",
                "OrganizationsRowSchema.model_construct(**row)",
            ),
            findings=[("RP002", ORG_REPOSITORY, "model_construct")],
        ),
        scenario(
            "unwrapping a container in a repository is RP003",
            replace(
                ORG_REPOSITORY,
                "return IOResult.from_value(result.rowcount).map(int)",
                "return IOSuccess(IOResult.from_value(result.rowcount).unwrap())",
            ),
            findings=[("RP003", ORG_REPOSITORY, ".unwrap()")],
        ),
        scenario(
            "matching on success in a repository is RP003",
            append(
                ORG_REPOSITORY,
                "\n\ndef name_of(result: object) -> str:\n    match result:\n"
                "        case IOSuccess(row):\n            return str(row)\n"
                "        case _:\n            return ''\n",
            ),
            findings=[("RP003", ORG_REPOSITORY, "case IOSuccess(row):")],
        ),
        # --- DE001-DE002 ---
        scenario(
            "an inline insert into domain_events is DE001",
            replace(
                ORG_REPOSITORY,
                "from infra.db.schema import organizations",
                "from infra.db.events_schema import domain_events\n"
                "from infra.db.schema import organizations",
            ),
            append(
                ORG_REPOSITORY,
                "\n\ndef log(connection: Connection) -> IOResult[int, str]:\n"
                "    statement = insert(domain_events).values(event_type='organization.created')\n"
                "    return IOSuccess(connection.execute(statement).rowcount)\n",
            ),
            findings=[("DE001", ORG_REPOSITORY, "statement = insert(domain_events)")],
        ),
        scenario(
            "raw SQL inserting into domain_events is DE001",
            append(
                ORG_REPOSITORY,
                '\nRECORD = text("INSERT INTO domain_events (id, event_type) '
                'VALUES (:id, :type)")\n',
            ),
            findings=[("DE001", ORG_REPOSITORY, "RECORD = text(")],
        ),
        scenario(
            "an inline update of domain_event_streams is DE001",
            replace(
                ORG_REPOSITORY,
                "from infra.db.schema import organizations",
                "from infra.db.schema import domain_event_streams, organizations",
            ),
            append(
                ORG_REPOSITORY,
                "\n\ndef bump(connection: Connection) -> IOResult[int, str]:\n"
                "    statement = update(domain_event_streams).values(version=7)\n"
                "    return IOSuccess(connection.execute(statement).rowcount)\n",
            ),
            findings=[("DE001", ORG_REPOSITORY, "statement = update(domain_event_streams)")],
        ),
        scenario(
            "raw SQL upserting or moving a stream is DE001",
            append(
                ORG_REPOSITORY,
                '\nSTART = text("INSERT INTO domain_event_streams (aggregate_type, aggregate_id, '
                "version) VALUES (:type, :id, 1) ON CONFLICT (aggregate_type, aggregate_id) "
                'DO UPDATE SET version = domain_event_streams.version + 1")\n'
                'MOVE = text("UPDATE domain_event_streams SET version = version + 1 '
                'WHERE aggregate_id = :id")\n',
            ),
            findings=[
                ("DE001", ORG_REPOSITORY, "START = text("),
                ("DE001", ORG_REPOSITORY, "MOVE = text("),
            ],
        ),
        scenario(
            "updating events' delivery states and deleting streams elsewhere is legal",
            replace(
                ORG_REPOSITORY,
                "from infra.db.schema import organizations",
                "from infra.db.events_schema import domain_events\n"
                "from infra.db.schema import organizations",
            ),
            append(
                ORG_REPOSITORY,
                "\n\ndef publish(connection: Connection) -> IOResult[int, str]:\n"
                "    statement = update(domain_events).values(status='published')\n"
                "    return IOSuccess(connection.execute(statement).rowcount)\n"
                '\n\nFORGET = text("DELETE FROM domain_event_streams WHERE aggregate_id = :id")\n'
                "RELEASE = text(\"UPDATE domain_events SET status = 'pending' WHERE id = :id\")\n",
            ),
        ),
        scenario(
            "prose mentioning an insert into domain_events is legal",
            replace(
                USE_CASES, '"""A use case', '"""Never INSERT INTO domain_events by hand. A use case'
            ),
        ),
        scenario(
            "an event name not matching the pattern is DE002 (and DE003 on both registries)",
            replace(REGISTRY, '"organization.renamed"', '"OrganizationRenamed"'),
            findings=[
                ("DE003", OUTBOX_HANDLERS, '"organization.renamed"'),
                ("DE002", REGISTRY, 'OrganizationRenamed"'),
                ("DE003", REGISTRY, 'OrganizationRenamed"'),
            ],
        ),
        scenario(
            "an event without a payload class is DE002",
            replace(
                REGISTRY,
                '"organization.renamed": OrganizationRenamed',
                '"organization.renamed": dict',
            ),
            findings=[("DE002", REGISTRY, "organization.renamed")],
        ),
        scenario(
            "an unregistered event type in a use case is DE002",
            replace(
                USE_CASES, 'event_type="organization.created"', 'event_type="organization.deleted"'
            ),
            findings=[("DE002", USE_CASES, "organization.deleted")],
        ),
        # --- WF001 ---
        scenario(
            "importing random in a workflow is WF001",
            replace(WORKFLOW, "import asyncio\n", "import asyncio\nimport random\n"),
            findings=[("WF001", WORKFLOW, "import random")],
        ),
        scenario(
            "a feature workflow module is checked even where it defines no workflow",
            write(FEATURE_WORKFLOW, "import time\n\n\ndef stamp():\n    return time.time()\n"),
            findings=[("WF001", FEATURE_WORKFLOW, 5)],
        ),
        scenario(
            "a workflow defined outside the workflows package is checked",
            write(
                APP_MODULE,
                "import time\nfrom temporalio import workflow\n\n\n@workflow.defn\n"
                "class Report:\n    @workflow.run\n    async def run(self) -> float:\n"
                "        return time.time()\n",
            ),
            findings=[("WF001", APP_MODULE, 9)],
        ),
        # --- EN001 ---
        scenario(
            "reading the environment in core is EN001",
            replace(
                USE_CASES,
                "from dataclasses import dataclass\n",
                "import os\nfrom dataclasses import dataclass\n\nLIMIT = os.environ['LIMIT']\n",
            ),
            findings=[("EN001", USE_CASES, "LIMIT =")],
        ),
        scenario(
            "getenv through an alias in a migration is EN001",
            write(
                MIGRATION_ENV, "from os import getenv\n\nURL = getenv('MIGRATION_DATABASE_URL')\n"
            ),
            findings=[("EN001", MIGRATION_ENV, 3)],
        ),
        scenario(
            "a settings class outside a settings module is EN001",
            write(
                POOL_SETTINGS,
                "from pydantic_settings import BaseSettings\n\n\n"
                "class PoolSettings(BaseSettings):\n    size: int = 5\n",
            ),
            findings=[("EN001", POOL_SETTINGS, 4)],
        ),
        # --- SQ001 ---
        scenario(
            "SQL built in a variable first is SQ001 where it is executed",
            append(
                ORG_REPOSITORY,
                "\n\ndef by_name(connection: Connection, name: str) -> object:\n"
                "    query = f\"SELECT id FROM organizations WHERE name = '{name}'\"\n"
                "    return connection.execute(text(query)).scalar_one()\n",
            ),
            findings=[("SQ001", ORG_REPOSITORY, "return connection.execute(text(query))")],
        ),
        scenario(
            "psycopg SQL composition is legal",
            append(
                ORG_REPOSITORY,
                "\n\ndef create(cursor: object, name: str) -> None:\n"
                "    from psycopg import sql\n\n"
                "    cursor.execute(sql.SQL('CREATE DATABASE {}').format(sql.Identifier(name)))\n",
            ),
        ),
        scenario(
            "formatting with module constants only is legal",
            append(
                ORG_REPOSITORY,
                '\nTABLE = "organizations"\n'
                'BY_NAME = f"SELECT id FROM {TABLE} WHERE name = :name"\n'
                "\n\ndef by_name(connection: Connection, name: str) -> object:\n"
                '    return connection.execute(text(BY_NAME), {"name": name}).scalar_one()\n',
            ),
        ),
        scenario(
            "an op.execute with an f-string in a migration is SQ001",
            replace(
                TRIGGERS,
                '    op.execute("DROP FUNCTION set_updated_at();")',
                '    for name in ("set_updated_at",):\n'
                '        op.execute(f"DROP FUNCTION {name}();")',
            ),
            findings=[("SQ001", TRIGGERS, 'op.execute(f"DROP')],
        ),
        # --- TY001 ---
        scenario(
            "a bare type: ignore is TY001",
            replace(USE_CASES, "    return cache[key]", "    return cache[key]  # type: ignore"),
            findings=[("TY001", USE_CASES, "type: ignore")],
        ),
        scenario(
            "a type: ignore with a code is legal",
            replace(
                USE_CASES, "    return cache[key]", "    return cache[key]  # type: ignore[index]"
            ),
        ),
        scenario(
            "a bare except is TY001",
            replace(USE_CASES, "    except KeyError:\n", "    except:\n"),
            findings=[("TY001", USE_CASES, "except:")],
        ),
        scenario(
            "an except that only passes is TY001",
            replace(
                USE_CASES,
                "    except KeyError:\n        return None",
                "    except KeyError:\n        pass",
            ),
            findings=[("TY001", USE_CASES, "except KeyError")],
        ),
    ],
)
def test_a_code_rule_reports_each_change_at_its_line(tree: Tree, scenario: Scenario) -> None:
    scenario.check(tree)


@pytest.mark.parametrize("statement", STRING_BUILT_SQL.values(), ids=STRING_BUILT_SQL.keys())
def test_sql_built_from_strings_is_sq001(tree: Tree, statement: str) -> None:
    tree.append(ORG_REPOSITORY, f"{BY_NAME}{statement}\n")
    tree.assert_findings([("SQ001", ORG_REPOSITORY, statement)])


@pytest.mark.parametrize(
    ("code", "imports"),
    [
        ("started = datetime.now()", ""),
        ("time.sleep(1)", "import time\n"),
        ("run_id = uuid.uuid4()", "import uuid\n"),
        ("jitter = random.random()", "import random\n"),
        ("text = open('/etc/hostname').read()", ""),
    ],
    ids=[
        "reading the clock",
        "sleeping",
        "a random uuid",
        "a random number",
        "reading a file",
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
    tree.assert_only_code_among("WF001", WORKFLOW, code)
