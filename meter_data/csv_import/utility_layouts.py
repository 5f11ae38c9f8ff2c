"""The Green Button CSV downloads of Southern California Edison and PG&E.

**SCE** ("Download my data", CSV): a preamble (``Energy Usage Information``,
``For location: …``, ``Detailed Usage`` …), then blocks of one local day each::

    "Data for period starting: 2024-05-22 00:00:00  for 24 hours"
    Energy  Delivered time period,Usage Delivered(Real energy in kilowatt-hours)(…),Reading quality
    "2024-05-22 00:00:00 to 2024-05-22 00:15:00","0.040",""

Net-metered homes get a ``Received`` block after each ``Delivered`` one (older
or plain accounts: ``Energy consumption time period,Usage(…)``; some exports
title whole blocks ``Energy Usage Data`` and ``Received``). Period labels are
local (Pacific) wall-clock times. On the fall-back day SCE's own downloads
repeat the labels ``02:00``–``02:45`` rather than ``01:00``–``01:45`` (the
rows are in time order; the labels switch to standard time an hour late): the
first of each such repeated pair is the ``01:xx`` standard-time interval, and
is put back there. Repeated ``01:xx`` labels are resolved by order as usual.

**PG&E** ("Green Button — Download My Data", electric interval CSV, the
Opower layout other utilities share): ``Name``, ``Address``, ``Account
Number``, ``Service`` lines, then one of::

    TYPE,DATE,START TIME,END TIME,IMPORT (kWh),EXPORT (kWh),NOTES
    TYPE,DATE,START TIME,END TIME,USAGE (kWh),COST,NOTES
    TYPE,DATE,START TIME,END TIME,USAGE,UNITS,COST,NOTES

with rows like ``Electric usage,2024-01-01,00:00,00:14,0.12,$0.03,``. The end
time is the last minute *inside* the interval (``00:14``, ``00:59``). Net
``USAGE`` of a net-metered home is negative when it exports: that part is
stored as energy received.
"""

from __future__ import annotations

import re

import numpy as np

from customer_model import ReadingQuality

from ..series import IntervalSeries
from .rows import Rows, series_from
from .text import (
    MWH_PER_UNIT,
    UNIT_NAMES,
    CsvImportError,
    clean_cell,
    energy_mwh,
    normalise_name,
    parse_clock,
    parse_date,
    parse_iso_timestamp,
    quality_from_note,
    read_rows,
    unit_in_name,
    wall_from,
)
from .wall_clock import NO_INSTANT, candidates, fall_back_changes

_STAMP = r"\d{4}-\d{1,2}-\d{1,2}[ T]+\d{1,2}:\d{2}(?::\d{2})?"
_PERIOD = re.compile(rf"(?P<start>{_STAMP})\s*to\s*(?P<end>{_STAMP})", re.IGNORECASE)
_PGE_HEADER = ["type", "date", "start time", "end time"]
_DETECT_ROWS = 60


def detect_layout(text: str) -> str:
    """``sce``, ``pge`` or ``generic``, from the first rows of a decoded file."""
    for count, (_line, cells) in enumerate(read_rows(text)):
        if count >= _DETECT_ROWS:
            break
        names = [normalise_name(cell) for cell in cells]
        if names[:4] == _PGE_HEADER:
            return "pge"
        if _PERIOD.fullmatch(cells[0]) or names[0] == "energy usage information":
            return "sce"
        if names[0].endswith("time period") and "usage" in " ".join(names[1:2]):
            return "sce"
    return "generic"


# --- SCE -------------------------------------------------------------------------------

_DELIVERED, _RECEIVED = "delivered", "received"


