"""DE002 follows the registry and event types through aliases, modules and constants."""

from __future__ import annotations

import pytest

from tests.invariants.conftest import Tree

APP_MODULE = "packages/app/src/app/reports.py"
NAMES = "packages/core/src/core/domains/organizations/event_names.py"


def write(tree: Tree, code: str) -> int:
    """Write APP_MODULE; return the line of the `# here` marker."""
    tree.write(APP_MODULE, code)
    return tree.line_of(APP_MODULE, "# here")


# --- the registry changed outside core/event_registry.py ------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "from core.event_registry import EVENT_PAYLOAD_TYPES as REG\n\n\n"
        "def add() -> None:\n"
        '    REG["organization.deleted"] = object  # here\n',
        "import core.event_registry as er\n\n\n"
        "def add() -> None:\n"
        "    er.EVENT_PAYLOAD_TYPES.update({})  # here\n",
        "import core.event_registry\n\n\n"
        "def add() -> None:\n"
        '    del core.event_registry.EVENT_PAYLOAD_TYPES["organization.created"]  # here\n',
        "from core import event_registry\n\n\n"
        "def add() -> None:\n"
        '    event_registry.EVENT_PAYLOAD_TYPES.setdefault("user.left", object)  # here\n',
        "from core.event_registry import EVENT_PAYLOAD_TYPES\n\nTYPES = EVENT_PAYLOAD_TYPES\n\n\n"
        "def add() -> None:\n"
        "    TYPES.clear()  # here\n",
        "from core.event_registry import EVENT_PAYLOAD_TYPES as REG\n\n\n"
        "def add() -> None:\n"
        "    types = REG\n"
        "    types |= {}  # here\n",
    ],
    ids=[
        "import-alias",
        "module-alias",
        "dotted-module",
        "from-package",
        "module-level-alias",
        "local-alias-augmented",
    ],
)
def test_changing_the_registry_under_any_spelling_is_de002(tree: Tree, code: str) -> None:
    line = write(tree, code)
    assert tree.findings() == [("DE002", APP_MODULE, line)]


def test_changing_a_copy_of_the_registry_is_not_de002(tree: Tree) -> None:
    write(
        tree,
        "from core.event_registry import EVENT_PAYLOAD_TYPES as REG\n\n\n"
        "def extended() -> dict[str, object]:\n"
        "    types = dict(REG)  # here\n"
        '    types["organization.deleted"] = object\n'
        "    types.update({})\n"
        "    return types\n",
    )
    assert tree.findings() == []


def test_an_attribute_merely_named_like_the_registry_is_not_de002(tree: Tree) -> None:
    write(
        tree,
        "class Catalogue:\n"
        "    def __init__(self) -> None:\n"
        "        self.EVENT_PAYLOAD_TYPES: dict[str, object] = {}\n\n"
        "    def add(self) -> None:\n"
        '        self.EVENT_PAYLOAD_TYPES["organization.deleted"] = object  # here\n',
    )
    assert tree.findings() == []


# --- event types written as constants --------------------------------------------------------


def test_an_unregistered_event_type_held_by_a_constant_is_de002_where_it_is_used(
    tree: Tree,
) -> None:
    line = write(
        tree,
        'DELETED = "organization.deleted"\n\n\n'
        "def deleted(make: type, payload: object) -> object:\n"
        "    return make(event_type=DELETED, payload=payload)  # here\n",
    )
    assert tree.findings() == [("DE002", APP_MODULE, line)]


@pytest.mark.parametrize(
    ("imports", "spelling"),
    [
        ("from core.domains.organizations.event_names import DELETED\n", "DELETED"),
        ("from core.domains.organizations.event_names import DELETED as GONE\n", "GONE"),
        ("from core.domains.organizations import event_names\n", "event_names.DELETED"),
        ("import core.domains.organizations.event_names as names\n", "names.DELETED"),
    ],
    ids=["imported", "imported-alias", "module-attribute", "module-alias"],
)
def test_an_unregistered_event_type_imported_from_another_module_is_de002(
    tree: Tree, imports: str, spelling: str
) -> None:
    tree.write(NAMES, 'CREATED = "organization.created"\nDELETED = "organization.deleted"\n')
    line = write(
        tree,
        f"{imports}\n\ndef deleted(make: type, payload: object) -> object:\n"
        f"    return make(event_type={spelling}, payload=payload)  # here\n",
    )
    assert tree.findings() == [("DE002", APP_MODULE, line)]


def test_a_registry_lookup_of_an_unregistered_constant_is_de002(tree: Tree) -> None:
    tree.write(NAMES, 'DELETED = "organization.deleted"\n')
    write(
        tree,
        "from core.domains.organizations.event_names import DELETED\n"
        "from core.event_registry import EVENT_PAYLOAD_TYPES as REG\n\n\n"
        "def payload_types() -> list[object]:\n"
        "    return [\n"
        "        REG[DELETED],  # here\n"
        "        REG.get(DELETED),\n"
        "        DELETED in REG,\n"
        "    ]\n",
    )
    first = tree.line_of(APP_MODULE, "# here")
    assert tree.findings() == [
        ("DE002", APP_MODULE, first),
        ("DE002", APP_MODULE, first + 1),
        ("DE002", APP_MODULE, first + 2),
    ]


def test_registered_constants_and_other_dotted_strings_are_not_de002(tree: Tree) -> None:
    tree.write(NAMES, 'CREATED = "organization.created"\n')
    write(
        tree,
        "import logging\n\n"
        "from core.domains.organizations.event_names import CREATED\n"
        "from core.event_registry import EVENT_PAYLOAD_TYPES as REG\n\n"
        'LOGGER = logging.getLogger("app.reports")  # here\n'
        'SETTING = "retention.days"\n'
        'FAILED = "login_failed"\n\n\n'
        "def events(make: type, event_type: str) -> list[object]:\n"
        "    return [\n"
        "        make(event_type=CREATED),\n"
        "        REG[CREATED],\n"
        "        REG.get(event_type),\n"
        "        dict(event_type=FAILED),\n"
        "        make(setting=SETTING),\n"
        "    ]\n",
    )
    assert tree.findings() == []
