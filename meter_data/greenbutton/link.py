"""Second pass: link entries by their hrefs, classify the series, build one series per point.

Atom ids cannot be trusted (Hydro One repeats one id everywhere), so entries are
linked by their ``self``/``up``/``related`` hrefs, compared as paths:

* a child belongs to a parent when the parent lists the child (or the child's
  collection, its ``up``) among its ``related`` links, when the child's ``up``
  is the parent itself, or when the child's path lies under the parent's;
* a MeterReading finds its ReadingType through its ``related`` links;
* where a file has a single candidate (one ReadingType, one MeterReading, one
  UsagePoint, one LocalTimeParameters) the link is taken as meant even if the
  hrefs do not say so.

Entries may come in any order (ReadingTypes after their blocks, for instance),
which is why this runs after the whole file has been read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np

from ..series import IntervalSeries, InvalidSeries
from . import codes
from .errors import GreenButtonError
from .model import GreenButtonFile, Links, MeterReading, Readings, ReadingType, UsagePoint
from .reader import RawEntry, RawFeed
from .units import scale_to_mwh


def link(raw: RawFeed, name: str = "") -> GreenButtonFile:
    """Assemble the usage points of a feed read by :func:`~.reader.read_feed`."""
    return _Linker(raw, name).run()


def _belongs(child: Links, parent: Links) -> bool:
    if child.self_href is not None and child.self_href in parent.related:
        return True
    if child.up is not None and (child.up in parent.related or child.up == parent.self_href):
        return True
    return (
        child.self_href is not None
        and parent.self_href is not None
        and child.self_href.startswith(parent.self_href + "/")
    )


def _iso(ts: int) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Linker:
    def __init__(self, raw: RawFeed, name: str) -> None:
        self.raw = raw
        self.file = GreenButtonFile(usage_points=[], name=name)
        self.warnings = self.file.warnings

    def of_kind(self, kind: str) -> list[RawEntry]:
        return [entry for entry in self.raw.entries if entry.kind == kind]

    def run(self) -> GreenButtonFile:
        points = [
            UsagePoint(entry.links, entry.title, entry.line, service_kind=entry.data)
            for entry in self.of_kind("UsagePoint")
        ]
        meter_readings = self.of_kind("MeterReading")
        blocks = self.of_kind("IntervalBlock")
        owner_of_block = [self._owner(block, meter_readings) for block in blocks]
        for index, entry in enumerate(meter_readings):
            entries = [
                b.entry for b, owner in zip(blocks, owner_of_block, strict=True) if owner == index
            ]
            reading_type = self._reading_type(entry)
            readings = self._readings(entries, reading_type)
            meter_reading = MeterReading(
                entry.links, entry.title, entry.line, reading_type, readings
            )
            self._point_of(entry, points).meter_readings.append(meter_reading)
        self._orphans(blocks, owner_of_block)
        self._local_times(points)
        self._summaries(points)
        for point in points:
            self._classify(point)
            self._build_series(point)
        self.file.usage_points = points
        if self.raw.ignored:
            names = ", ".join(f"{n} ×{c}" for n, c in sorted(self.raw.ignored.items()))
            self.warnings.append(f"not imported (not interval data): {names}")
        return self.file

    # --- links ------------------------------------------------------------------------------

    def _owner(self, block: RawEntry, meter_readings: Sequence[RawEntry]) -> int | None:
        for index, meter_reading in enumerate(meter_readings):
            if _belongs(block.links, meter_reading.links):
                return index
        return 0 if len(meter_readings) == 1 else None

    def _orphans(self, blocks: list[RawEntry], owners: list[int | None]) -> None:
        used = {
            block.entry for block, owner in zip(blocks, owners, strict=True) if owner is not None
        }
        stray = ~np.isin(self.raw.reading_entry, list(used))
        if stray.any():
            first = int(self.raw.readings.line[stray][0])
            self.warnings.append(
                f"line {first}: {int(stray.sum())} readings belong to no MeterReading "
                "(their IntervalBlock links to none) and were not imported"
            )

    def _reading_type(self, meter_reading: RawEntry) -> ReadingType:
        types = self.of_kind("ReadingType")
        for entry in types:
            if _belongs(entry.links, meter_reading.links):
                return entry.data
        if len(types) == 1:
            return types[0].data
        raise GreenButtonError(
            f"MeterReading {meter_reading.title!r} links to no ReadingType "
            f"({len(types)} in the file), so its values have no unit",
            line=meter_reading.line,
            element="MeterReading",
        )

    def _point_of(self, meter_reading: RawEntry, points: list[UsagePoint]) -> UsagePoint:
        for point in points:
            if _belongs(meter_reading.links, point.links):
                return point
        if len(points) == 1:
            return points[0]
        if not points:
            implicit = UsagePoint(Links(), "", meter_reading.line, service_kind=None)
            points.append(implicit)
            self.warnings.append("the file has no UsagePoint entry: its readings form one")
            return implicit
        raise GreenButtonError(
            f"MeterReading {meter_reading.title!r} links to none of the "
            f"{len(points)} UsagePoints, so its meter is unknown",
            line=meter_reading.line,
            element="MeterReading",
        )

    def _local_times(self, points: list[UsagePoint]) -> None:
        entries = self.of_kind("LocalTimeParameters")
        for point in points:
            found = [e for e in entries if _belongs(e.links, point.links)]
            if found:
                point.local_time = found[0].data
            elif len(entries) == 1:
                point.local_time = entries[0].data

    def _summaries(self, points: list[UsagePoint]) -> None:
        for entry in self.of_kind("UsageSummary"):
            owner = next((p for p in points if _belongs(entry.links, p.links)), None)
            if owner is None and len(points) == 1:
                owner = points[0]
            if owner is None:
                self.warnings.append(f"line {entry.line}: a usage summary links to no UsagePoint")
            else:
                owner.summaries.append(entry.data)

    def _readings(self, entries: list[int], reading_type: ReadingType) -> Readings:
        mask = np.isin(self.raw.reading_entry, entries)
        everything = mask.all()  # the usual single-series file: no copy
        readings = self.raw.readings if everything else self.raw.readings.take(np.flatnonzero(mask))
        unknown = readings.duration_s < 0
        if unknown.any():
            if reading_type.interval_length is None:
                raise GreenButtonError(
                    "IntervalReading has no timePeriod/duration and its ReadingType "
                    "no intervalLength",
                    line=int(readings.line[unknown][0]),
                    element="IntervalReading/timePeriod/duration",
                )
            readings.duration_s = np.where(
                unknown, reading_type.interval_length, readings.duration_s
            )
        return readings

    # --- what is energy ---------------------------------------------------------------------

    def _classify(self, point: UsagePoint) -> None:
        for meter_reading in point.meter_readings:
            meter_reading.role, meter_reading.skip_reason = _role(point, meter_reading.reading_type)

    def _build_series(self, point: UsagePoint) -> None:
        energy = [mr for mr in point.meter_readings if mr.is_energy]
        if not energy:
            return
        parts = [_energy_columns(index, mr) for index, mr in enumerate(energy)]
        received_only = [p for p, mr in zip(parts, energy, strict=True) if mr.role == "received"]
        others = [p for p, mr in zip(parts, energy, strict=True) if mr.role != "received"]
        first, first_repeats = _unique(_concat(others))
        second, second_repeats = _unique(_concat(received_only))
        merged = _merge(first, second)
        _check_overlaps(merged, energy)
        series = IntervalSeries(
            merged["start"],
            merged["duration"],
            merged["delivered"],
            merged["received"],
            merged["quality"],
            notes=self._notes(point, energy),
        )
        try:
            series.validate()
        except InvalidSeries as error:  # pragma: no cover - the checks above come first
            raise GreenButtonError(f"usage point {point.title!r}: {error}") from error
        point.series = series
        point.duplicates = first_repeats + second_repeats

    def _notes(self, point: UsagePoint, energy: list[MeterReading]) -> dict[str, object]:
        lengths = sorted({mr.reading_type.interval_length for mr in energy} - {None})
        notes: dict[str, object] = {
            "source": "greenbutton",
            "usage_point": point.links.self_href,
            "title": point.title,
            "meter_readings": [mr.title for mr in energy],
            "interval_lengths": lengths,
        }
        if point.local_time is not None:
            notes["local_time"] = point.local_time.as_notes()
        return notes


def _role(point: UsagePoint, reading_type: ReadingType) -> tuple[str, str | None]:
    if point.service_kind not in (None, codes.ELECTRICITY_SERVICE):
        return "skipped", f"{point.service} service, not electricity"
    if reading_type.uom != codes.WATT_HOURS:
        return "skipped", f"unit {reading_type.unit} is not energy in Wh"
    if reading_type.commodity not in (None, *codes.ELECTRIC_COMMODITIES):
        commodity = codes.name(codes.COMMODITIES, reading_type.commodity, "commodity")
        return "skipped", f"commodity {commodity}, not electricity"
    accumulation = reading_type.accumulation_behaviour
    if accumulation not in (None, *codes.INTERVAL_ACCUMULATION):
        behaviour = codes.name(codes.ACCUMULATION, accumulation, "accumulationBehaviour")
        return (
            "skipped",
            f"accumulationBehaviour {behaviour}: register reads, not energy per interval",
        )
    flow = reading_type.flow_direction
    if flow in (None, 0, codes.FORWARD):
        return "delivered", None
    if flow == codes.REVERSE:
        return "received", None
    if flow == codes.NET:
        return "net", None
    direction = codes.name(codes.FLOW_DIRECTIONS, flow, "flowDirection")
    return "skipped", f"flowDirection {direction} is neither delivered nor received energy"


Columns = dict[str, np.ndarray]
_NAMES = ("start", "duration", "delivered", "received", "quality", "line", "source")


def _energy_columns(index: int, meter_reading: MeterReading) -> Columns:
    readings = meter_reading.readings
    mwh = scale_to_mwh(
        readings.value, meter_reading.reading_type.power_of_ten_multiplier, readings.line
    )
    zero = np.zeros(len(mwh), dtype=np.int64)
    if meter_reading.role == "net":
        delivered, received = np.maximum(mwh, 0), np.maximum(-mwh, 0)
    else:
        negative = mwh < 0
        if negative.any():
            at = int(np.flatnonzero(negative)[0])
            raise GreenButtonError(
                f"IntervalReading with value {int(readings.value[at])}: negative energy in a "
                f"{meter_reading.role} series ({meter_reading.title!r}); only a net series "
                "(flowDirection 4) may go below zero",
                line=int(readings.line[at]),
                element="IntervalReading/value",
            )
        delivered, received = (mwh, zero) if meter_reading.role == "delivered" else (zero, mwh)
    return {
        "start": readings.start_ts,
        "duration": readings.duration_s,
        "delivered": delivered,
        "received": received,
        "quality": readings.quality,
        "line": readings.line,
        "source": np.full(len(mwh), index, dtype=np.int64),
    }


def _concat(parts: list[Columns]) -> Columns:
    if not parts:
        return {name: np.zeros(0, dtype=np.int64) for name in _NAMES}
    if len(parts) == 1:
        return parts[0]
    return {name: np.concatenate([part[name] for part in parts]) for name in _NAMES}


def _unique(columns: Columns) -> tuple[Columns, int]:
    """Sorted by start, the last reading of each start kept (as ``sorted_unique`` does)."""
    starts = columns["start"]
    if len(starts) == 0 or (starts[1:] > starts[:-1]).all():  # already sorted, no repeats
        return columns, 0
    order = np.argsort(starts, kind="stable")
    ordered = starts[order]
    last_of_run = np.append(ordered[1:] != ordered[:-1], True)
    keep = order[last_of_run]
    return {name: values[keep] for name, values in columns.items()}, int(len(starts) - len(keep))


def _merge(first: Columns, second: Columns) -> Columns:
    """Delivered (or net) and received readings of the same interval become one row."""
    if len(second["start"]) == 0:
        return first
    if len(first["start"]) == 0:
        return second
    starts = np.union1d(first["start"], second["start"])
    merged: Columns = {name: np.zeros(len(starts), dtype=np.int64) for name in _NAMES}
    merged["start"] = starts
    a = np.searchsorted(starts, first["start"])
    b = np.searchsorted(starts, second["start"])
    both = np.isin(second["start"], first["start"])
    if both.any():
        at_a = np.searchsorted(first["start"], second["start"][both])
        differ = first["duration"][at_a] != second["duration"][both]
        if differ.any():
            i, j = int(at_a[differ][0]), int(np.flatnonzero(both)[differ][0])
            raise GreenButtonError(
                f"the received reading starting {_iso(int(second['start'][j]))} lasts "
                f"{int(second['duration'][j])} s but the delivered one at the same start "
                f"(line {int(first['line'][i])}) lasts {int(first['duration'][i])} s",
                line=int(second["line"][j]),
                element="IntervalReading/timePeriod/duration",
            )
    for name in ("duration", "delivered", "quality", "line", "source"):
        merged[name][a] = first[name]
    merged["received"][a] = first["received"]
    merged["received"][b] = second["received"]  # a received series wins over a net one
    merged["quality"][b] = np.maximum(merged["quality"][b], second["quality"])
    only_second = ~np.isin(second["start"], first["start"])
    for name in ("duration", "line", "source"):
        merged[name][b[only_second]] = second[name][only_second]
    return merged


def _check_overlaps(columns: Columns, energy: list[MeterReading]) -> None:
    starts, ends = columns["start"], columns["start"] + columns["duration"]
    overlapping = np.flatnonzero(ends[:-1] > starts[1:])
    if len(overlapping) == 0:
        return
    i = int(overlapping[0])
    earlier, later = energy[int(columns["source"][i])], energy[int(columns["source"][i + 1])]
    hint = (
        f" (MeterReadings {earlier.title!r} and {later.title!r} cover the same time)"
        if earlier is not later
        else ""
    )
    raise GreenButtonError(
        f"the IntervalReading starting {_iso(int(starts[i + 1]))} begins before the one "
        f"starting {_iso(int(starts[i]))} (line {int(columns['line'][i])}, "
        f"{int(columns['duration'][i])} s) ends{hint}",
        line=int(columns["line"][i + 1]),
        element="IntervalReading/timePeriod",
    )
