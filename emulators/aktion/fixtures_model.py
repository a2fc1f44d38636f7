"""The Aktion.NEXT fixture file as pydantic models (vendor field names; loaded only to validate a file
or a PUT /__emulator/state body). Dates in records are integer milliseconds since the epoch (UTC)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from emulators.core.config_models import Key, Model, Modified, Open


class Settings(Model):
    token_seconds: float = 20
    credentials_user: str = "John.Doo"
    disabled_actions: list[str] = []  # operationIds (or "project/<action>") disabled by configuration (E5)


class RatePolicy(Model):
    requests: int
    per_seconds: float


class User(Model):
    """A user: login -> ApiKey, tenant, privileges (agenda -> rights), record permissions, IP filter."""

    ApiKey: str
    tenant: str = "default"
    privileges: dict[str, list[str]] = {}
    record_permissions: dict[str, dict[str, list[str]]] = {}
    ip_filter: str | None = None
    rate_policy: RatePolicy | None = None


class Token(Open):
    user: str
    issued_at: float
    expires_at: float


class Global(Model):
    users: dict[str, User] = {}
    tokens: dict[str, Token] = {}
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
    PlannedFrom: int | None = None
    PlannedTo: int | None = None
    Started: int | None = None
    Finished: int | None = None
    Closed: int | None = None
    SuperiorProjectCode: str | None = None
    Street: str | None = None
    HouseNr: str | None = None
    City: str | None = None
    PostalCode: str | None = None
    PersonIDInCharge: str | None = None
    PersonIDResolver: str | None = None
    TimeLastChange: int | None = None
    ChangedBy: str | None = None
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
