"""What a Green Button file says, once parsed and linked (plain dataclasses and numpy)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from customer_model import MWH_PER_KWH

from ..series import IntervalSeries
from . import codes
from .units import scaled_total
from .zones import LocalTime

Int64 = npt.NDArray[np.int64]


@dataclasses.dataclass(frozen=True)
class Links:
    """An entry's Atom links, hrefs reduced to their paths (absolute or relative alike)."""

    self_href: str | None = None
    up: str | None = None
    related: tuple[str, ...] = ()


@dataclasses.dataclass
class ReadingType:
    """How to read a MeterReading's values: unit, multiplier, direction, interval."""

    links: Links
    title: str
    line: int
    uom: int | None = None
    power_of_ten_multiplier: int = 0
    flow_direction: int | None = None
    accumulation_behaviour: int | None = None
    commodity: int | None = None
    kind: int | None = None
    currency: int | None = None
    interval_length: int | None = None
    tou: int | None = None
    other: dict[str, str] = dataclasses.field(default_factory=dict)
    """Every other field, as text (dataQualifier, phase, interharmonic …)."""

    @property
    def unit(self) -> str:
        return codes.name(codes.UOMS, self.uom, "uom")

    @property
    def currency_code(self) -> str:
        return codes.CURRENCIES.get(self.currency or 0, f"currency {self.currency}")


@dataclasses.dataclass(frozen=True)
class Quantity:
    """A SummaryMeasurement: ``value × 10^multiplier`` in ``uom``."""

    value: int
    multiplier: int = 0
    uom: int | None = None
    timestamp: int | None = None

    @property
    def amount(self) -> Decimal:
        return Decimal(self.value).scaleb(self.multiplier)


@dataclasses.dataclass
class UsageSummary:
    """An ElectricPowerUsageSummary (or UsageSummary): the utility's own bill figures.

    Money is in hundred-thousandths of ``currency``; see :meth:`money`.
    """

    links: Links
    title: str
    line: int
    billing_period_start: int | None = None
    billing_period_duration: int | None = None
    bill_last_period: int | None = None
    bill_to_date: int | None = None
    cost_additional_last_period: int | None = None
    currency: int | None = None
    quality_of_reading: int | None = None
    status_timestamp: int | None = None
    measurements: dict[str, Quantity] = dataclasses.field(default_factory=dict)
    """SummaryMeasurements by element name (overallConsumptionLastPeriod, peakDemand …)."""

    @property
    def overall_consumption_last_period(self) -> Quantity | None:
        return self.measurements.get("overallConsumptionLastPeriod")

    @property
    def current_billing_period_overall_consumption(self) -> Quantity | None:
        return self.measurements.get("currentBillingPeriodOverAllConsumption")

    @staticmethod
    def money(amount: int | None) -> Decimal | None:
        return None if amount is None else Decimal(amount) / codes.COST_SCALE


@dataclasses.dataclass
class Readings:
    """IntervalReadings as columns, in file order (repeats included)."""

    start_ts: Int64
    duration_s: Int64
    value: Int64
    """Raw values, before the ReadingType's multiplier."""
    cost: Int64
    """Hundred-thousandths of the currency; 0 where the reading had no cost."""
    has_cost: npt.NDArray[np.bool_]
    quality: Int64
    """Our ReadingQuality (0 actual, 1 estimated, 2 missing: no value in the file)."""
    line: Int64
    """Line of each IntervalReading, for error messages."""

    def __len__(self) -> int:
        return len(self.start_ts)

    def take(self, index: npt.NDArray[Any]) -> Readings:
        return Readings(*(getattr(self, f.name)[index] for f in dataclasses.fields(self)))


