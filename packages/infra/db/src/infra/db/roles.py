"""Database role names created by the first migration.

`strata_owner` owns every schema object; `strata_runtime` is what the
application connects as and may only read and write rows.
"""

from typing import Final

OWNER_ROLE: Final = "strata_owner"
RUNTIME_ROLE: Final = "strata_runtime"
