"""Dates the way SuperOffice writes and reads them.

Output (vendor-facts B9.6): `2020-06-03T17:46:13` -- no offset; a fraction of up to seven digits
only when it is not zero (Newtonsoft `yyyy-MM-ddTHH:mm:ss.FFFFFFF`); the empty date is
`0001-01-01T00:00:00`. Input: ISO 8601 with or without offset or `Z`; an offset is converted to UTC.
HTTP dates (Last-Modified, If-Modified-Since, If-Unmodified-Since) are RFC 7231 IMF-fixdates.
"""

from __future__ import annotations

import functools
import math
import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

EMPTY_DATE = "0001-01-01T00:00:00"
MAX_DATE = "9999-12-31T23:59:59.9999999"

_ISO = re.compile(
    r"^\s*(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?"
    r"\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?\s*$"
)


def format_so(dt: datetime, ticks: int = 0) -> str:
    """A naive/UTC datetime (+ 100 ns ticks below the second) in the vendor's format."""
    text = f"{dt.year:04d}-{dt.month:02d}-{dt.day:02d}T{dt.hour:02d}:{dt.minute:02d}:{dt.second:02d}"
    frac = f"{ticks:07d}".rstrip("0")
    return f"{text}.{frac}" if frac else text


@functools.lru_cache(maxsize=4096)
def parse_so(value: str) -> str:
    """ISO 8601 text -> the stored/output form (UTC when an offset was given). ValueError if not a date.

    A pure function, memoised: clients send back the dates they were given, so an unchanged date is
    parsed once, not on every PUT (a refused value raises again each time; exceptions are not cached)."""
    m = _ISO.match(value)
    if m is None:
        raise ValueError(f"'{value}' is not a valid date")
    year, month, day, hour, minute, second, frac, offset = m.groups()
    dt = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
    ticks = int((frac or "0")[:7].ljust(7, "0"))
    if offset and offset not in ("Z", "z"):
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "")
        delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
        try:
            dt = dt - sign * delta
        except OverflowError:
            return EMPTY_DATE if dt.year == 1 else MAX_DATE
    return format_so(dt, ticks)


def add_days(when: datetime, days: int) -> datetime:
    """`when` + `days`, held at the .NET DateTime range (MinValue 0001-01-01, MaxValue 9999-12-31T23:59:59.9999999)
    instead of overflowing: a clock near either end of the calendar still answers."""
    try:
        return when + timedelta(days=days)
    except OverflowError:
        edge = datetime.min if days < 0 else datetime.max.replace(microsecond=0)  # whole seconds, as stored
        return edge.replace(tzinfo=when.tzinfo)


def so_to_datetime(value: str | None) -> datetime | None:
    """A stored vendor date -> aware UTC datetime (None for empty/invalid)."""
    if not value or value.startswith("0001-01-01"):
        return None
    m = _ISO.match(value)
    if m is None:
        return None
    year, month, day, hour, minute, second, _frac, _off = m.groups()
    return datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0), tzinfo=UTC)


def now_so(now: datetime) -> tuple[str, float]:
    """The emulator clock's now, to whole seconds (database precision): (vendor text, epoch seconds)."""
    if now.tzinfo is None:  # a naive time is local time, as astimezone reads it
        now = now.astimezone(UTC)
    return _second_so(math.floor(now.timestamp()))


@functools.lru_cache(maxsize=64)
def _second_so(second: int) -> tuple[str, float]:
    """One whole second in the vendor's format, formatted once (every write in that second shares it)."""
    return format_so(datetime.fromtimestamp(second, UTC).replace(tzinfo=None)), float(second)


_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@functools.lru_cache(maxsize=1024)
def http_date(epoch: float) -> str:
    """An IMF-fixdate for Last-Modified (whole seconds); memoised, records keep their last write's second.
    Formatted as email.utils.format_datetime(..., usegmt=True) writes it, without its generic path (a PUT
    stamps a new second on most writes, so this runs on most of them)."""
    dt = datetime.fromtimestamp(int(epoch), UTC)
    return (
        f"{_DAY_NAMES[dt.weekday()]}, {dt.day:02d} {_MONTH_NAMES[dt.month - 1]} {dt.year:04d} "
        f"{dt.hour:02d}:{dt.minute:02d}:{dt.second:02d} GMT"
    )


def parse_http_date(value: str | None) -> float | None:
    """An HTTP date header -> epoch seconds; None when absent or unparseable (the header is then ignored)."""
    if not value:
        return None
    try:
        dt = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.timestamp()
