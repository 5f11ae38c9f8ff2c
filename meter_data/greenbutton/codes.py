"""NAESB ESPI (REQ.21) enumeration codes the importer reads, with readable names.

Only the codes that matter for telling energy from everything else are listed;
an unknown code is shown as its number (``uom 999``) rather than refused.
"""

from __future__ import annotations

from customer_model import ReadingQuality

ATOM_NS = "http://www.w3.org/2005/Atom"
ESPI_NS = "http://naesb.org/espi"

SERVICE_KINDS = {
    0: "electricity",
    1: "gas",
    2: "water",
    3: "time",
    4: "heat",
    5: "refuse",
    6: "sewerage",
    7: "rates",
    8: "tvLicence",
    9: "internet",
}
"""UsagePoint ``ServiceCategory/kind``."""

ELECTRICITY_SERVICE = 0

UOMS = {
    0: "none",
    5: "A",
    6: "K",
    23: "°C",
    29: "V",
    31: "J",
    33: "Hz",
    38: "W",
    42: "m³",
    61: "VA",
    63: "VAr",
    65: "cos θ",
    71: "VAh",
    72: "Wh",
    73: "VArh",
    106: "Ah",
    119: "ft³",
    122: "ft³/h",
    125: "m³/h",
    128: "US gal",
    129: "US gal/h",
    169: "therm",
}
"""ReadingType ``uom`` (IEC 61968 unit symbols); the multiplier is applied separately."""

WATT_HOURS = 72

COMMODITIES = {
    0: "none",
    1: "electricity (secondary metered)",
    2: "electricity (primary metered)",
    3: "communication",
    4: "air",
    5: "insulative gas",
    6: "insulative oil",
    7: "natural gas",
    8: "propane",
    9: "potable water",
    10: "steam",
    11: "waste water",
    12: "heating fluid",
    13: "cooling fluid",
    14: "non-potable water",
}
ELECTRIC_COMMODITIES = frozenset({0, 1, 2})
"""0 ("none") is what files that do not bother say; the service category decides then."""

MEASUREMENT_KINDS = {
    0: "none",
    4: "current",
    8: "demand",
    12: "energy",
    15: "frequency",
    37: "power",
    38: "power factor",
    46: "temperature",
    53: "voltage",
    57: "volume",
}
"""ReadingType ``kind``."""

ACCUMULATION = {
    0: "none",
    1: "bulkQuantity",
    2: "continuousCumulative",
    3: "cumulative",
    4: "deltaData",
    6: "indicating",
    9: "summation",
    10: "timeDelay",
    12: "instantaneous",
    13: "latchingQuantity",
    14: "boundedQuantity",
}
INTERVAL_ACCUMULATION = frozenset({0, 4})
"""Energy per interval (deltaData), or unspecified; anything else is a register or a level."""

FORWARD, NET, REVERSE = 1, 4, 19
FLOW_DIRECTIONS = {0: "none", FORWARD: "forward", NET: "net", REVERSE: "reverse", 20: "total"}
"""ReadingType ``flowDirection``: forward = delivered to the customer, reverse = received."""

CURRENCIES = {0: "", 36: "AUD", 124: "CAD", 484: "MXN", 826: "GBP", 840: "USD", 978: "EUR"}
"""ISO 4217 numeric codes; ``cost`` is in hundred-thousandths of the currency."""

COST_SCALE = 100_000

_ESTIMATED_QUALITIES = frozenset({8, 9, 12})
"""QualityOfReading: estimated using a reference day, by interpolation, projected."""


def reading_quality(codes: list[int]) -> int:
    """Our :class:`ReadingQuality` for a reading's ESPI ``ReadingQuality/quality`` codes."""
    if any(code in _ESTIMATED_QUALITIES for code in codes):
        return ReadingQuality.ESTIMATED
    return ReadingQuality.ACTUAL


def name(table: dict[int, str], code: int | None, what: str) -> str:
    if code is None:
        return f"no {what}"
    return table.get(code, f"{what} {code}")