@dataclasses.dataclass
class MeterReading:
    """One series of a usage point and how the importer treats it."""

    links: Links
    title: str
    line: int
    reading_type: ReadingType
    readings: Readings
    role: str = "skipped"
    """``delivered``, ``received``, ``net`` (sign decides) or ``skipped``."""
    skip_reason: str | None = None

    @property
    def is_energy(self) -> bool:
        return self.role != "skipped"

    def total(self) -> Decimal:
        """Sum of the values in the series' own unit (Wh, therm, K …), exact."""
        return scaled_total(self.readings.value, self.reading_type.power_of_ten_multiplier)

    def cost_total(self) -> Decimal | None:
        """Sum of the per-reading costs in the currency, or ``None`` without costs."""
        if not self.readings.has_cost.any():
            return None
        return Decimal(sum(self.readings.cost.tolist())) / codes.COST_SCALE

    def report(self, service_kind: int | None) -> dict[str, Any]:
        """What the import summary says about a series it does not store."""
        rt = self.reading_type
        return {
            "title": self.title,
            "service": codes.name(codes.SERVICE_KINDS, service_kind, "service"),
            "commodity": codes.name(codes.COMMODITIES, rt.commodity, "commodity"),
            "kind": codes.name(codes.MEASUREMENT_KINDS, rt.kind, "kind"),
            "uom": rt.unit,
            "count": len(self.readings),
            "total": _text(self.total()),
            "reason": self.skip_reason,
        }


@dataclasses.dataclass
class UsagePoint:
    """A metered service point; its electricity series merged into one IntervalSeries."""

    links: Links
    title: str
    line: int
    service_kind: int | None
    meter_readings: list[MeterReading] = dataclasses.field(default_factory=list)
    local_time: LocalTime | None = None
    summaries: list[UsageSummary] = dataclasses.field(default_factory=list)
    series: IntervalSeries = dataclasses.field(default_factory=IntervalSeries.empty)
    """Electricity only, sorted, one reading per start (delivered and received side by side)."""
    duplicates: int = 0
    """Readings repeating an interval start already seen in the file (the last one wins)."""

    @property
    def service(self) -> str:
        return codes.name(codes.SERVICE_KINDS, self.service_kind, "service")

    @property
    def is_electricity(self) -> bool:
        return any(mr.is_energy for mr in self.meter_readings)

    @property
    def zone(self) -> str | None:
        return None if self.local_time is None else self.local_time.zone()

    @property
    def reading_count(self) -> int:
        return len(self.series)

    @property
    def gaps(self) -> int:
        return self.series.gap_count()

    @property
    def kwh_delivered(self) -> Decimal:
        return Decimal(int(self.series.delivered_mwh.sum())) / MWH_PER_KWH

    @property
    def kwh_received(self) -> Decimal:
        return Decimal(int(self.series.received_mwh.sum())) / MWH_PER_KWH

    def cost_total(self) -> Decimal | None:
        """Cost of the electricity series in their currency, ``None`` if they carry none."""
        costs = [mr.cost_total() for mr in self.meter_readings if mr.is_energy]
        known = [cost for cost in costs if cost is not None]
        return sum(known, Decimal(0)) if known else None

    @property
    def currency(self) -> str | None:
        for mr in self.meter_readings:
            if mr.is_energy and mr.reading_type.currency:
                return mr.reading_type.currency_code
        return None

    def skipped_series(self) -> list[dict[str, Any]]:
        return [mr.report(self.service_kind) for mr in self.meter_readings if not mr.is_energy]


@dataclasses.dataclass
class GreenButtonFile:
    """Every usage point of a file in document order, and what was noticed on the way."""

    usage_points: list[UsagePoint]
    warnings: list[str] = dataclasses.field(default_factory=list)
    name: str = ""

    @property
    def electricity(self) -> list[UsagePoint]:
        return [up for up in self.usage_points if up.is_electricity]

    @property
    def reading_count(self) -> int:
        return sum(up.reading_count for up in self.usage_points)


def _text(value: Decimal) -> str:
    return format(value.normalize(), "f") if value else "0"
