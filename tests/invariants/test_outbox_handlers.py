"""DE003: core's event types and the outbox's handlers match; child workflow ids dedupe."""

from __future__ import annotations

import pytest

from tests.invariants.conftest import (
    APP_MODULE,
    EVENT_REGISTRY,
    OUTBOX_HANDLERS,
    Scenario,
    Tree,
    append,
    delete,
    replace,
    scenario,
    write,
)

HANDLERS = "packages/app/src/app/outbox/handlers.py"
HERE = "# here"
ONBOARD = '"organization.created": StartChildWorkflow("onboard"),\n'
RENAMED = '"organization.renamed": NOT_DELIVERED,\n'
START = "await workflow.start_child_workflow"


def starting(id_argument: str, *, prelude: str = "") -> str:
    """An app module whose handler starts a child workflow with `id_argument` (`# here`)."""
    return (
        "from temporalio import workflow\n\n\n"
        "async def handle(event: object, handoff: object, organization_id: str) -> None:\n"
        f"{prelude}"
        f'    {START}("Onboard", event, {id_argument})  # here\n'
    )


NOT_DERIVED = {
    "a fresh uuid": "id=str(uuid4())",
    "the aggregate's id": 'id=f"onboard-{organization_id}"',
    "the workflow's random uuid": "id=workflow.uuid4().hex",
    "the event id mixed with a random uuid": 'id=f"onboard-{event.id}-{workflow.uuid4()}"',
    "the event id mixed with the clock": 'id=f"onboard-{event.id}-{workflow.now()}"',
    "no id at all": "task_queue=QUEUE",
    "an id hidden in **options": "**OPTIONS",
}
DERIVED = {
    "the event's id": 'id=f"onboard-{event.id}"',
    "an event_id": "id=event_id",
    "an attribute event_id": 'id=f"onboard-{handoff.event_id}"',
    "the id of an attribute named like an event": "id=str(self.event.id)",
    "a helper given the event id": 'id=child_workflow_id("onboard", stored_event.id)',
}


@pytest.mark.parametrize(
    "scenario",
    [
        # --- the two registries ---
        scenario(
            "a registered event type without a handler entry is DE003 at its core entry",
            replace(OUTBOX_HANDLERS, f"    {RENAMED}", ""),
            findings=[("DE003", EVENT_REGISTRY, '"organization.renamed"')],
        ),
        scenario(
            "an event type mapped to NOT_DELIVERED or a handler is not DE003",
            replace(OUTBOX_HANDLERS, ONBOARD, '"organization.created": NOT_DELIVERED,\n'),
        ),
        scenario(
            "a handler for an unregistered event type is DE003 at its entry",
            replace(OUTBOX_HANDLERS, RENAMED, f'{RENAMED}    "organization.deleted": None,\n'),
            findings=[("DE003", OUTBOX_HANDLERS, "organization.deleted")],
        ),
        scenario(
            "an event type with two handler entries is DE003 at the second",
            replace(OUTBOX_HANDLERS, RENAMED, f"{RENAMED}    {RENAMED.strip()}  # here\n"),
            findings=[("DE003", OUTBOX_HANDLERS, HERE)],
        ),
        scenario(
            "entries spread in with ** are DE003: the checker cannot verify them",
            write("packages/app/src/app/outbox/more.py", "MORE = {}\n"),
            replace(OUTBOX_HANDLERS, RENAMED, f"{RENAMED}    **MORE,  # here\n"),
            replace(
                OUTBOX_HANDLERS,
                "\nNOT_DELIVERED",
                "from app.outbox.more import MORE\n\nNOT_DELIVERED",
            ),
            findings=[("DE003", OUTBOX_HANDLERS, HERE)],
        ),
        scenario(
            "a key that is not a string literal is DE003: the checker cannot verify it",
            replace(
                OUTBOX_HANDLERS,
                RENAMED,
                f"{RENAMED}    RENAMED: NOT_DELIVERED,  # here\n",
            ),
            replace(
                OUTBOX_HANDLERS,
                "\nNOT_DELIVERED",
                '\nRENAMED = "organization.renamed"\nNOT_DELIVERED',
            ),
            findings=[("DE003", OUTBOX_HANDLERS, HERE)],
        ),
        scenario(
            "a handler registry built by a call is DE003 at its assignment",
            replace(OUTBOX_HANDLERS, "EVENT_HANDLERS = {", "EVENT_HANDLERS = dict({"),
            replace(OUTBOX_HANDLERS, "}\n", "})\n"),
            findings=[("DE003", OUTBOX_HANDLERS, "EVENT_HANDLERS = dict(")],
        ),
        scenario(
            "a handler registry extended after its literal is DE003 where it is extended",
            append(OUTBOX_HANDLERS, 'EVENT_HANDLERS |= {"organization.deleted": None}  # here\n'),
            findings=[("DE003", OUTBOX_HANDLERS, HERE)],
        ),
        scenario(
            "an annotated handler registry is read like a plain one",
            replace(
                OUTBOX_HANDLERS,
                "EVENT_HANDLERS = {",
                "EVENT_HANDLERS: Final[Mapping[str, object]] = {",
            ),
            replace(
                OUTBOX_HANDLERS,
                "from app.outbox",
                "from collections.abc import Mapping\nfrom typing import Final\n\nfrom app.outbox",
            ),
        ),
        scenario(
            "no handler registry module is one DE003",
            delete(OUTBOX_HANDLERS),
            findings=[("DE003", OUTBOX_HANDLERS, 1)],
        ),
        scenario(
            "a handler registry module without EVENT_HANDLERS is one DE003",
            replace(OUTBOX_HANDLERS, "EVENT_HANDLERS = {", "HANDLERS = {"),
            findings=[("DE003", OUTBOX_HANDLERS, 1)],
        ),
        scenario(
            "a handler entry suppressed with a reason is not reported",
            replace(
                OUTBOX_HANDLERS,
                RENAMED,
                f'{RENAMED}    "organization.deleted": None,  '
                "# strata: ignore[DE003] consumed by a plugin until it is registered\n",
            ),
        ),
        # --- child workflows ---
        *(
            scenario(
                f"a child workflow whose id is {case} is DE003 at the call",
                write(APP_MODULE, starting(argument)),
                findings=[("DE003", APP_MODULE, HERE)],
            )
            for case, argument in NOT_DERIVED.items()
        ),
        *(
            scenario(
                f"a child workflow whose id is {case} is not DE003",
                write(APP_MODULE, starting(argument)),
            )
            for case, argument in DERIVED.items()
        ),
        scenario(
            "an id built in a variable from something else than the event is DE003",
            write(APP_MODULE, starting("id=child_id", prelude='    child_id = "onboard"\n')),
            findings=[("DE003", APP_MODULE, HERE)],
        ),
        scenario(
            "execute_child_workflow imported by name is checked too",
            write(
                APP_MODULE,
                "from temporalio.workflow import execute_child_workflow\n\n\n"
                "async def handle(organization_id: str) -> None:\n"
                "    await execute_child_workflow(  # here\n"
                '        "Onboard",\n'
                '        id=f"onboard-{organization_id}",\n'
                "    )\n",
            ),
            findings=[("DE003", APP_MODULE, HERE)],
        ),
        scenario(
            "a child workflow started outside packages/app is not DE003",
            write("scripts/tools/start.py", starting("id=str(uuid4())")),
        ),
        scenario(
            "a child workflow call suppressed with a reason is not reported",
            write(
                APP_MODULE,
                starting("id=str(uuid4())").replace(
                    HERE, "# strata: ignore[DE003] a one-off run that must not dedupe"
                ),
            ),
        ),
    ],
)
def test_de003_reports_each_change_at_its_line(tree: Tree, scenario: Scenario) -> None:
    scenario.check(tree)


