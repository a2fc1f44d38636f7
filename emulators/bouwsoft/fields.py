"""The Projects field table, exactly as the vendor prints it (seed 000, "Fields").

Every rule of the `columns` mini-language, the record shape and the FieldInfo answer come
from this one table: type, Length, Required, Writeable, Force Write and Link.
"""

from __future__ import annotations

from dataclasses import dataclass

TP_LONG = "tpLong"
TP_STRING = "tpString"
TP_DATE = "tpDate"
TP_DOUBLE = "tpDouble"
TP_BOOL = "tpBool"
TP_DATE_NULL_STRING = "tpDateNullString"
TP_CURRENCY = "tpCurrency"

TYPE_IDS: dict[str, int] = {
    TP_LONG: 1,
    TP_STRING: 2,
    TP_DATE: 3,
    TP_DOUBLE: 4,
    TP_BOOL: 5,
    TP_DATE_NULL_STRING: 6,
    TP_CURRENCY: 8,
}

# Link name -> the tenant store table that holds the linked records.
LINK_TABLES: dict[str, str] = {"Addresses": "addresses", "CompanyDetails": "companies", "Projects": "projects"}

LONG_MIN, LONG_MAX = -(2**31), 2**31 - 1  # Delphi's 32-bit Longint (assumption: tpLong range)


@dataclass(frozen=True)
class Field:
    name: str
    type_name: str
    length: int
    required: bool
    writeable: bool
    force_write: bool
    link: str

    @property
    def type_id(self) -> int:
        return TYPE_IDS[self.type_name]


def _f(
    name: str, type_name: str, length: int = 0, required: bool = False, writeable: bool = True, link: str = ""
) -> Field:
    return Field(name, type_name, length, required, writeable, False, link)


_RO = False  # shorthand: Writeable "No"

PROJECT_FIELDS: tuple[Field, ...] = (
    _f("pnr", TP_LONG),
    _f("unr", TP_LONG),
    _f("name", TP_STRING, 100),
    _f("yourreference", TP_STRING, 50),
    _f("list", TP_STRING, 50, writeable=_RO),
    _f("group", TP_STRING, 50, writeable=_RO),
    _f("address", TP_STRING, 63),
    _f("addressline2", TP_STRING, 63),
    _f("telephone1", TP_STRING, 25),
    _f("gsm", TP_STRING, 25),
    _f("countrycode", TP_STRING, 2),
    _f("zipcode", TP_STRING, 15),
    _f("city", TP_STRING, 40),
    _f("state", TP_STRING, 40),
    _f("distance", TP_DOUBLE),
    _f("client_addressid", TP_LONG, required=True, link="Addresses"),
    _f("client_name", TP_STRING, 150, writeable=_RO),
    _f("client_telephone", TP_STRING, 25, writeable=_RO),
    _f("client_gsm", TP_STRING, 25, writeable=_RO),
    _f("client_email", TP_STRING, 100, writeable=_RO),
    _f("client_readonly", TP_BOOL, writeable=_RO),
    _f("date_created", TP_DATE, writeable=_RO),
    _f("date_approved", TP_DATE_NULL_STRING, writeable=_RO),
    _f("date_rejected", TP_DATE_NULL_STRING, writeable=_RO),
    _f("date_completed", TP_DATE_NULL_STRING, writeable=_RO),
    _f("ordernr", TP_STRING, 100),
    _f("contractamount", TP_CURRENCY, writeable=_RO),
    _f("iscostplusproject", TP_BOOL),
    _f("isrealestateproject", TP_BOOL),
    _f("hasactualcosts", TP_BOOL, writeable=_RO),
    _f("archivenr", TP_STRING, 50),
    _f("cadaster_department", TP_STRING, 50),
    _f("cadaster_section", TP_STRING, 50),
    _f("cadaster_nr", TP_STRING, 250),
    _f("be_gewestplan", TP_STRING, 50),
    _f("be_werkplaatsnr30bis", TP_STRING, 50),
    _f("be_bpa", TP_STRING, 50),
    _f("be_rup", TP_STRING, 50),
    _f("lotnr", TP_STRING, 50),
    _f("company_id", TP_LONG, required=True, link="CompanyDetails"),
    _f("company_name", TP_STRING, 250, writeable=_RO),
    _f("executiontime", TP_LONG),
    _f("approved", TP_BOOL, writeable=_RO),
    _f("rejected", TP_BOOL),
    _f("completed", TP_BOOL),
    _f("parent_id", TP_LONG, writeable=_RO, link="Projects"),
    _f("currentphase_id", TP_LONG, writeable=_RO),
    _f("currentphase_title", TP_STRING, 50, writeable=_RO),
    _f("active", TP_BOOL, writeable=_RO),
    _f("ts_lastupdate", TP_DATE, writeable=_RO),
)

FIELDS_BY_NAME: dict[str, Field] = {f.name: f for f in PROJECT_FIELDS}
FIELDS_BY_LOWER: dict[str, Field] = {f.name.lower(): f for f in PROJECT_FIELDS}
FIELD_ORDER: dict[str, int] = {f.name: i for i, f in enumerate(PROJECT_FIELDS)}
REQUIRED_FIELDS: tuple[str, ...] = tuple(f.name for f in PROJECT_FIELDS if f.required)


def lookup(name: str) -> Field | None:
    """A field by name; names match case-insensitively (assumption, see SOURCE.md)."""
    return FIELDS_BY_NAME.get(name) or FIELDS_BY_LOWER.get(name.lower())


def blank_value(field: Field) -> object:
    """The value of a field nobody has set: 0, "", False (tpDateNullString: "")."""
    if field.type_name in (TP_LONG, TP_DOUBLE, TP_CURRENCY):
        return 0
    if field.type_name == TP_BOOL:
        return False
    return ""


def field_info() -> list[dict[str, object]]:
    """The field table as JSON rows (GET /Projects/FieldInfo)."""
    return [
        {
            "fieldname": f.name,
            "typeid": f.type_id,
            "typename": f.type_name,
            "length": f.length,
            "required": f.required,
            "writeable": f.writeable,
            "forcewrite": f.force_write,
            "link": f.link,
        }
        for f in PROJECT_FIELDS
    ]
