"""`strata org …`: create an organization (and its `organization.created` event)."""

from __future__ import annotations

from typing import Annotated

import typer

from app import bootstrap
from app.terminal import IdempotencyKeyOption, show, value_of, view_of
from core.domains.organizations.entities import Organization
from core.json import JsonObject
from core.use_cases.create_organization import CreateOrganization, create_organization

org_app = typer.Typer(help="Organizations: the tenants users belong to.", no_args_is_help=True)


@org_app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="The organization's name.")],
    billing_email: Annotated[str, typer.Option(help="Where invoices go.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    idempotency_key: IdempotencyKeyOption = None,
) -> None:
    """Create an organization as a trial; print its id."""
    ran = bootstrap.run_command(
        create_organization,
        CreateOrganization(name, billing_email),
        idempotency_key=idempotency_key,
        encode=_created,
    )
    outcome = value_of(ran)
    data = view_of(outcome, _created)
    show(
        f"organization {data['organization_id']} created: {data['name']} "
        f"(billing {data['billing_email']}, {data['subscription_status']})",
        data,
        as_json=as_json,
    )


def _created(organization: Organization) -> JsonObject:
    return {
        "organization_id": str(organization.id),
        "name": organization.name,
        "billing_email": organization.billing_email,
        "subscription_status": organization.subscription_status,
    }
