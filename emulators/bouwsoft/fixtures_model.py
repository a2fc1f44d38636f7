"""The Bouwsoft fixture file as pydantic models (vendor field names; loaded only to validate a file
or a PUT /__emulator/state body). Project records take exactly the fields of the field table."""

from __future__ import annotations

from typing import Any

from pydantic import Field, create_model

from emulators.core.config_models import Key, Model, Modified, Open

from .fields import PROJECT_FIELDS, TP_BOOL, TP_CURRENCY, TP_DOUBLE, TP_LONG


class Config(Model):
    access_token_minutes: float | None = None
    activation_request_url: str | None = None


class Credentials(Model):
    clientnr: int
    refresh_token: str
    access_token: str | None = None
    appkey: str | None = None


class Client(Model):
    ServerIP: str
    ServerName: str
    Layout: str


class App(Model):
    name: str
    clientnr: int
    auto_approve: bool = False


class PostalCode(Model):
    city: str
    state: str
    lat: float
    lon: float


class Geocode(Model):
    countrycode: str
    zipcode: str
    address: str
    lat: float
    lon: float


class Reference(Model):
    postal_codes: dict[Key, dict[Key, PostalCode]] = {}
    province_ranges: list[tuple[int, int, str]] = []
    geocodes: list[Geocode] = []


class Address(Model):
    id: int
    name: str = ""
    telephone1: str = ""
    gsm: str = ""
    email: str = ""
    readonly: bool = False


class Company(Model):
    id: int
    name: str = ""
    address: str = ""
    zipcode: str = ""
    city: str = ""
    countrycode: str = ""


class ProjectList(Model):
    id: int
    name: str
    active: bool = True


class ProjectGroup(Model):
    id: int
    name: str
    list_id: int
    list_name: str
    list_active: bool = True


def _field_type(type_name: str) -> Any:
    if type_name == TP_LONG:
        return int
    if type_name in (TP_DOUBLE, TP_CURRENCY):
        return float
    if type_name == TP_BOOL:
        return bool
    return str


Project: Any = create_model(
    "Project",
    __base__=Model,
    **{f.name: (_field_type(f.type_name) | None, None) for f in PROJECT_FIELDS},  # type: ignore[call-overload]
)
Project.__doc__ = "A project record: any fields of the vendor's field table (missing ones are blank)."


class Tenant(Model):
    """One client (Clientnr): its projects and the records they link to."""

    addresses: dict[Key, Address] = {}
    companies: dict[Key, Company] = {}
    project_lists: dict[Key, ProjectList] = {}
    project_groups: dict[Key, ProjectGroup] = {}
    projects: dict[Key, Project] = {}
    files: dict[Key, dict[str, Any]] = {}
    project_media: dict[Key, dict[str, Any]] = {}  # GET Projects/{id}/image and note_* (A2.1)
    modified: Modified = Field(None, alias="__modified__")


class AccessToken(Open):
    clientnr: int
    expires_at: float | None = None


class RefreshToken(Open):
    clientnr: int


class Global(Model):
    refresh_tokens: dict[str, RefreshToken] = {}
    access_tokens: dict[str, AccessToken] = {}
    activation_requests: dict[str, dict[str, Any]] = {}
    modified: Modified = Field(None, alias="__modified__")


class Fixtures(Model):
    """A Bouwsoft fixture file."""

    config: Config = Config()
    credentials: Credentials | None = None
    clients: dict[Key, Client] = {}
    apps: dict[str, App] = {}
    global_: Global | None = Field(None, alias="global")
    reference: Reference = Reference()
    tenants: dict[Key, Tenant] = {}


FIXTURES, TENANT, GLOBAL = Fixtures, Tenant, Global
