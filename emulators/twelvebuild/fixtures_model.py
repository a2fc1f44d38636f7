"""The 12Build fixture file as pydantic models (vendor field names; loaded only to validate a file or a
PUT /__emulator/state body). Tenants are companies (registration numbers)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from emulators.core.config_models import Key, Model, Modified


class User(Model):
    """An API user: apiKey, company (= tenant) and rights."""

    login: str | None = None
    apiKey: str | None = None
    userId: int | None = None
    company: str | None = None
    contactName: str | None = None
    email: str | None = None
    groupManager: bool | None = None
    companyGroupIds: list[Any] | None = None


class Company(Model):
    """global.companies record."""

    id: int | None = None
    name: str | None = None
    description: str | None = None
    countryCode: str | None = None
    cocNumber: str | None = None
    cocCity: str | None = None
    cocType: str | None = None
    locationNumber: str | None = None
    vatNumber: str | None = None
    address_1: str | None = None
    zip: str | None = None
    city: str | None = None
    phone: str | None = None
    phoneWithPrefix: str | None = None
    website: str | None = None
    contactName: str | None = None
    email: str | None = None


class ClassificationSystem(Model):
    """global.classificationSystems record."""

    id: int | None = None
    name: str | None = None
    description: str | None = None


class Chapter(Model):
    """global.chapters record."""

    id: int | None = None
    classificationSystemId: int | None = None
    number: str | None = None
    name: str | None = None
    description: str | None = None


class Project(Model):
    """tenants.<company>.projects record."""

    id: int | None = None
    name: str | None = None
    product: str | None = None
    type: str | None = None
    companyGroupId: int | None = None
    phaseName: str | None = None
    closedPhases: list[Any] | None = None
    status: str | None = None
    calcNumber: str | None = None
    workNumber: str | None = None
    address_1: str | None = None
    address_2: str | None = None
    zip: str | None = None
    city: str | None = None
    countryCode: str | None = None
    country: str | None = None
    client: str | None = None
    manager: str | None = None
    architect: str | None = None
    constructor: str | None = None
    calculator: str | None = None
    inkoper: str | None = None
    werkvoorbereider: str | None = None


class Document(Model):
    """tenants.<company>.documents record."""

    id: int | None = None
    projectId: int | None = None
    phaseId: int | None = None
    type: str | None = None
    name: str | None = None
    extension: str | None = None
    size: str | None = None
    ctime: str | None = None
    deleted: str | None = None
    externalData: str | None = None
    order: int | None = None
    groupIds: list[Any] | None = None
    author: str | None = None
    kind: str | None = None
    issueDate: int | None = None
    receiveDate: int | None = None
    sentDate: int | None = None
    specPage: str | None = None
    statusText: str | None = None
    versionText: str | None = None
    color: bool | None = None
    contribute: int | None = None
    duplex: bool | None = None
    uploadedViaApi: bool | None = None
    path: str | None = None
    references: list[Any] | None = None


class DocumentGroup(Model):
    """tenants.<company>.documentGroups record."""

    id: int | None = None
    projectId: int | None = None
    name: str | None = None
    order: int | None = None
    parentId: int | None = None
    workCategoryIds: list[Any] | None = None


class WorkComponent(Model):
    """tenants.<company>.workComponents record."""

    id: int | None = None
    projectId: int | None = None
    product: str | None = None
    name: str | None = None
    externalData: str | None = None
    stabuChapterIds: list[Any] | None = None
    internalNote: str | None = None
    plannedStart: str | None = None
    plannedComplete: str | None = None


class Invitation(Model):
    """tenants.<company>.invitations record."""

    id: int | None = None
    workComponentId: int | None = None
    phaseId: int | None = None
    specialistId: int | None = None
    status: str | None = None
    obsolete: str | None = None
    deadlineDate: str | None = None
    dateOfferReceived: str | None = None
    datePurchase: str | None = None
    dateWorkStart: str | None = None
    offerPrice: str | None = None
    offerPrice2: str | None = None
    correctedOfferPrice: str | None = None
    expiryDate: str | None = None
    syncChecked: str | None = None
    statusChanges: list[Any] | None = None
    messages: list[Any] | None = None


class Budget(Model):
    """tenants.<company>.budgets record."""

    id: int | None = None
    projectId: int | None = None
    phaseId: int | None = None


class BudgetRow(Model):
    """tenants.<company>.budgetRows record."""

    id: int | None = None
    budgetId: int | None = None
    originalBudgetRowId: int | None = None
    links: list[Any] | None = None
    properties: dict[str, Any] | None = None


class Relation(Model):
    """tenants.<company>.relations record."""

    id: int | None = None
    companyId: int | None = None
    relation: str | None = None
    relationData: list[Any] | None = None


class Global(Model):
    tokens: dict[str, dict[str, Any]] = {}
    companies: dict[Key, Company] = {}
    classificationSystems: dict[Key, ClassificationSystem] = {}
    chapters: dict[Key, Chapter] = {}
    modified: Modified = Field(None, alias="__modified__")


class Tenant(Model):
    """One company's world: projects, documents, work components, invitations, budgets, relations."""

    companyClassificationSystems: list[int] = []
    projects: dict[Key, Project] = {}
    documents: dict[Key, Document] = {}
    files: dict[Key, dict[str, Any]] = {}
    documentGroups: dict[Key, DocumentGroup] = {}
    workComponents: dict[Key, WorkComponent] = {}
    invitations: dict[Key, Invitation] = {}
    budgets: dict[Key, Budget] = {}
    budgetRows: dict[Key, BudgetRow] = {}
    relations: dict[Key, Relation] = {}
    modified: Modified = Field(None, alias="__modified__")


class Fixtures(Model):
    """A 12Build fixture file."""

    token_lifetime_seconds: float = 3600
    users: list[User] = []
    phases: dict[str, dict[str, dict[str, int]]] = {}
    global_: Global | None = Field(None, alias="global")
    tenants: dict[Key, Tenant] = {}


FIXTURES, TENANT, GLOBAL = Fixtures, Tenant, Global
