"""The configuration every row schema shares."""

from pydantic import ConfigDict

# Strict: a row from psycopg already has the right Python types, so any coercion
# (a str where a UUID belongs, a naive datetime) means the schema and the table
# disagree, which must fail loudly rather than be papered over.
ROW_SCHEMA_CONFIG = ConfigDict(frozen=True, strict=True, extra="forbid")
