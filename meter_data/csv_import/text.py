"""The odd characters of real CSV downloads: encodings, spaces, numbers, dates.

Utilities' exports are opened and re-saved in spreadsheets before they reach
us, so they arrive with a UTF-8 BOM or in Windows-1252, with non-breaking
spaces, ``$`` signs, thousands separators, quoted numbers, trailing commas,
blank lines and CRLF. Everything here is strict about *meaning* (a value is an
exact decimal or it is refused) and lenient about *decoration*.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from decimal import Decimal, localcontext

from customer_model import ReadingQuality


class CsvImportError(ValueError):
    """A file that cannot be imported as it is; the message names line and column."""


MWH_PER_UNIT = {"kwh": 1_000_000, "wh": 1_000}
"""Milliwatt-hours in one of each accepted unit."""

UNIT_NAMES = {"kwh": "kWh", "wh": "Wh", "mwh": "MWh (or mWh)", "therms": "therms", "ccf": "CCF"}
"""How messages spell the units :func:`unit_in_name` finds."""

MAX_MWH = 2**62
"""Refuse absurd values long before int64 sums could overflow."""

_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()

# Characters that are whitespace in spirit but not to ``str.strip`` in every
# spreadsheet: non-breaking, narrow and figure spaces, zero-width ones, stray BOMs.
_SPACES = re.compile("[\u00a0\u2007\u202f\u2009\u3000]")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


def decode(data: bytes | str) -> str:
    """Text of a download: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16").lstrip("\ufeff")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        # Windows-1252 leaves five bytes undefined; they can only be in free text
        # (names, addresses), where a replacement character harms nobody.
        text = data.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise CsvImportError("the file contains NUL bytes: not a text CSV file")
    return text.lstrip("\ufeff")


def clean_cell(cell: str) -> str:
    """A cell without decorative whitespace; non-breaking spaces become plain spaces."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", cell)).strip()


def normalise_name(name: str) -> str:
    """Column names compared case- and space-insensitively."""
    return " ".join(clean_cell(name).casefold().split())


def sniff_delimiter(text: str) -> str:
    """``,`` unless the first non-blank line clearly uses ``;``, tab or ``|``."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: first.count(sep) for sep in (",", ";", "\t", "|")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] > counts[","] else ","


def read_rows(text: str, delimiter: str = ",") -> Iterator[tuple[int, list[str]]]:
    """Non-blank CSV records as ``(line number where the record starts, cleaned cells)``.

    Trailing empty cells (trailing commas) are dropped; CRLF, CR and LF all end lines.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    try:
        for row in reader:
            line, start = start, reader.line_num + 1
            cells = [clean_cell(cell) for cell in row]
            while cells and not cells[-1]:
                cells.pop()
            if cells:
                yield line, cells
    except csv.Error as error:
        raise CsvImportError(f"line {reader.line_num}: {error}") from None


# --- numbers ---------------------------------------------------------------------------

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_GROUPED = re.compile(r"[+-]?[1-9]\d{0,2}(?:([, '])\d{3})(?:\1\d{3})*(?:\.\d*)?")
"""``1,234.5``, ``12 345``, ``1'234``: one separator kind, groups of three, no leading 0."""


def parse_decimal(text: str, *, decimal_comma_possible: bool = False) -> Decimal | None:
    """The exact value of a numeric cell, ``None`` for an empty one.

    Accepts ``$``, quotes, ``="…"`` (spreadsheet text), thousands separators,
    a Unicode minus. Raises ``ValueError`` for anything else, including ``nan``,
    ``inf`` and (where the delimiter is ``;``) commas that might be decimal commas.
    """
    value = clean_cell(text)
    if value.startswith('="') and value.endswith('"'):
        value = value[2:-1]
    value = clean_cell(value.strip("\"'").replace("$", "").replace("\u2212", "-"))
    if not value:
        return None
    if "," in value and decimal_comma_possible:
        raise ValueError("a comma in a ;-separated file may be a decimal comma (write 0.25)")
    if _GROUPED.fullmatch(value):
        value = re.sub(r"[, ']", "", value)
    if not _NUMBER.fullmatch(value):
        raise ValueError("not a number")
    return Decimal(value)


