"""A project as the API shows it: `id` first, then the fields (all, or the requested ones) in table order.

The work per column set is done once: `column_table(names)` is the (field name, blank value) list of a
requested set, memoised by the set, so a request pays neither the field-table walk nor `blank_value`.
A stored record that holds every field in table order (every record our handlers write) is copied
as is. The full view of an unchanged record is kept (`Views`, per world and tenant, at most KEEP_VIEWS)
and served again until the record is replaced: stores never change a record in place (handlers build
a new dict and `put` it; state loads and resets make new ones), so the stored dict's identity is its
version. The plain first page of GET /Projects (no filter, sort, nextid or columns) is kept the same way:
with the keys and records of the table it was made from.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from .fields import PROJECT_FIELDS, blank_value

FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in PROJECT_FIELDS)
ColumnTable = tuple[tuple[str, object], ...]
ALL_COLUMNS: ColumnTable = tuple((f.name, blank_value(f)) for f in PROJECT_FIELDS)
_KEEP_NAMES = 64  # a longer requested list is rendered without memoising its table
KEEP_VIEWS = 1024  # full views kept per tenant (a page is at most 100 by default)


@functools.lru_cache(maxsize=256)
def _table_of(names: frozenset[str]) -> ColumnTable:
    return tuple(pair for pair in ALL_COLUMNS if pair[0] in names)


def column_table(names: Iterable[str] | None) -> ColumnTable:
    """The (name, blank) pairs of the requested field names, in table order (None -> every field)."""
    if names is None:
        return ALL_COLUMNS
    wanted = frozenset(names)
    if len(wanted) > _KEEP_NAMES:
        return tuple(pair for pair in ALL_COLUMNS if pair[0] in wanted)
    return _table_of(wanted)


def render(project_id: int | str, record: dict[str, Any], names: Iterable[str] | None = None) -> dict[str, Any]:
    """`id`, then each field of the set: its stored value, or the blank one when the record lacks it."""
    table = column_table(names)
    out: dict[str, Any] = {"id": int(project_id)}
    if table is ALL_COLUMNS and tuple(record) == FIELD_NAMES:  # complete and in table order
        out.update(record)
        return out
    get = record.get
    for name, blank in table:
        out[name] = get(name, blank)
    return out


class Views:
    """Full views of one tenant's records, each kept beside the record object it was made from."""

    __slots__ = ("_kept", "_page")

    def __init__(self) -> None:
        self._kept: dict[int, tuple[dict[str, Any], dict[str, Any]]] = {}
        # the first page of GET /Projects (no filter, sort, nextid or columns): the table's keys and
        # records it was made from, its limit, Content-Range and records
        self._page: tuple[tuple[str, ...], tuple[Any, ...], int, str, tuple[dict[str, Any], ...]] | None = None

    def first_page(self, table: dict[str, Any], limit: int) -> tuple[str, tuple[dict[str, Any], ...]] | None:
        """(Content-Range, records) of the kept first page if `table` still holds the same records
        under the same keys (a record equal to the one it replaced renders the same)."""
        page = self._page
        if page is None or page[2] != limit or len(page[0]) != len(table):
            return None
        if page[0] != tuple(table) or page[1] != tuple(table.values()):
            return None
        return page[3], page[4]

    def keep_first_page(self, table: dict[str, Any], limit: int, span: str, records: list[dict[str, Any]]) -> None:
        if len(table) <= KEEP_VIEWS:
            self._page = (tuple(table), tuple(table.values()), limit, span, tuple(records))

    def full(self, pid: int, record: dict[str, Any]) -> dict[str, Any]:
        """The full view of project `pid` stored as `record` (callers never change a view)."""
        kept = self._kept.get(pid)
        if kept is not None and kept[0] is record:
            return kept[1]
        view = render(pid, record)
        if kept is None and len(self._kept) >= KEEP_VIEWS:  # bounded: the oldest kept view goes
            del self._kept[next(iter(self._kept))]
        self._kept[pid] = (record, view)
        return view


def views_of(world: Any, tenant: str | None) -> Views:
    """The tenant's views, kept in world.scratch (cleared by a reset or a state load)."""
    kept: dict[str | None, Views] | None = world.scratch.get("bouwsoft_views")
    if kept is None:
        kept = world.scratch["bouwsoft_views"] = {}
    views = kept.get(tenant)
    if views is None:
        views = kept[tenant] = Views()
    return views
