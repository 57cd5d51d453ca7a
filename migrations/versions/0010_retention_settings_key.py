"""The retention policy moves from the setting `retention` to `retention_settings`.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30

The original design names the key `retention_settings`. The row keeps its
value, description and `updated_at`: the value an operator set stays in force.

Both keys can exist when `strata db schemas apply` (which writes the new key's
defaults) ran before this migration. The value being moved is the one the
running code read, so it wins: when both values are objects they are merged
entry by entry with the moved entries winning (an entry only the other key has,
such as a newly added default, is kept); otherwise the moved value replaces the
other whole, as a deliberate non-object value (the reader reports it) is the
operator's. The downgrade moves the value back by the same rule.

The keys are written here, not imported: a revision must keep meaning what it
did when it was written, whatever the constant says later.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KEY = "retention"
NEW_KEY = "retention_settings"

# `ON CONFLICT … DO UPDATE` runs only when the target key exists already; the
# plain insert keeps `updated_at` (the set_updated_at trigger fires on UPDATE
# only), so a moved value still says when the operator last changed it.
MOVE_VALUE = sa.text("""
INSERT INTO system_settings (key, value, description, updated_at)
SELECT CAST(:target AS text), value, description, updated_at
FROM system_settings
WHERE key = :source
ON CONFLICT (key) DO UPDATE
SET value = CASE
        WHEN jsonb_typeof(system_settings.value) = 'object'
         AND jsonb_typeof(EXCLUDED.value) = 'object'
        THEN system_settings.value || EXCLUDED.value
        ELSE EXCLUDED.value
    END,
    description = coalesce(EXCLUDED.description, system_settings.description)
""")
DROP_SOURCE = sa.text("DELETE FROM system_settings WHERE key = :source")


def move_setting(source: str, target: str) -> None:
    """Move the value of `source` to `target` (the moved value wins), then drop `source`."""
    op.execute(MOVE_VALUE.bindparams(source=source, target=target))
    op.execute(DROP_SOURCE.bindparams(source=source))


def upgrade() -> None:
    move_setting(OLD_KEY, NEW_KEY)


def downgrade() -> None:
    move_setting(NEW_KEY, OLD_KEY)