def energy_mwh(text: str, mwh_per_unit: int, where: str, **options: bool) -> int | None:
    """A cell in kWh or Wh as exact integer milliwatt-hours (``None`` if empty).

    ``where`` is the ``line N, column X`` prefix of error messages.
    """
    try:
        value = parse_decimal(text, **options)
    except ValueError as error:
        detail = "is not a number" if str(error) == "not a number" else f"is refused: {error}"
        raise CsvImportError(f"{where}: {clean_cell(text)!r} {detail}") from None
    if value is None:
        return None
    with localcontext() as context:
        context.prec = 80
        mwh = value * mwh_per_unit
        if mwh != mwh.to_integral_value():
            raise CsvImportError(
                f"{where}: {clean_cell(text)!r} is finer than 1 mWh (the storage resolution)"
            )
    result = int(mwh)
    if abs(result) >= MAX_MWH:
        raise CsvImportError(f"{where}: {clean_cell(text)!r} is out of range")
    return result


def unit_factor(unit: str) -> int:
    """Milliwatt-hours per ``kWh`` or ``Wh`` (case-insensitive)."""
    try:
        return MWH_PER_UNIT[unit.strip().casefold()]
    except KeyError:
        raise CsvImportError(f"unit must be kWh or Wh, not {unit!r}") from None


_UNIT_IN_NAME = re.compile(r"(?<![a-z])(mwh|kwh|wh|kilowatt-hours?|watt-hours?|therms?|ccf)\b")
_UNIT_WORDS = {
    "kilowatt-hour": "kwh",
    "kilowatt-hours": "kwh",
    "watt-hour": "wh",
    "watt-hours": "wh",
    "therm": "therms",
}


def unit_in_name(name: str) -> str | None:
    """The energy unit a column header names (``kwh``, ``wh``, ``mwh``, ``therm``…), if any."""
    match = _UNIT_IN_NAME.search(name.casefold())
    if match is None:
        return None
    return _UNIT_WORDS.get(match.group(1), match.group(1))


# --- quality ---------------------------------------------------------------------------

_QUALITY_WORDS = {
    "": ReadingQuality.ACTUAL,
    "0": ReadingQuality.ACTUAL,
    "a": ReadingQuality.ACTUAL,
    "actual": ReadingQuality.ACTUAL,
    "valid": ReadingQuality.ACTUAL,
    "validated": ReadingQuality.ACTUAL,
    "v": ReadingQuality.ACTUAL,
    "1": ReadingQuality.ESTIMATED,
    "e": ReadingQuality.ESTIMATED,
    "est": ReadingQuality.ESTIMATED,
    "estimate": ReadingQuality.ESTIMATED,
    "estimated": ReadingQuality.ESTIMATED,
    "2": ReadingQuality.MISSING,
    "m": ReadingQuality.MISSING,
    "missing": ReadingQuality.MISSING,
}


def parse_quality(text: str, where: str) -> int:
    """``0/1/2``, ``A/E/M`` or ``actual/estimated/missing`` (``validated`` is actual)."""
    try:
        return int(_QUALITY_WORDS[normalise_name(text)])
    except KeyError:
        raise CsvImportError(
            f"{where}: {clean_cell(text)!r} is not a reading quality "
            "(actual/estimated/missing, A/E/M or 0/1/2)"
        ) from None


def quality_from_note(text: str) -> int:
    """Free-text notes and quality columns of utility downloads, read leniently."""
    note = normalise_name(text)
    if "estimat" in note:
        return ReadingQuality.ESTIMATED
    if "missing" in note:
        return ReadingQuality.MISSING
    return ReadingQuality.ACTUAL


# --- local dates and times -------------------------------------------------------------


