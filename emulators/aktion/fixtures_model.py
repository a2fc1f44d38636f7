"""The Aktion.NEXT fixture file as pydantic models (vendor field names; loaded only to validate a file
or a PUT /__emulator/state body). Dates in records are integer milliseconds since the epoch (UTC)."""

from __future__ import annotations

from typing import Any

from pydantic import Field, StrictBool, StrictFloat, StrictInt, model_validator

from emulators.core.config_models import Key, Model, Modified, Open

# Strict where the handlers read the value as it is stored: a PUT /__emulator/state body is kept as sent,
# so "1700000000000" (a string) or 1.5 where an integer is read is refused, not coerced.
Millis = StrictInt | None
Seconds = StrictFloat  # an integer too


class Settings(Model):
    token_seconds: float = 20
    credentials_user: str = "John.Doo"
    disabled_actions: list[str] = []  # operationIds (or "project/<action>") disabled by configuration (E5)


class RatePolicy(Model):
    requests: StrictInt
    per_seconds: Seconds


class User(Model):
    """A user: login -> ApiKey, tenant, privileges (agenda -> rights), record permissions, IP filter."""

    ApiKey: str
    tenant: str = "default"
    privileges: dict[str, list[str]] = {}
    record_permissions: dict[str, dict[str, list[str]]] = {}
    ip_filter: str | None = None
    rate_policy: RatePolicy | None = None


class Token(Open):
    """A token POST login issued, or with `fixture: true` (and no times) one every reset issues again."""

    user: str
    issued_at: Seconds | None = None
    expires_at: Seconds | None = None
    fixture: StrictBool = False

    @model_validator(mode="after")
    def _times_unless_fixture(self) -> Token:
        if not self.fixture and (self.issued_at is None or self.expires_at is None):
            raise ValueError("issued_at and expires_at are required unless fixture is true")
        return self


class Global(Model):
    users: dict[str, User] = {}
    tokens: dict[str, Token] = {}
    changes: dict[str, int] = Field({}, alias="__changes__")  # {"changes": n}: the project change counter
    modified: Modified = Field(None, alias="__modified__")


class Licence(Model):
    agendas: list[str] = []


class ProjectType(Model):
    Name: str
    Description: str | None = None
    TimeLastChange: int | None = None


class Person(Model):
    PersonalID: str
    Name: str | None = None


class Project(Model):
    Code: str
    Name: str | None = None
    Type: str | None = None
    Name2: str | None = None
    Shortcut: str | None = None
    Code2: str | None = None
    Description: str | None = None
    PlannedFrom: Millis = None
    PlannedTo: Millis = None
    Started: Millis = None
    Finished: Millis = None
    Closed: Millis = None
    SuperiorProjectCode: str | None = None
    Street: str | None = None
    HouseNr: str | None = None
    City: str | None = None
    PostalCode: str | None = None
    PersonIDInCharge: str | None = None
    PersonIDResolver: str | None = None
    TimeLastChange: Millis = None
    ChangedBy: str | None = None
    ChangeSeq: int | None = None  # the emulator's change counter at the last write (never served)
    Deleted: bool = False
    DbDeniedUsers: list[str] = []


class Tenant(Model):
    """One Aktion.NEXT database."""

    licence: Licence = Licence()
    project_types: dict[Key, ProjectType] = {}
    persons: dict[Key, Person] = {}
    projects: dict[Key, Project] = {}
    project_items: dict[Key, dict[str, Any]] = {}  # getAllItems (E5): ProjectItem records as listed
    modified: Modified = Field(None, alias="__modified__")


class Fixtures(Model):
    """An Aktion.NEXT fixture file."""

    settings: Settings = Settings()
    global_: Global | None = Field(None, alias="global")
    tenants: dict[Key, Tenant] = {}


FIXTURES, TENANT, GLOBAL = Fixtures, Tenant, Global
