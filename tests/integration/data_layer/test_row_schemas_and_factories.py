"""Every table's factory row survives a database round trip through its row schema."""

from __future__ import annotations

import factory.random
import pytest
from sqlalchemy import Connection, select

from infra.db import factories
from infra.db.factories._base import ParentLink, RowFactory
from infra.db.schema import metadata, organizations

# Domain events get their sequence number, created_at and available_at from the stream's
# writer, so their round trip is compared apart, without what the stream assigns.
ASSIGNED_BY_THE_STREAM = {"sequence_number", "created_at", "available_at", "id"}
STREAM_WRITTEN_TABLES = {"domain_events"}


def factory_of(table_name: str) -> type[RowFactory]:
    """The `<Table>Factory` the naming convention (and checker rule DB004) gives each table."""
    class_name = "".join(part.title() for part in table_name.split("_")) + "Factory"
    row_factory: type[RowFactory] = getattr(factories, class_name)
    return row_factory


# Derived from schema.py, so a new table's factory is round-tripped without editing this list.
FACTORIES = [
    factory_of(table.name)
    for table in metadata.sorted_tables
    if table.name not in STREAM_WRITTEN_TABLES
]


@pytest.mark.parametrize("row_factory", FACTORIES, ids=lambda f: f.__name__)
def test_a_created_row_reads_back_equal_to_the_built_one(
    connection: Connection, row_factory: type[RowFactory]
) -> None:
    parents = {
        link.field: link.factory.create(connection=connection).id
        for link in row_factory.parent_links()
    }
    factory.random.reseed_random(11)
    built = row_factory.build(**parents)
    factory.random.reseed_random(11)
    stored = row_factory.create(connection=connection, **parents)
    assert stored == built


def test_a_created_domain_event_matches_its_build_but_for_what_the_stream_assigns(
    connection: Connection,
) -> None:
    factory.random.reseed_random(5)
    built = factories.DomainEventsFactory.build(status="published")
    factory.random.reseed_random(5)
    stored = factories.DomainEventsFactory.create(connection=connection, status="published")
    assert stored.model_dump(exclude=ASSIGNED_BY_THE_STREAM) == built.model_dump(
        exclude=ASSIGNED_BY_THE_STREAM
    )


def test_factories_repeat_their_rows_under_the_same_seed() -> None:
    factory.random.reseed_random(2026)
    first = [f.build() for f in [*FACTORIES, factories.DomainEventsFactory]]
    factory.random.reseed_random(2026)
    second = [f.build() for f in [*FACTORIES, factories.DomainEventsFactory]]
    assert first == second


def test_creating_an_invitation_creates_its_organization(connection: Connection) -> None:
    invitation = factories.InvitationsFactory.create(connection=connection)
    assert invitation.organization_id is not None
    stored = select(organizations.c.id).where(organizations.c.id == invitation.organization_id)
    assert connection.execute(stored).scalar_one() == invitation.organization_id


def test_a_factorys_parent_links_are_its_parent_id_declarations() -> None:
    assert factories.AuthLoginSessionsFactory.parent_links() == (
        ParentLink("user_id", factories.UsersFactory),
    )
    assert factories.InvitationsFactory.parent_links() == (
        ParentLink("organization_id", factories.OrganizationsFactory),
    )
    assert factories.OrganizationsFactory.parent_links() == ()
