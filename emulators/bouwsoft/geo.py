"""Derived address fields: `state` from a Belgian zipcode, `distance` between two addresses.

Reference data comes from the fixtures (`reference:`): a postal-code table (state + centroid),
province ranges for Belgian codes not in the table, and address-level geocodes.
"""

from __future__ import annotations

import math
from typing import Any

from emulators.core.intparse import is_digits

EARTH_RADIUS_KM = 6371.0


class Geo:
    """Indexes over the fixtures' reference data (built once per world)."""

    def __init__(self, reference: dict[str, Any]) -> None:
        self.postal: dict[str, dict[str, Any]] = {
            str(cc).upper(): {str(z): v for z, v in (codes or {}).items()}
            for cc, codes in (reference.get("postal_codes") or {}).items()
        }
        self.ranges: list[tuple[int, int, str]] = [
            (int(lo), int(hi), str(name)) for lo, hi, name in reference.get("province_ranges") or []
        ]
        self.geocodes: dict[tuple[str, str, str], tuple[float, float]] = {
            _key(g["countrycode"], g["zipcode"], g["address"]): (float(g["lat"]), float(g["lon"]))
            for g in reference.get("geocodes") or []
        }

    def state(self, countrycode: str, zipcode: str) -> str | None:
        """The province of a Belgian zipcode (table first, then by range); None if not derivable."""
        if countrycode.strip().upper() != "BE":
            return None
        z = zipcode.strip()
        entry = self.postal.get("BE", {}).get(z)
        if entry is not None and entry.get("state"):
            return str(entry["state"])
        if len(z) == 4 and is_digits(z):
            n = int(z)
            for lo, hi, name in self.ranges:
                if lo <= n <= hi:
                    return name
        return None

    def locate(self, countrycode: str, zipcode: str, address: str) -> tuple[float, float] | None:
        """Address-level geocode first, the postal code's centroid otherwise."""
        hit = self.geocodes.get(_key(countrycode, zipcode, address))
        if hit is not None:
            return hit
        entry = self.postal.get(countrycode.strip().upper(), {}).get(zipcode.strip())
        if entry is not None and "lat" in entry and "lon" in entry:
            return float(entry["lat"]), float(entry["lon"])
        return None

    def distance(self, a: tuple[float, float] | None, b: tuple[float, float] | None) -> float | None:
        """Great-circle distance in km, 3 decimals (None when either end is unknown)."""
        if a is None or b is None:
            return None
        return round(haversine_km(a, b), 3)


def _key(countrycode: str, zipcode: str, address: str) -> tuple[str, str, str]:
    return (str(countrycode).strip().upper(), str(zipcode).strip(), " ".join(str(address).lower().split()))


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def geo_of(world: Any) -> Geo:
    """The world's Geo index (kept in world.scratch; rebuilt after a reset)."""
    geo: Geo | None = world.scratch.get("bouwsoft_geo")
    if geo is None:
        geo = world.scratch["bouwsoft_geo"] = Geo(world.fixtures.get("reference") or {})
    return geo
