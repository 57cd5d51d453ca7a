"""`strata org …`: create an organization (and its `organization.created` event)."""

from __future__ import annotations

from typing import Annotated

import typer

from app import bootstrap
from app.terminal import show, value_of
from core.use_cases.create_organization import CreateOrganization, create_organization

org_app = typer.Typer(help="Organizations: the tenants users belong to.", no_args_is_help=True)


@org_app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="The organization's name.")],
    billing_email: Annotated[str, typer.Option(help="Where invoices go.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Create an organization as a trial; print its id."""
    organization = value_of(
        bootstrap.run_use_case(create_organization, CreateOrganization(name, billing_email))
    )
    show(
        f"organization {organization.id} created: {organization.name} "
        f"(billing {organization.billing_email}, {organization.subscription_status})",
        {
            "organization_id": organization.id,
            "name": organization.name,
            "billing_email": organization.billing_email,
            "subscription_status": organization.subscription_status,
        },
        as_json=as_json,
    )
