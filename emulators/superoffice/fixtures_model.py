"""The SuperOffice fixture file as pydantic models (vendor field names; loaded only to validate a file
or a PUT /__emulator/state body). Dates in records are stored as the API prints them (UTC, no offset)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from emulators.core.config_models import Key, Model, Modified, Open


class Basic(Model):
    user: str
    password: str


class Credentials(Model):
    basic: Basic | None = None
    ticket: str | None = None
    bearer: str | None = None
    app_token: str | None = None
    customer_id: str | None = None


class LoginUser(Open):
    password: str
    associate_id: int
    tenants: list[str] = []


class Ticket(Open):
    associate_id: int
    tenants: list[str] = []
    expires_at: float | None = None


class AccessToken(Open):
    associate_id: int
    tenant: str
    expires_at: float | None = None


class Global(Model):
    users: dict[str, LoginUser] = {}
    tickets: dict[str, Ticket] = {}
    access_tokens: dict[str, AccessToken] = {}
    app_tokens: dict[str, dict[str, Any]] = {}
    web_sessions: dict[str, dict[str, Any]] = {}
    modified: Modified = Field(None, alias="__modified__")


class Settings(Model):
    default_project_type: int | None = None
    default_duration_days: int | None = None
    default_udef: dict[str, Any] = {}


class Sequences(Model):
    ProjectId: int | None = None
    ProjectNumber: int | None = None
    ProjectmemberId: int | None = None
    LinkId: int | None = None
    BlobId: int | None = None
    UDefFieldId: int | None = None
    WebhookId: int | None = None


class Associate(Model):
    """tenants.<tenant>.associates record."""

    AssociateId: int | None = None
    Name: str | None = None
    PersonId: int | None = None
    Rank: int | None = None
    Tooltip: str | None = None
    Type: str | None = None
    GroupIdx: int | None = None
    FullName: str | None = None
    FormalName: str | None = None
    Deleted: bool | None = None
    EjUserId: int | None = None
    UserName: str | None = None


class Person(Model):
    """tenants.<tenant>.persons record."""

    PersonId: int | None = None
    ContactId: int | None = None
    ContactName: str | None = None
    ContactDepartment: str | None = None
    EmailId: int | None = None
    EmailAddress: str | None = None
    CountryId: int | None = None
    Firstname: str | None = None
    MiddleName: str | None = None
    Lastname: str | None = None
    Mrmrs: str | None = None
    Phone: str | None = None
    PhoneId: int | None = None
    EmailAddressName: str | None = None
    FullName: str | None = None


class Contact(Model):
    """tenants.<tenant>.contacts record: the companies project members belong to."""

    ContactId: int | None = None
    Name: str | None = None
    Department: str | None = None


class ListItem(Model):
    """tenants.<tenant>.project_statuses record."""

    Id: int | None = None
    Value: str | None = None
    Tooltip: str | None = None


class ProjectMemberType(Model):
    """tenants.<tenant>.project_member_types record."""

    Id: int | None = None
    Name: str | None = None


class LinkTarget(Model):
    """tenants.<tenant>.link_targets record."""

    EntityName: str | None = None
    Id: int | None = None
    Description: str | None = None
    ExtraInfo: str | None = None


class Project(Model):
    """tenants.<tenant>.projects record."""

    ProjectId: int | None = None
    Name: str | None = None
    ProjectNumber: str | None = None
    ProjectMembers: list[Any] | None = None
    Urls: list[Any] | None = None
    CreatedDate: str | None = None
    UpdatedDate: str | None = None
    Description: str | None = None
    Postit: str | None = None
    CreatedBy: dict[str, Any] | None = None
    UpdatedBy: dict[str, Any] | None = None
    Associate: dict[str, Any] | None = None
    ProjectStatus: dict[str, Any] | None = None
    ProjectType: dict[str, Any] | None = None
    HasImage: bool | None = None
    ImageDescription: str | None = None
    ActiveStatusMonitorId: int | None = None
    Links: list[Any] | None = None
    ActiveLinks: int | None = None
    Completed: bool | None = None
    NextMilestoneDate: str | None = None
    NmdAppointmentId: int | None = None
    EndDate: str | None = None
    ActiveErpLinks: int | None = None
    EventId: int | None = None
    StartDate: str | None = None
    UserDefinedFields: dict[str, Any] | None = None
    ExtraFields: dict[str, Any] | None = None
    CustomFields: dict[str, Any] | None = None
    PublishEventDate: str | None = None
    PublishTo: str | None = None
    PublishFrom: str | None = None
    IsPublished: bool | None = None


class Tenant(Model):
    """One installation (onsite) or Online customer (CustId): reference lists and projects."""

    associates: dict[Key, Associate] = {}
    persons: dict[Key, Person] = {}
    contacts: dict[Key, Contact] = {}
    project_statuses: dict[Key, ListItem] = {}
    project_types: dict[Key, ListItem] = {}
    project_member_types: dict[Key, ProjectMemberType] = {}
    link_targets: dict[Key, LinkTarget] = {}
    settings: Settings = Settings()
    sequences: Sequences = Sequences()
    projects: dict[Key, Project] = {}
    # the sub-resources' tables (issue 13): records as the handlers keep them
    appointments: dict[Key, dict[str, Any]] = {}
    duplicate_rules: dict[Key, dict[str, Any]] = {}
    udef_layout: dict[str, Any] = {}
    udef_published: dict[str, Any] = {}
    custom_fields: dict[Key, dict[str, Any]] = {}
    images: dict[Key, dict[str, Any]] = {}
    foreign_keys: dict[Key, Any] = {}
    # webhook definitions and their usage counters (issue 22), as the Webhook handlers keep them
    webhooks: dict[Key, dict[str, Any]] = {}
    webhook_usage: dict[Key, dict[str, Any]] = {}
    modified: Modified = Field(None, alias="__modified__")


class Fixtures(Model):
    """A SuperOffice fixture file."""

    onsite_tenant: str = "onsite"
    credentials: Credentials | None = None
    global_: Global | None = Field(None, alias="global")
    reference_lists: dict[str, Any] | None = Field(None, description="YAML anchor merged into each tenant")
    tenants: dict[Key, Tenant] = {}


FIXTURES, TENANT, GLOBAL = Fixtures, Tenant, Global
