"""DE002 follows the registry and event types through aliases, modules and constants."""

from __future__ import annotations

import pytest

from tests.invariants.conftest import APP_MODULE, Scenario, Tree, scenario, write

NAMES = "packages/core/src/core/domains/organizations/event_names.py"
HERE = "# here"
REGISTRY_CHANGES = {
    "imported under an alias": (
        "from core.event_registry import EVENT_PAYLOAD_TYPES as REG\n\n\n"
        "def add() -> None:\n"
        '    REG["organization.deleted"] = object  # here\n'
    ),
    "through a module alias": (
        "import core.event_registry as er\n\n\n"
        "def add() -> None:\n"
        "    er.EVENT_PAYLOAD_TYPES.update({})  # here\n"
    ),
    "through the dotted module": (
        "import core.event_registry\n\n\n"
        "def add() -> None:\n"
        '    del core.event_registry.EVENT_PAYLOAD_TYPES["organization.created"]  # here\n'
    ),
    "through the module imported from its package": (
        "from core import event_registry\n\n\n"
        "def add() -> None:\n"
        '    event_registry.EVENT_PAYLOAD_TYPES.setdefault("user.left", object)  # here\n'
    ),
    "through a module-level alias": (
        "from core.event_registry import EVENT_PAYLOAD_TYPES\n\n"
        "TYPES = EVENT_PAYLOAD_TYPES\n\n\n"
        "def add() -> None:\n"
        "    TYPES.clear()  # here\n"
    ),
    "through a local alias augmented in place": (
        "from core.event_registry import EVENT_PAYLOAD_TYPES as REG\n\n\n"
        "def add() -> None:\n"
        "    types = REG\n"
        "    types |= {}  # here\n"
    ),
}
DELETED_IMPORTS = {
    "imported by name": ("from core.domains.organizations.event_names import DELETED\n", "DELETED"),
    "imported under an alias": (
        "from core.domains.organizations.event_names import DELETED as GONE\n",
        "GONE",
    ),
    "read from its imported module": (
        "from core.domains.organizations import event_names\n",
        "event_names.DELETED",
    ),
    "read from its module imported under an alias": (
        "import core.domains.organizations.event_names as names\n",
        "names.DELETED",
    ),
}


@pytest.mark.parametrize(
    "scenario",
    [
        # --- the registry changed outside core/event_registry.py ---
        *(
            scenario(
                f"changing the registry {spelling} is DE002",
                write(APP_MODULE, code),
                findings=[("DE002", APP_MODULE, HERE)],
            )
            for spelling, code in REGISTRY_CHANGES.items()
        ),
        scenario(
            "changing a copy of the registry is not DE002",
            write(
                APP_MODULE,
                "from core.event_registry import EVENT_PAYLOAD_TYPES as REG\n\n\n"
                "def extended() -> dict[str, object]:\n"
                "    types = dict(REG)  # here\n"
                '    types["organization.deleted"] = object\n'
                "    types.update({})\n"
                "    return types\n",
            ),
        ),
        scenario(
            "an attribute merely named like the registry is not DE002",
            write(
                APP_MODULE,
                "class Catalogue:\n"
                "    def __init__(self) -> None:\n"
                "        self.EVENT_PAYLOAD_TYPES: dict[str, object] = {}\n\n"
                "    def add(self) -> None:\n"
                '        self.EVENT_PAYLOAD_TYPES["organization.deleted"] = object  # here\n',
            ),
        ),
        # --- event types written as constants ---
        scenario(
            "an unregistered event type held by a constant is DE002 where it is used",
            write(
                APP_MODULE,
                'DELETED = "organization.deleted"\n\n\n'
                "def deleted(make: type, payload: object) -> object:\n"
                "    return make(event_type=DELETED, payload=payload)  # here\n",
            ),
            findings=[("DE002", APP_MODULE, HERE)],
        ),
        *(
            scenario(
                f"an unregistered event type {spelling} from another module is DE002",
                write(
                    NAMES, 'CREATED = "organization.created"\nDELETED = "organization.deleted"\n'
                ),
                write(
                    APP_MODULE,
                    f"{imports}\n\ndef deleted(make: type, payload: object) -> object:\n"
                    f"    return make(event_type={name}, payload=payload)  # here\n",
                ),
                findings=[("DE002", APP_MODULE, HERE)],
            )
            for spelling, (imports, name) in DELETED_IMPORTS.items()
        ),
        scenario(
            "a registry lookup of an unregistered constant is DE002",
            write(NAMES, 'DELETED = "organization.deleted"\n'),
            write(
                APP_MODULE,
                "from core.domains.organizations.event_names import DELETED\n"
                "from core.event_registry import EVENT_PAYLOAD_TYPES as REG\n\n\n"
                "def payload_types() -> list[object]:\n"
                "    return [\n"
                "        REG[DELETED],  # here\n"
                "        REG.get(DELETED),\n"
                "        DELETED in REG,\n"
                "    ]\n",
            ),
            findings=[
                ("DE002", APP_MODULE, "REG[DELETED],  # here"),
                ("DE002", APP_MODULE, "REG.get(DELETED),"),
                ("DE002", APP_MODULE, "DELETED in REG,"),
            ],
        ),
        scenario(
            "registered constants and other dotted strings are not DE002",
            write(NAMES, 'CREATED = "organization.created"\n'),
            write(
                APP_MODULE,
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
            ),
        ),
    ],
)
def test_de002_follows_every_spelling_of_the_registry_and_event_types(
    tree: Tree, scenario: Scenario
) -> None:
    scenario.check(tree)
