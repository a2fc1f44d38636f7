"""Shared pydantic bases of the configuration models (imported only when something is validated)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field


def _key(value: object) -> object:
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


Key = Annotated[str, BeforeValidator(_key)]
"""A table key: YAML's unquoted `115:` is the string "115"."""

Modified = dict[str, dict[str, float]] | None
"""The store's `__modified__` bookkeeping (last-modified per record)."""


class Model(BaseModel):
    """Unknown fields are errors (a typo never passes silently)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Open(BaseModel):
    """Runtime records the emulator writes itself (tokens, requests): extra fields allowed."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)


class FaultRuleIn(Model):
    """A fault rule: match (operation, method, path glob), then fail (status, delay_ms, disconnect)."""

    operation: str | None = Field(None, description="operationId; must exist in the API's contract")
    method: str | None = None
    path: str | None = Field(None, description="glob on the request path (namespace prefix removed)")
    status: int | None = Field(None, ge=100, le=599)
    delay_ms: int | None = Field(None, ge=0, le=600_000)
    disconnect: bool | None = None
    times: int | None = Field(None, ge=1)
    probability: float | None = Field(None, ge=0, le=1)
    message: str | None = None
    when: Literal["before", "after"] = "before"


class ClockCommand(Model):
    """POST /__emulator/clock: any of these, applied as reset, freeze, set, unfreeze, advance."""

    advance_seconds: float | None = Field(None, allow_inf_nan=False)
    set: str | None = Field(None, min_length=1, description="ISO 8601 date-time")
    freeze: bool | None = None
    reset: bool | None = None