def parse_sce(text: str, tz: str) -> IntervalSeries:
    """The delivered and received blocks of an SCE download, merged by interval."""
    channels = {_DELIVERED: Rows("time period"), _RECEIVED: Rows("time period")}
    ends: dict[str, list[int]] = {_DELIVERED: [], _RECEIVED: []}
    channel, block, factor, value_name = _DELIVERED, 0, MWH_PER_UNIT["kwh"], "Usage"
    for line, cells in read_rows(text):
        period = _PERIOD.fullmatch(cells[0])
        if period is None:
            block += 1
            channel, factor, value_name = _sce_heading(cells, channel, factor, value_name)
            continue
        try:
            start, _ = parse_iso_timestamp(period["start"])
            end, _ = parse_iso_timestamp(period["end"])
        except ValueError:
            raise CsvImportError(
                f"line {line}, column time period: {cells[0]!r} is not a period of two "
                "dates and times"
            ) from None
        value = cells[1] if len(cells) > 1 else ""
        mwh = _positive(energy_mwh(value, factor, f"line {line}, column {value_name}"), line)
        quality = quality_from_note(cells[2]) if len(cells) > 2 else ReadingQuality.ACTUAL
        if mwh is None:
            quality = ReadingQuality.MISSING
        rows = channels[channel]
        delivered, received = (mwh or 0, 0) if channel == _DELIVERED else (0, mwh or 0)
        rows.add(line, start, end - start, delivered, received, int(quality), group=block)
        ends[channel].append(end)
    if not channels[_DELIVERED] and not channels[_RECEIVED]:
        raise CsvImportError("no readings found in the SCE download")
    parts = [
        _sce_channel(channels[name], np.asarray(ends[name], dtype=np.int64), tz)
        for name in (_DELIVERED, _RECEIVED)
    ]
    return _merge(*parts, tz=tz)


def _sce_heading(
    cells: list[str], channel: str, factor: int, value_name: str
) -> tuple[str, int, str]:
    """What a title or column-header row says about the rows that follow."""
    text = normalise_name(" ".join(cells))
    column_header = normalise_name(cells[0]).endswith("time period")
    title = not column_header and len(text) <= 100
    if "received" in text:
        channel = _RECEIVED
    elif "delivered" in text or (title and ("usage" in text or "consumption" in text)):
        channel = _DELIVERED
    if column_header and len(cells) > 1:
        value_name = clean_cell(re.sub(r"\(.*", "", cells[1])) or "Usage"
        unit = unit_in_name(cells[1])
        if unit is not None:
            if unit not in MWH_PER_UNIT:
                raise CsvImportError(
                    f"the SCE download is in {UNIT_NAMES.get(unit, unit)}: only electricity "
                    "in kWh or Wh can be imported"
                )
            factor = MWH_PER_UNIT[unit]
    return channel, factor, value_name