def wall_seconds(day: dt.date, hour: int = 0, minute: int = 0, second: int = 0) -> int:
    """A wall-clock reading as seconds since 1970-01-01 00:00 *on that clock* (no zone)."""
    return (day.toordinal() - _EPOCH_ORDINAL) * 86_400 + hour * 3600 + minute * 60 + second


def wall_text(seconds: int) -> str:
    """Inverse of :func:`wall_seconds`, as ``2024-03-10 02:30``."""
    day, rest = divmod(seconds, 86_400)
    stamp = dt.datetime.combine(dt.date.fromordinal(day + _EPOCH_ORDINAL), dt.time())
    stamp += dt.timedelta(seconds=rest)
    return stamp.strftime("%Y-%m-%d %H:%M" + (":%S" if rest % 60 else ""))


_ISO = re.compile(
    r"(?P<y>\d{4})[-/](?P<mo>\d{1,2})[-/](?P<d>\d{1,2})"
    r"(?:(?:T|\s+)(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,](?P<frac>\d+))?)?)?"
    r"\s*(?P<tz>Z|UTC|[+-]\d{2}(?::?\d{2})?)?",
    re.IGNORECASE,
)
_US_DATE = re.compile(r"(?P<mo>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4})")
_TIME = re.compile(r"(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?")


def _wall(day: dt.date, hour: int, minute: int, second: int) -> int:
    """Validated :func:`wall_seconds`; ``24:00`` is the next midnight."""
    if hour == 24 and minute == second == 0:
        return wall_seconds(day) + 86_400
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError("time out of range")
    return wall_seconds(day, hour, minute, second)


def parse_iso_timestamp(text: str) -> tuple[int, int | None]:
    """``2024-11-03 01:30[:00][+/-hh:mm|Z]`` as (wall-clock seconds, UTC offset or None).

    Raises ``ValueError`` when the text is not such a date and time.
    """
    match = _ISO.fullmatch(clean_cell(text))
    if match is None:
        raise ValueError("not an ISO 8601 date and time")
    if match["frac"] and int(match["frac"]):
        raise ValueError("fractions of a second are not interval boundaries")
    day = dt.date(int(match["y"]), int(match["mo"]), int(match["d"]))
    wall = _wall(day, int(match["h"] or 0), int(match["mi"] or 0), int(match["s"] or 0))
    zone = (match["tz"] or "").upper()
    if not zone:
        return wall, None
    if zone in ("Z", "UTC"):
        return wall, 0
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    offset = sign * (int(digits[:2]) * 3600 + int(digits[2:4] or 0) * 60)
    if abs(offset) >= 86_400:
        raise ValueError("UTC offset out of range")
    return wall, offset


def parse_date(text: str) -> dt.date:
    """``2024-01-31``, ``2024/01/31`` or (US downloads) ``1/31/2024``."""
    value = clean_cell(text)
    if match := _US_DATE.fullmatch(value):
        return dt.date(int(match["y"]), int(match["mo"]), int(match["d"]))
    match = re.fullmatch(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})", value)
    if match is None:
        raise ValueError("not a date")
    return dt.date(int(match[1]), int(match[2]), int(match[3]))


def parse_clock(text: str) -> tuple[int, int, int]:
    """``0:00``, ``00:15:00`` or ``1:00 PM`` as (hour, minute, second)."""
    match = _TIME.fullmatch(clean_cell(text))
    if match is None:
        raise ValueError("not a time of day")
    hour, minute, second = int(match["h"]), int(match["mi"]), int(match["s"] or 0)
    if match["ampm"]:
        if not 1 <= hour <= 12:
            raise ValueError("hour out of range")
        hour = hour % 12 + (12 if match["ampm"][0] in "Pp" else 0)
    return hour, minute, second


def wall_from(day: dt.date, clock: tuple[int, int, int]) -> int:
    """Wall-clock seconds of a date and a :func:`parse_clock` result."""
    return _wall(day, *clock)
