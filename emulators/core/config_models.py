"""Shared pydantic bases of the configuration models (imported only when something is validated)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator


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


class LognormalIn(Model):
    """A log-normal delay: half the requests wait less than `median_ms`; `sigma` spreads the tail."""

    median_ms: float = Field(gt=0, le=600_000, allow_inf_nan=False)
    sigma: float = Field(ge=0, le=4, allow_inf_nan=False)


class DelayIn(Model):
    """A delay distribution: exactly one of `fixed_ms`, `uniform_ms: [a, b]`, `lognormal: {median_ms, sigma}`."""

    fixed_ms: float | None = Field(None, ge=0, le=600_000, allow_inf_nan=False)
    uniform_ms: tuple[Annotated[float, Field(ge=0, le=600_000, allow_inf_nan=False)], ...] | None = Field(
        None, min_length=2, max_length=2, description="[low, high] in milliseconds"
    )
    lognormal: LognormalIn | None = None

    @model_validator(mode="after")
    def _one(self) -> DelayIn:
        given = [k for k in ("fixed_ms", "uniform_ms", "lognormal") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of fixed_ms, uniform_ms, lognormal")
        if self.uniform_ms is not None and self.uniform_ms[0] > self.uniform_ms[1]:
            raise ValueError("uniform_ms: [low, high] with low <= high")
        return self


class MatchIn(Model):
    """What fault and stub rules match on, and when they fire."""

    operation: str | None = Field(None, description="operationId; must exist in the API's contract")
    method: str | None = None
    path: str | None = Field(None, description="glob on the request path (namespace prefix removed)")
    query: dict[str, str] | None = Field(None, description="query parameters that must be present (values: globs)")
    delay_ms: int | None = Field(None, ge=0, le=600_000)
    delay: DelayIn | None = None
    times: int | None = Field(None, ge=1)
    probability: float | None = Field(None, ge=0, le=1)
    when: Literal["before", "after"] = "before"


class FaultRuleIn(MatchIn):
    """A fault rule: match (operation, method, path glob, query), then fail (status, delay, disconnect)."""

    status: int | None = Field(None, ge=100, le=599)
    disconnect: bool | None = None
    message: str | None = None


class RespondIn(Model):
    """A stub's answer: status, headers, and a text `body` or a `json` document."""

    status: int = Field(200, ge=100, le=599)
    headers: dict[str, str] = Field(default_factory=dict)
    body: str | None = None
    json_: Any = Field(None, alias="json")

    @model_validator(mode="after")
    def _one_body(self) -> RespondIn:
        if self.body is not None and self.json_ is not None:
            raise ValueError("give body or json, not both")
        return self


class StubRuleIn(MatchIn):
    """A stub: match like a fault (plus `body_jsonpath`), then answer `respond` in place of the emulator;
    with `when: after` the handler runs first (its state change stays) and only its answer is replaced."""

    body_jsonpath: str | None = Field(None, description='JSONPath on the JSON request body: `$.Name == "x"`')
    respond: RespondIn


class ClockCommand(Model):
    """POST /__emulator/clock: any of these, applied as reset, freeze, set, unfreeze, advance."""

    advance_seconds: float | None = Field(None, allow_inf_nan=False)
    set: str | None = Field(None, min_length=1, description="ISO 8601 date-time")
    freeze: bool | None = None
    reset: bool | None = None
