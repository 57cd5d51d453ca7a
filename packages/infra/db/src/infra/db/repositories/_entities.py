"""Move values between core entities and rows whose columns the entities copy one for one.

Most stored entities are their row, column for column, and most new entities are
the columns an insert sets. Writing those copies out field by field repeated each
table's columns once more per repository; these helpers copy by field name instead.
What mypy checked in the written-out copies, a test checks for every mapper
(`tests/unit/infra_db/test_entity_mappers.py`), and a mapper whose entity and row
disagree on a name refuses to be built at import.
Mappings that transform a value (JSON payloads, audit metadata) stay hand-written.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Generic, TypeVar, final

from pydantic import BaseModel

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

RowT = TypeVar("RowT", bound=BaseModel)
EntityT = TypeVar("EntityT", bound="DataclassInstance")


@final
@dataclass(frozen=True)
class EntityMapper(Generic[RowT, EntityT]):
    """Build `entity` from a `schema` row; both must have the same field names.

    Raises:
        TypeError: at construction, naming the fields one side has and the other lacks.
    """

    schema: type[RowT]
    entity: type[EntityT]
    names: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        names = tuple(f.name for f in fields(self.entity))
        columns = tuple(self.schema.model_fields)
        unmatched = sorted(set(names) ^ set(columns))
        if unmatched:
            raise TypeError(
                f"{self.entity.__name__} is not a copy of {self.schema.__name__}: "
                f"{', '.join(unmatched)} stand(s) on one side only; write its mapper by hand"
            )
        object.__setattr__(self, "names", names)

    def __call__(self, row: RowT) -> EntityT:
        return self.entity(**{name: getattr(row, name) for name in self.names})


def column_values(new_entity: DataclassInstance) -> dict[str, object]:
    """The fields of an entity about to be stored, by name: the columns its insert sets.

    Shallow on purpose (unlike `dataclasses.asdict`): values go to the driver as they are.
    """
    return {f.name: getattr(new_entity, f.name) for f in fields(new_entity)}