def _sce_channel(rows: Rows, ends: np.ndarray, tz: str) -> dict[str, np.ndarray]:
    """One channel's rows as columns: labels resolved, fall-back labels repaired."""
    if not rows:
        return _columns(rows, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    starts = rows.label_instants(tz)
    group = np.asarray(rows.group, dtype=np.int64)
    _repair_late_fall_back(starts, group, tz)
    naive = np.asarray(rows.duration_s, dtype=np.int64)
    duration = _durations(starts, ends, naive, np.asarray(rows.line), tz)
    return _columns(rows, starts, duration)


def _repair_late_fall_back(starts: np.ndarray, group: np.ndarray, tz: str) -> None:
    """Put SCE's repeated ``02:xx`` labels of the fall-back day back where they belong.

    In a block, the hour after the repeated hour appears twice; the first copy of
    each label is the repeated (standard-time) hour, if that is free in the block.
    """
    for change, back in fall_back_changes(int(starts.min()) - 86_400, int(starts.max()), tz):
        window = np.flatnonzero((starts >= change + back) & (starts < change + 2 * back))
        for block in np.unique(group[window]).tolist():
            in_block = np.flatnonzero(group == block)
            taken = set(starts[in_block].tolist())
            seen: dict[int, int] = {}
            for i in window[group[window] == block].tolist():
                instant = int(starts[i])
                if instant in seen and instant - back not in taken:
                    starts[seen.pop(instant)] = instant - back
                    taken.add(instant - back)
                else:
                    seen[instant] = i


def _durations(
    starts: np.ndarray, ends: np.ndarray, naive: np.ndarray, lines: np.ndarray, tz: str
) -> np.ndarray:
    """Interval lengths from ``start to end`` labels, right across DST changes.

    The wall-clock difference is the length except where a label pair straddles
    a change (``01:45 to 03:00`` is 15 minutes); there the resolved end decides.
    """
    values, counts = np.unique(naive[naive > 0], return_counts=True)
    usual = int(values[np.argmax(counts)]) if values.size else 0
    duration = naive.copy()
    odd = np.flatnonzero(naive != usual)
    if odd.size == 0:
        return duration
    first, second, _count = candidates(ends[odd], tz)
    for k, i in enumerate(odd.tolist()):
        after = [int(c) - int(starts[i]) for c in (first[k], second[k]) if c != NO_INSTANT]
        real = min((d for d in after if d > 0), default=None)
        if real == usual or (naive[i] <= 0 and real is not None):
            duration[i] = real
        elif naive[i] <= 0:
            raise CsvImportError(f"line {int(lines[i])}: the interval ends before it starts")
    return duration


def _columns(rows: Rows, starts: np.ndarray, duration: np.ndarray) -> dict[str, np.ndarray]:
    return {
        "start": starts,
        "duration": duration,
        "delivered": np.asarray(rows.delivered_mwh, dtype=np.int64),
        "received": np.asarray(rows.received_mwh, dtype=np.int64),
        "quality": np.asarray(rows.quality, dtype=np.int64),
        "line": np.asarray(rows.line, dtype=np.int64),
    }


def _last_wins(part: dict[str, np.ndarray]) -> tuple[dict[str, np.ndarray], int]:
    order = np.argsort(part["start"], kind="stable")
    ordered = part["start"][order]
    keep = order[np.append(ordered[1:] != ordered[:-1], True)] if len(order) else order
    return {name: column[keep] for name, column in part.items()}, len(order) - len(keep)


def _merge(
    delivered: dict[str, np.ndarray], received: dict[str, np.ndarray], tz: str
) -> IntervalSeries:
    """One reading per interval from the delivered and the received blocks."""
    delivered, repeats_d = _last_wins(delivered)
    received, repeats_r = _last_wins(received)
    starts = np.union1d(delivered["start"], received["start"])
    n = len(starts)
    duration, lines = np.zeros(n, np.int64), np.zeros(n, np.int64)
    quality = np.full(n, -1, np.int64)
    columns = {"delivered": np.zeros(n, np.int64), "received": np.zeros(n, np.int64)}
    for part, name in ((received, "received"), (delivered, "delivered")):
        at = np.searchsorted(starts, part["start"])
        clash = (duration[at] != 0) & (duration[at] != part["duration"])
        if clash.any():
            i = int(np.flatnonzero(clash)[0])
            other = int(lines[at[i]])
            raise CsvImportError(
                f"lines {other} and {int(part['line'][i])}: the delivered and received "
                "readings of one interval have different lengths"
            )
        columns[name][at] = part[name]
        duration[at] = part["duration"]
        lines[at] = part["line"]
        quality[at] = np.maximum(quality[at], part["quality"])
    return series_from(
        starts,
        duration,
        columns["delivered"],
        columns["received"],
        quality,
        lines,
        layout="sce",
        tz=tz,
        repeats=max(repeats_d, repeats_r),
    )


# --- PG&E ------------------------------------------------------------------------------


def parse_pge(text: str, tz: str) -> IntervalSeries:
    """A PG&E (Opower) electric interval download."""
    records = read_rows(text)
    header_line, header = 0, []
    for line, cells in records:
        if [normalise_name(cell) for cell in cells[:4]] == _PGE_HEADER:
            header_line, header = line, cells
            break
    if not header:
        raise CsvImportError("no TYPE,DATE,START TIME,END TIME header: not a PG&E download")
    layout = _pge_columns(header, header_line)
    rows = Rows("DATE/START TIME")
    for line, cells in records:
        rows.add(line, *_pge_row(line, cells, header, layout))
    return rows.to_series(tz, labels="start", layout="pge")


def _pge_columns(header: list[str], header_line: int) -> dict[str, int | None]:
    names = [normalise_name(name) for name in header]

    def find(*prefixes: str) -> int | None:
        return next(
            (i for i, name in enumerate(names) if any(name.startswith(p) for p in prefixes)),
            None,
        )

    layout = {
        "import": find("import"),
        "export": find("export"),
        "usage": find("usage"),
        "units": find("units"),
        "notes": find("notes"),
    }
    if layout["import"] is None and layout["usage"] is None:
        raise CsvImportError(
            f"line {header_line}: the PG&E header has neither an IMPORT nor a USAGE column"
        )
    for key in ("import", "export", "usage"):
        at = layout[key]
        unit = unit_in_name(header[at]) if at is not None else None
        if unit is not None and unit not in MWH_PER_UNIT:
            raise CsvImportError(
                f"line {header_line}: column {header[at]} is in {UNIT_NAMES.get(unit, unit)}: "
                "only electricity in kWh or Wh can be imported"
            )
    return layout


def _pge_row(
    line: int, cells: list[str], header: list[str], layout: dict[str, int | None]
) -> tuple[int, int, int, int, int]:
    """Wall-clock start, length, delivered and received mWh, and quality of one row."""

    def cell(at: int | None) -> str:
        return cells[at] if at is not None and at < len(cells) else ""

    kind = normalise_name(cell(0))
    if "electric" not in kind:
        raise CsvImportError(
            f"line {line}, column TYPE: {cell(0)!r} is not electricity "
            "(only electric interval downloads can be imported)"
        )
    try:
        day = parse_date(cell(1))
    except ValueError:
        raise CsvImportError(f"line {line}, column DATE: {cell(1)!r} is not a date") from None
    clocks = []
    for at, name in ((2, "START TIME"), (3, "END TIME")):
        try:
            clocks.append(parse_clock(cell(at)))
        except ValueError:
            raise CsvImportError(
                f"line {line}, column {name}: {cell(at)!r} is not a time of day"
            ) from None
    start = wall_from(day, clocks[0])
    length = _pge_minutes(clocks[0], clocks[1]) * 60
    factor = _pge_factor(line, cell(layout["units"]), header, layout)
    quality = quality_from_note(cell(layout["notes"]))
    if layout["import"] is not None:
        delivered = _positive(_pge_energy(line, cells, header, layout["import"], factor), line)
        received = _positive(_pge_energy(line, cells, header, layout["export"], factor), line)
        if delivered is None and received is None:
            quality = ReadingQuality.MISSING
        return start, length, delivered or 0, received or 0, int(quality)
    net = _pge_energy(line, cells, header, layout["usage"], factor)
    if net is None:
        return start, length, 0, 0, int(ReadingQuality.MISSING)
    return start, length, max(net, 0), max(-net, 0), int(quality)


def _pge_minutes(start: tuple[int, int, int], end: tuple[int, int, int]) -> int:
    """Interval length from START and END TIME, the end being the last minute inside."""
    minutes = (end[0] * 60 + end[1] - start[0] * 60 - start[1]) % 1440
    if minutes == 0:
        return 0  # refused later: "the interval ends before it starts"
    if 1440 % (minutes + 1) == 0 and 1440 % minutes != 0:
        return minutes + 1
    return minutes


def _pge_factor(line: int, units: str, header: list[str], layout: dict[str, int | None]) -> int:
    if units:
        unit = normalise_name(units)
        if unit not in MWH_PER_UNIT:
            raise CsvImportError(
                f"line {line}, column UNITS: {units!r} is not kWh or Wh "
                "(only electricity can be imported)"
            )
        return MWH_PER_UNIT[unit]
    at = layout["import"] if layout["import"] is not None else layout["usage"]
    assert at is not None
    unit = unit_in_name(header[at]) or "kwh"
    return MWH_PER_UNIT[unit]


def _pge_energy(
    line: int, cells: list[str], header: list[str], at: int | None, factor: int
) -> int | None:
    if at is None:
        return None
    text = cells[at] if at < len(cells) else ""
    return energy_mwh(text, factor, f"line {line}, column {header[at]}")


def _positive(mwh: int | None, line: int) -> int | None:
    if mwh is not None and mwh < 0:
        raise CsvImportError(f"line {line}: negative energy in a delivered or received column")
    return mwh
