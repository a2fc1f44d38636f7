"""The SuperOffice OData archive engine: column model and `$filter` compiler (filter.py), the lark grammar
(grammar.lark, parsed in parse.py) and the query runner (`$select`, `$orderBy`, paging, `$mode`; query.py)."""

from __future__ import annotations

from .filter import Archive, Column, Context, Row
from .query import Query, order, run, select

__all__ = ["Archive", "Column", "Context", "Query", "Row", "order", "run", "select"]
