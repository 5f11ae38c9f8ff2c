"""A generic interval CSV: the caller names the columns, the unit and the clock.

One header row, then one row per interval. Times are local wall-clock times in
``tz`` (DST-resolved by :mod:`.wall_clock`) unless they carry an explicit UTC
offset (``2024-11-03T01:30-05:00``, ``…Z``), which then wins. They label the
start or the end of an interval of ``interval_minutes``. Energy is kWh or Wh,
turned into exact integer milliwatt-hours; an empty value is a missing reading.
"""

from __future__ import annotations

from customer_model import ReadingQuality

from ..series import IntervalSeries
from .options import CsvOptions
from .rows import Rows
from .text import (
    UNIT_NAMES,
    CsvImportError,
    energy_mwh,
    normalise_name,
    parse_iso_timestamp,
    parse_quality,
    read_rows,
    sniff_delimiter,
    unit_factor,
    unit_in_name,
)


def parse_generic(text: str, options: CsvOptions) -> IntervalSeries:
    """Parse decoded ``text`` as ``options`` describe it; refuse it whole or not at all."""
    if missing := options.missing_generic():
        raise CsvImportError(
            "not an SCE or PG&E download, so the columns must be named: "
            f"missing {', '.join(missing)}"
        )
    # All given (checked just above): plain values from here on.
    unit, tz, labels = str(options.unit), str(options.tz), str(options.timestamps)
    interval_s = int(options.interval_minutes or 0) * 60
    delimiter = sniff_delimiter(text)
    records = read_rows(text, delimiter)
    first = next(records, None)
    if first is None:
        raise CsvImportError("the file is empty")
    header_line, header = first
    columns: dict[str, int] = {}
    for position, name in enumerate(header):
        columns.setdefault(normalise_name(name), position)

    def find(name: str | None) -> int | None:
        if name is None:
            return None
        try:
            return columns[normalise_name(name)]
        except KeyError:
            raise CsvImportError(
                f"column {name!r} not found in the header on line {header_line} "
                f"(columns: {', '.join(header)})"
            ) from None

    time_at, value_at = find(options.timestamp_col), find(options.value_col)
    received_at, quality_at = find(options.received_col), find(options.quality_col)
    assert time_at is not None
    assert value_at is not None
    factor = unit_factor(unit)
    for position in (value_at, received_at):
        if position is not None:
            _check_unit(header[position], unit)

    rows = Rows(time_column=header[time_at])
    comma = {"decimal_comma_possible": delimiter == ";"}
    for line, cells in records:

        def cell(position: int | None, cells: list[str] = cells) -> str:
            return cells[position] if position is not None and position < len(cells) else ""

        where = f"line {line}, column {header[time_at]}"
        stamp = cell(time_at)
        if not stamp:
            raise CsvImportError(f"{where}: no date and time")
        try:
            wall, offset = parse_iso_timestamp(stamp)
        except ValueError:
            raise CsvImportError(
                f"{where}: {stamp!r} is not a date and time "
                "(expected ISO 8601 like 2024-11-03 01:30 or 2024-11-03T01:30-05:00)"
            ) from None
        delivered = _energy(cell(value_at), factor, line, header[value_at], comma)
        received = None
        if received_at is not None:
            received = _energy(cell(received_at), factor, line, header[received_at], comma)
        quality = ReadingQuality.ACTUAL
        if quality_at is not None:
            quality = parse_quality(cell(quality_at), f"line {line}, column {header[quality_at]}")
        if delivered is None and (received_at is None or received is None):
            quality = ReadingQuality.MISSING
        rows.add(
            line,
            wall,
            interval_s,
            delivered or 0,
            received or 0,
            int(quality),
            offset=offset,
        )
    return rows.to_series(tz, labels=labels, layout="generic", unit=unit)


def _energy(text: str, factor: int, line: int, column: str, comma: dict[str, bool]) -> int | None:
    where = f"line {line}, column {column}"
    mwh = energy_mwh(text, factor, where, **comma)
    if mwh is not None and mwh < 0:
        raise CsvImportError(
            f"{where}: negative energy {text!r} (energy sent to the grid belongs in the "
            "received column, as a positive number)"
        )
    return mwh


def _check_unit(column: str, unit: str) -> None:
    """Refuse ``--unit kWh`` for a column whose header says ``(Wh)``, and the like."""
    named = unit_in_name(column)
    if named is not None and named != unit.casefold():
        raise CsvImportError(
            f"column {column} is in {UNIT_NAMES.get(named, named)}, but the unit given is "
            f"{unit} (only kWh and Wh are accepted)"
        )