def test_the_clean_fixture_starts_a_child_workflow_de003_accepts(tree: Tree) -> None:
    assert START in tree.read(HANDLERS)
    tree.edit(HANDLERS, 'f"{self.step}-{event.id}"', 'f"{self.step}-{event}"')
    assert tree.findings() == [("DE003", HANDLERS, tree.line_of(HANDLERS, START))]


def test_a_suppressed_de003_is_listed_with_its_reason(tree: Tree) -> None:
    tree.edit(OUTBOX_HANDLERS, f"    {RENAMED}", "")
    tree.edit(
        EVENT_REGISTRY,
        "OrganizationRenamed,\n",
        "OrganizationRenamed,  # strata: ignore[DE003] renamed events stay internal\n",
    )
    report = tree.check()
    assert report.diagnostics == []
    assert [(d.code, s.reason) for d, s in report.suppressed] == [
        ("DE003", "renamed events stay internal")
    ]


def test_without_event_types_in_core_no_handler_registry_is_needed(tree: Tree) -> None:
    tree.delete(OUTBOX_HANDLERS)
    for entry in ("organization.created", "organization.renamed"):
        tree.edit(EVENT_REGISTRY, f'"{entry}"', f'# "{entry}"')
    findings = tree.findings()
    assert findings  # DE002: the fixture still uses the types it no longer registers
    assert "DE003" not in {code for code, _, _ in findings}


def test_a_core_registry_de002_cannot_read_is_not_compared_with_the_handlers(tree: Tree) -> None:
    tree.edit(EVENT_REGISTRY, "EVENT_PAYLOAD_TYPES = {", "EVENT_PAYLOAD_TYPES = dict({")
    tree.edit(EVENT_REGISTRY, "}\n", "})\n")
    tree.edit(OUTBOX_HANDLERS, f"    {RENAMED}", "")
    line = tree.line_of(EVENT_REGISTRY, "EVENT_PAYLOAD_TYPES = dict(")
    assert ("DE002", EVENT_REGISTRY, line) in tree.findings()
    assert "DE003" not in {code for code, _, _ in tree.findings()}
