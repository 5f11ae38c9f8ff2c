"""Streaming pass over an ESPI Atom feed: entries become small records, readings columns.

``defusedxml`` refuses DTDs and entities before anything is expanded, so a
billion-laughs or external-entity file costs nothing. Elements are cleared as
soon as they are read (each IntervalReading at its end tag, leaving an empty
stub until its entry ends; each entry at its end, then detached from the
feed), so a multi-year file is never held as a tree; the readings go straight
into ``array('q')`` columns. Every element carries the line it starts
on (an element factory asks expat), which is what the error messages quote.
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
import xml.etree.ElementTree as ET
from array import array
from typing import IO, Any
from urllib.parse import urlsplit
from xml.parsers import expat

import numpy as np
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, iterparse

from customer_model import ReadingQuality

from . import codes
from .errors import GreenButtonError, UnsafeXml
from .model import Links, Quantity, Readings, ReadingType, UsageSummary
from .units import MAX_MULTIPLIER
from .zones import LocalTime

_FEED = f"{{{codes.ATOM_NS}}}feed"
_ENTRY = f"{{{codes.ATOM_NS}}}entry"
_LINK = f"{{{codes.ATOM_NS}}}link"
_TITLE = f"{{{codes.ATOM_NS}}}title"
_CONTENT = f"{{{codes.ATOM_NS}}}content"
_INTERVAL_READING = f"{{{codes.ESPI_NS}}}IntervalReading"

ESPI_RESOURCES = frozenset(
    {
        "UsagePoint",
        "MeterReading",
        "ReadingType",
        "IntervalBlock",
        "LocalTimeParameters",
        "ElectricPowerUsageSummary",
        "UsageSummary",
        "ElectricPowerQualitySummary",
    }
)

_TRUNCATED = frozenset(
    expat.errors.codes[message]
    for message in (
        expat.errors.XML_ERROR_NO_ELEMENTS,
        expat.errors.XML_ERROR_UNCLOSED_TOKEN,
        expat.errors.XML_ERROR_PARTIAL_CHAR,
        expat.errors.XML_ERROR_UNCLOSED_CDATA_SECTION,
    )
)
_HEX = re.compile(r"\s*(?:0x)?([0-9A-Fa-f]{1,8})\s*\Z")
_READ_SIZE = 64 * 1024

_local_names: dict[str, str] = {}


def local_name(tag: str) -> str:
    """``{namespace}name`` → ``name`` (cached: a file has a few dozen distinct tags)."""
    try:
        return _local_names[tag]
    except KeyError:
        name = _local_names[tag] = tag.rpartition("}")[2]
        return name


_READING_FIELDS: dict[str, str] = {}
"""Tag → local name for the children of an IntervalReading (any namespace: some files
put them in the Atom one by mistake)."""


def _reading_field(tag: str) -> str:
    name = _READING_FIELDS[tag] = local_name(tag)
    return name


def _detach(parent: _Located | None, element: _Located) -> None:
    """Drop a read element from its parent, so the tree never grows with the file."""
    if parent is not None:
        with contextlib.suppress(ValueError):  # not a direct child (odd nesting): cleared will do
            parent.remove(element)  # earlier siblings are gone already: found at once


def namespace(tag: str) -> str:
    return tag[1:].partition("}")[0] if tag.startswith("{") else ""


class _Located(ET.Element):
    """An element that knows the line it starts on."""

    __slots__ = ("line",)
    line: int


@dataclasses.dataclass
class RawEntry:
    """An Atom entry holding one ESPI resource (IntervalBlock entries may hold several)."""

    kind: str
    links: Links
    title: str
    line: int
    entry: int
    """Index of the entry in the feed (readings point back to it)."""
    data: Any = None
    """UsagePoint: service kind; ReadingType/LocalTime/UsageSummary: the parsed record."""


@dataclasses.dataclass
class RawFeed:
    """Everything the streaming pass keeps: entry records and one set of reading columns."""

    entries: list[RawEntry]
    readings: Readings
    reading_entry: np.ndarray
    """For each reading, the index of the entry it came from."""
    ignored: dict[str, int]
    """Resources the importer does not use, by name (ElectricPowerQualitySummary …)."""


class _Columns:
    def __init__(self) -> None:
        self.start = array("q")
        self.duration = array("q")
        self.value = array("q")
        self.cost = array("q")
        self.has_cost = array("b")
        self.quality = array("q")
        self.line = array("q")
        self.entry = array("q")

    def readings(self) -> tuple[Readings, np.ndarray]:
        def column(values: array[int], dtype: type = np.int64) -> np.ndarray:
            return np.frombuffer(values, dtype=dtype) if len(values) else np.zeros(0, dtype)

        readings = Readings(
            start_ts=column(self.start),
            duration_s=column(self.duration),
            value=column(self.value),
            cost=column(self.cost),
            has_cost=column(self.has_cost, np.int8).astype(bool),
            quality=column(self.quality),
            line=column(self.line),
        )
        return readings, column(self.entry)


def read_feed(stream: IO[bytes]) -> RawFeed:
    """Stream ``stream`` once; raise :class:`GreenButtonError` naming the line if malformed."""
    return _Reader(stream).run()


class _Reader:
    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.xml = DefusedXMLParser(
            target=ET.TreeBuilder(element_factory=self._element),
            forbid_dtd=True,
            forbid_entities=True,
            forbid_external=True,
        )
        self.expat = self.xml.parser
        self.columns = _Columns()
        self.entries: list[RawEntry] = []
        self.ignored: dict[str, int] = {}
        self.entries_ended = 0
        self.root: _Located | None = None

    def _element(self, tag: str, attrib: dict[str, str]) -> _Located:
        """Element factory: called by the tree builder as each start tag is read."""
        element = _Located(tag, attrib)
        element.line = self.expat.CurrentLineNumber
        if self.root is None:
            self._check_root(element)  # refused before the rest of the file is read
        return element

    def run(self) -> RawFeed:
        try:
            self._stream()
        except ET.ParseError as error:
            raise self._syntax_error(error) from None
        except DefusedXmlException:
            raise UnsafeXml(
                "refused: the file declares entities (DTD), which Green Button files never need",
                line=self.expat.CurrentLineNumber,
                element="!DOCTYPE",
            ) from None
        readings, entry = self.columns.readings()
        return RawFeed(self.entries, readings, entry, self.ignored)

    def _stream(self) -> None:
        """Only "end" events (half the work of "start" too): the factory checks the root."""
        events = iterparse(
            _Chunks(self.stream),
            events=("end",),
            parser=self.xml,
            forbid_dtd=True,
            forbid_entities=True,
            forbid_external=True,
        )
        for _event, element in events:
            tag = element.tag
            if tag == _INTERVAL_READING:
                self._reading(element)
                element.clear()  # an empty stub stays in its block until the entry ends
            elif tag == _ENTRY:
                self._entry(element)
                self.entries_ended += 1
                element.clear()
                _detach(self.root, element)

    def _check_root(self, element: _Located) -> None:
        self.root = element
        if element.tag != _FEED:
            raise GreenButtonError(
                f"not an ESPI Atom feed: root is {element.tag} "
                f"(expected {_FEED}, with ESPI resources in {{{codes.ESPI_NS}}})",
                line=element.line,
                element=local_name(element.tag),
            )

    def _syntax_error(self, error: ET.ParseError) -> GreenButtonError:
        line, column = error.position
        if error.code in _TRUNCATED:
            if self.root is None:
                refusal = GreenButtonError("the file is empty: no XML root element")
            else:
                refusal = GreenButtonError(
                    f"file ends early at line {line}: the XML stops before the feed is "
                    "closed (truncated download?)"
                )
            refusal.line = line
            return refusal
        return GreenButtonError(
            f"malformed XML at column {column + 1}: {expat.ErrorString(error.code)}", line=line
        )

    # --- readings ---------------------------------------------------------------------------

    def _reading(self, element: _Located) -> None:
        start = duration = value = cost = None
        duration_line = element.line
        qualities: list[int] = []
        for child in element:
            field = _READING_FIELDS.get(child.tag) or _reading_field(child.tag)
            if field == "timePeriod":
                for part in child:
                    part_field = _READING_FIELDS.get(part.tag) or _reading_field(part.tag)
                    if part_field == "start":
                        start = integer(part, "IntervalReading/timePeriod/start")
                    elif part_field == "duration":
                        duration = integer(part, "IntervalReading/timePeriod/duration")
                        duration_line = part.line
            elif field == "value":
                value = integer(child, "IntervalReading/value")
            elif field == "cost":
                cost = integer(child, "IntervalReading/cost")
            elif field == "ReadingQuality":
                qualities += [
                    integer(q, "IntervalReading/ReadingQuality/quality")
                    for q in child
                    if local_name(q.tag) == "quality"
                ]
        if start is None:
            raise GreenButtonError(
                "IntervalReading has no timePeriod/start",
                line=element.line,
                element="IntervalReading/timePeriod",
            )
        if duration is None:
            duration = -1  # the ReadingType's intervalLength, filled in when linked
        elif duration <= 0:
            raise GreenButtonError(
                f"IntervalReading/timePeriod/duration {duration} is "
                + ("negative" if duration < 0 else "zero")
                + " (a reading covers a positive number of seconds)",
                line=duration_line,
                element="IntervalReading/timePeriod/duration",
            )
        columns = self.columns
        columns.start.append(start)
        columns.duration.append(duration)
        columns.value.append(value or 0)
        columns.cost.append(cost or 0)
        columns.has_cost.append(cost is not None)
        columns.quality.append(
            ReadingQuality.MISSING if value is None else codes.reading_quality(qualities)
        )
        columns.line.append(element.line)
        columns.entry.append(self.entries_ended)  # the entry being read

    # --- entries ----------------------------------------------------------------------------

    def _entry(self, element: _Located) -> None:
        self_href = up = None
        related: list[str] = []
        title = ""
        resources: list[_Located] = []
        for child in element:
            tag = child.tag
            if tag == _LINK:
                href = normalise_href(child.get("href"))
                rel = child.get("rel", "alternate")
                if href is None:
                    continue
                if rel == "self":
                    self_href = href
                elif rel == "up":
                    up = href
                elif rel == "related":
                    related.append(href)
            elif tag == _TITLE:
                title = (child.text or "").strip()
            elif tag == _CONTENT:
                resources.extend(child)
        links = Links(self_href, up, tuple(related))
        for resource in resources:
            self._resource(resource, links, title)

    def _resource(self, element: _Located, links: Links, title: str) -> None:
        name = local_name(element.tag)
        ns = namespace(element.tag)
        if ns != codes.ESPI_NS:
            if name in ESPI_RESOURCES:
                raise GreenButtonError(
                    f"{name} is in namespace {ns!r}, expected {codes.ESPI_NS!r}",
                    line=element.line,
                    element=name,
                )
            self.ignored[element.tag] = self.ignored.get(element.tag, 0) + 1
            return
        parse = _RESOURCE_PARSERS.get(name)
        if parse is None:
            self.ignored[name] = self.ignored.get(name, 0) + 1
            return
        data = parse(element, links, title)
        kind = "UsageSummary" if name == "ElectricPowerUsageSummary" else name
        self.entries.append(RawEntry(kind, links, title, element.line, self.entries_ended, data))


def _usage_point(element: _Located, links: Links, title: str) -> int | None:
    for child in element:
        if local_name(child.tag) == "ServiceCategory":
            for kind in child:
                if local_name(kind.tag) == "kind":
                    return integer(kind, "UsagePoint/ServiceCategory/kind")
    return None


def _nothing(element: _Located, links: Links, title: str) -> None:
    return None


def _interval_block(element: _Located, links: Links, title: str) -> None:
    for child in element:
        if local_name(child.tag) == "IntervalReading" and len(child):  # not read: wrong namespace
            raise GreenButtonError(
                f"IntervalReading is in namespace {namespace(child.tag)!r}, "
                f"expected {codes.ESPI_NS!r}",
                line=child.line,
                element="IntervalBlock/IntervalReading",
            )
        if local_name(child.tag) == "interval":
            for part in child:
                if local_name(part.tag) == "duration":
                    duration = integer(part, "IntervalBlock/interval/duration")
                    if duration < 0:
                        raise GreenButtonError(
                            f"IntervalBlock/interval/duration {duration} is negative",
                            line=part.line,
                            element="IntervalBlock/interval/duration",
                        )
                elif local_name(part.tag) == "start":
                    integer(part, "IntervalBlock/interval/start")


_READING_TYPE_INTEGERS = {
    "uom": "uom",
    "powerOfTenMultiplier": "power_of_ten_multiplier",
    "flowDirection": "flow_direction",
    "accumulationBehaviour": "accumulation_behaviour",
    "commodity": "commodity",
    "kind": "kind",
    "currency": "currency",
    "intervalLength": "interval_length",
    "tou": "tou",
}


def _reading_type(element: _Located, links: Links, title: str) -> ReadingType:
    reading_type = ReadingType(links, title, element.line)
    for child in element:
        name = local_name(child.tag)
        attribute = _READING_TYPE_INTEGERS.get(name)
        if attribute is not None:
            setattr(reading_type, attribute, integer(child, f"ReadingType/{name}"))
        elif len(child):
            reading_type.other[name] = "/".join((part.text or "").strip() for part in child)
        else:
            reading_type.other[name] = (child.text or "").strip()
    multiplier = reading_type.power_of_ten_multiplier
    if abs(multiplier) > MAX_MULTIPLIER:
        raise GreenButtonError(
            f"ReadingType/powerOfTenMultiplier {multiplier} is not a unit multiplier",
            line=element.line,
            element="ReadingType/powerOfTenMultiplier",
        )
    if reading_type.interval_length is not None and reading_type.interval_length <= 0:
        raise GreenButtonError(
            f"ReadingType/intervalLength {reading_type.interval_length} is not positive",
            line=element.line,
            element="ReadingType/intervalLength",
        )
    return reading_type


def _local_time(element: _Located, links: Links, title: str) -> LocalTime:
    values: dict[str, int] = {}
    for child in element:
        name = local_name(child.tag)
        if name in ("tzOffset", "dstOffset"):
            values[name] = integer(child, f"LocalTimeParameters/{name}")
        elif name in ("dstStartRule", "dstEndRule"):
            values[name] = hex_integer(child, f"LocalTimeParameters/{name}")
    if "tzOffset" not in values:
        raise GreenButtonError(
            "LocalTimeParameters has no tzOffset", line=element.line, element="LocalTimeParameters"
        )
    if abs(values["tzOffset"]) > 14 * 3600:
        raise GreenButtonError(
            f"LocalTimeParameters/tzOffset {values['tzOffset']} s is not a UTC offset",
            line=element.line,
            element="LocalTimeParameters/tzOffset",
        )
    return LocalTime(
        tz_offset=values["tzOffset"],
        dst_offset=values.get("dstOffset", 0),
        dst_start_rule=values.get("dstStartRule"),
        dst_end_rule=values.get("dstEndRule"),
    )


_SUMMARY_INTEGERS = {
    "billLastPeriod": "bill_last_period",
    "billToDate": "bill_to_date",
    "costAdditionalLastPeriod": "cost_additional_last_period",
    "currency": "currency",
    "qualityOfReading": "quality_of_reading",
    "statusTimeStamp": "status_timestamp",
}


def _usage_summary(element: _Located, links: Links, title: str) -> UsageSummary:
    summary = UsageSummary(links, title, element.line)
    resource = local_name(element.tag)
    for child in element:
        name = local_name(child.tag)
        attribute = _SUMMARY_INTEGERS.get(name)
        if attribute is not None:
            setattr(summary, attribute, integer(child, f"{resource}/{name}"))
        elif name == "billingPeriod":
            for part in child:
                if local_name(part.tag) == "start":
                    summary.billing_period_start = integer(part, f"{resource}/{name}/start")
                elif local_name(part.tag) == "duration":
                    summary.billing_period_duration = integer(part, f"{resource}/{name}/duration")
        elif len(child) and any(local_name(part.tag) == "value" for part in child):
            summary.measurements[name] = _quantity(child, f"{resource}/{name}")
    return summary


def _quantity(element: _Located, path: str) -> Quantity:
    fields: dict[str, int] = {}
    for part in element:
        name = local_name(part.tag)
        if name in ("value", "powerOfTenMultiplier", "uom", "timeStamp"):
            fields[name] = integer(part, f"{path}/{name}")
    return Quantity(
        value=fields["value"],
        multiplier=fields.get("powerOfTenMultiplier", 0),
        uom=fields.get("uom"),
        timestamp=fields.get("timeStamp"),
    )


_RESOURCE_PARSERS = {
    "UsagePoint": _usage_point,
    "MeterReading": _nothing,
    "IntervalBlock": _interval_block,
    "ReadingType": _reading_type,
    "LocalTimeParameters": _local_time,
    "ElectricPowerUsageSummary": _usage_summary,
    "UsageSummary": _usage_summary,
}


# --- values -----------------------------------------------------------------------------------


def integer(element: _Located, path: str) -> int:
    """The element's text as a 64-bit integer, or a refusal naming the element and line."""
    text = element.text or ""
    try:
        value = int(text)  # accepts surrounding blanks, as xs:long does
    except ValueError:
        value = None
    if value is None or "_" in text or not text.isascii():
        shown = text.strip()
        shown = shown if len(shown) <= 40 else shown[:37] + "..."
        raise GreenButtonError(
            f"{path} {shown!r} is not an integer", line=element.line, element=path
        )
    if not -(2**63) <= value < 2**63:
        raise GreenButtonError(
            f"{path} {value} does not fit in 64 bits", line=element.line, element=path
        )
    return value


def hex_integer(element: _Located, path: str) -> int:
    text = element.text or ""
    match = _HEX.match(text)
    if match is None:
        raise GreenButtonError(
            f"{path} {text.strip()!r} is not a hexadecimal rule", line=element.line, element=path
        )
    return int(match.group(1), 16)


def normalise_href(href: str | None) -> str | None:
    """The path of an href: ``https://host/espi/x/`` and ``/espi/x`` compare equal."""
    if href is None or not href.strip():
        return None
    path = urlsplit(href.strip()).path.rstrip("/")
    return path or None


class _Chunks:
    """A file read in 64 KiB chunks (iterparse's own default is 16 KiB)."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream

    def read(self, size: int = -1) -> bytes:
        return self.stream.read(_READ_SIZE)
