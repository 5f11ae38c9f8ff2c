"""Tariffs as data: load ``billing/tariffs/<id>.yaml`` and validate it by hand.

Every error names the file and the field (``ontario-rpp-tou.yaml:
versions[1].energy.prices.on_peak: …``). Numbers in the files are read as
``Decimal`` straight from their text (a custom YAML loader), so ``6.905``
stays exactly 6.905; prices keep their published unit (``¢/kWh``, ``$/day``,
``p/kWh``…). The file format is described in ``billing/README.md``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from .calendar import (
    CalendarError,
    HolidayRules,
    Season,
    TouSchedule,
    check_seasons,
    hours_table,
    season_index,
)

TARIFF_DIR = Path(__file__).resolve().parent / "tariffs"

ENERGY_KINDS = ("flat", "tiered", "time_of_use")
BASE_KINDS = ("fixed", "energy", "demand", "credit")
"""Line kinds a percentage credit or tax may apply to."""
NET_METERING_RULES = ("none", "credit_up_to_delivered")
TOU_PERIODS = ("on_peak", "mid_peak", "off_peak", "ultra_low")
CUSTOMER_CLASSES = ("residential", "business")

_MONEY = {"¢": 1, "$": 100, "p": 1, "£": 100}
"""Currency symbol → minor units (cents, pence) per published unit."""
_SYMBOLS = {"CAD": ("¢", "$"), "USD": ("¢", "$"), "GBP": ("p", "£")}
_QUANTITIES = ("kWh", "day", "bill", "kW")
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_MONTH_DAY = re.compile(r"^(\d\d)-(\d\d)$")


class BillingError(Exception):
    """Anything the caller should show as is: bad tariff, no price in force, bad data."""


class TariffError(BillingError):
    """A tariff file is missing, unreadable or invalid."""


class NoVersionInForce(BillingError):
    """No version of the tariff covers a day of the billing period."""


# --------------------------------------------------------------------------- model


@dataclasses.dataclass(frozen=True)
class Price:
    """A price in its published unit, e.g. ``6.905 ¢/kWh`` or ``0.4 $/day``."""

    value: Decimal
    unit: str

    @property
    def per(self) -> str:
        return self.unit.split("/", 1)[1]

    @property
    def minor_per_unit(self) -> int:
        return _MONEY[self.unit.split("/", 1)[0]]

    def cents(self, quantity: Decimal | Fraction | int) -> Fraction:
        """Exact amount in minor units (cents, pence) for ``quantity``."""
        return Fraction(self.value) * Fraction(quantity) * self.minor_per_unit

    def __str__(self) -> str:
        return f"{self.value} {self.unit}"


@dataclasses.dataclass(frozen=True)
class Source:
    url: str
    retrieved: str
    note: str


@dataclasses.dataclass(frozen=True)
class FixedCharge:
    description: str
    price: Price
    """Per ``day`` or per ``bill``."""


@dataclasses.dataclass(frozen=True)
class Threshold:
    """Upper bound of a tier: kWh per day or per month, optionally by season."""

    per: str
    kwh: dict[str | None, Decimal]
    """Season name → kWh; the key ``None`` means every season."""

    def kwh_for(self, season: str | None) -> Decimal:
        return self.kwh[None] if None in self.kwh else self.kwh[season]


@dataclasses.dataclass(frozen=True)
class EnergyCharge:
    kind: str
    description: str
    prices: dict[str, Price]
    """Period name (``flat``, ``tier1``…, ``on_peak``…) → price, in line order."""
    thresholds: tuple[Threshold, ...] = ()
    """Tiered only: upper bounds of every tier but the last."""


@dataclasses.dataclass(frozen=True)
class DemandCharge:
    description: str
    price: Price
    """Per ``kW`` of the period's highest 15-minute delivered energy × 4."""


@dataclasses.dataclass(frozen=True)
class PercentLine:
    """A credit (rebate) or tax: ``percent`` of the lines of the ``on`` kinds."""

    description: str
    percent: Decimal
    on: frozenset[str]


@dataclasses.dataclass(frozen=True)
class Version:
    effective: dt.date
    until: dt.date | None
    source: Source
    fixed: tuple[FixedCharge, ...]
    energy: EnergyCharge
    demand: DemandCharge | None
    credits: tuple[PercentLine, ...]
    taxes: tuple[PercentLine, ...]


@dataclasses.dataclass(frozen=True)
class NetMetering:
    rule: str
    note: str


@dataclasses.dataclass(frozen=True)
class Segment:
    """The part of a billing period under one version (local dates, inclusive)."""

    version: Version
    first: dt.date
    last: dt.date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


@dataclasses.dataclass(frozen=True)
class Tariff:
    id: str
    name: str
    utility: str
    currency: str
    timezone: str
    customer_class: str
    seasons: tuple[Season, ...]
    holidays: HolidayRules | None
    time_of_use: TouSchedule | None
    net_metering: NetMetering
    versions: tuple[Version, ...]

    def season_of(self, day: dt.date) -> str | None:
        return self.seasons[season_index(self.seasons, day)].name if self.seasons else None

    def version_on(self, day: dt.date) -> Version:
        return self.segments(day, day)[0].version

    def segments(self, first: dt.date, last: dt.date) -> list[Segment]:
        """The versions in force over ``first..last``, split where the price changes."""
        if last < first:
            raise BillingError(f"the period ends ({last}) before it starts ({first})")
        if first < self.versions[0].effective:
            raise NoVersionInForce(
                f"{self.id} has no price in force on {first}: "
                f"its earliest version starts {self.versions[0].effective}"
            )
        final = self.versions[-1].until
        if final is not None and last > final:
            raise NoVersionInForce(
                f"{self.id} has no price in force on {final + dt.timedelta(days=1)}: "
                f"its latest version ends {final}"
            )
        out: list[Segment] = []
        for index, version in enumerate(self.versions):
            nxt = self.versions[index + 1] if index + 1 < len(self.versions) else None
            end = nxt.effective - dt.timedelta(days=1) if nxt else (version.until or last)
            lo, hi = max(first, version.effective), min(last, end)
            if lo <= hi:
                out.append(Segment(version, lo, hi))
        return out

    def pinned(self, effective: dt.date) -> Tariff:
        """This tariff with only the version starting ``effective``, in force for ever.

        For "a year at this quarter's prices" (how Ofgem states its headline bill).
        """
        chosen = [v for v in self.versions if v.effective == effective]
        if not chosen:
            raise NoVersionInForce(f"{self.id} has no version starting {effective}")
        only = dataclasses.replace(chosen[0], effective=dt.date.min, until=None)
        return dataclasses.replace(self, versions=(only,))


# --------------------------------------------------------------------------- loading


class _Loader(yaml.SafeLoader):
    """YAML with floats read as exact ``Decimal`` from their text."""


def _decimal_scalar(loader: yaml.SafeLoader, node: yaml.Node) -> Decimal:
    text = str(loader.construct_scalar(node)).replace("_", "")  # type: ignore[arg-type]
    try:
        return Decimal(text)
    except InvalidOperation:
        raise yaml.constructor.ConstructorError(
            None, None, f"{text!r} is not a decimal number", node.start_mark
        ) from None


_Loader.add_constructor("tag:yaml.org,2002:float", _decimal_scalar)


def available() -> list[str]:
    """Ids of the shipped tariffs."""
    return sorted(path.stem for path in TARIFF_DIR.glob("*.yaml"))


@functools.cache
def load_tariff(tariff_id: str) -> Tariff:
    """The shipped tariff ``tariff_id`` (validated once per process)."""
    if not _ID.match(tariff_id) or not (TARIFF_DIR / f"{tariff_id}.yaml").is_file():
        raise TariffError(f"unknown tariff {tariff_id!r}; known tariffs: {', '.join(available())}")
    return load_tariff_file(TARIFF_DIR / f"{tariff_id}.yaml")


def load_tariff_file(path: Path) -> Tariff:
    """Read and validate one tariff file (its name must be ``<id>.yaml``)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise TariffError(f"{path.name}: cannot be read ({error.strerror})") from None
    return parse_tariff(text, path.name)


def parse_tariff(text: str, filename: str) -> Tariff:
    """Validate a tariff document; ``filename`` names it in errors and fixes its id."""
    try:
        document = yaml.load(text, Loader=_Loader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as error:
        raise TariffError(f"{filename}: not valid YAML: {error}") from None
    return _TariffReader(filename).tariff(_Node(document, filename, ""))


class _Node:
    """A value in the document with its path, for error messages."""

    def __init__(self, value: Any, filename: str, path: str) -> None:
        self.value, self.filename, self.path = value, filename, path

    def error(self, message: str) -> TariffError:
        where = f"{self.filename}: {self.path}" if self.path else self.filename
        return TariffError(f"{where}: {message}")

    def child(self, key: str | int, value: Any) -> _Node:
        path = f"{self.path}[{key}]" if isinstance(key, int) else _join(self.path, key)
        return _Node(value, self.filename, path)

    def fields(self, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> _Fields:
        if not isinstance(self.value, dict):
            raise self.error(f"expected a mapping with {', '.join(required)}")
        unknown = sorted(str(k) for k in self.value if k not in required + optional)
        if unknown:
            allowed = ", ".join(required + optional)
            hint = (
                ' (quote the key "on": YAML reads on/off/yes/no as booleans)'
                if "True" in unknown
                else ""
            )
            raise self.error(f"unknown field(s) {', '.join(unknown)} (expected {allowed}){hint}")
        missing = [k for k in required if k not in self.value]
        if missing:
            raise self.error(f"missing field(s) {', '.join(missing)}")
        return _Fields(self)

    def items(self) -> Iterator[_Node]:
        if not isinstance(self.value, list) or not self.value:
            raise self.error("expected a non-empty list")
        for index, value in enumerate(self.value):
            yield self.child(index, value)

    def text(self) -> str:
        if not isinstance(self.value, str) or not self.value.strip():
            hint = (
                " (quote it: YAML reads ON, NO, YES as booleans)"
                if self.value in (True, False)
                else ""
            )
            raise self.error(f"expected a non-empty text, got {self.value!r}{hint}")
        return self.value.strip()

    def choice(self, options: tuple[str, ...]) -> str:
        value = self.text()
        if value not in options:
            raise self.error(f"{value!r} is not one of {', '.join(options)}")
        return value

    def decimal(self, *, positive: bool = False) -> Decimal:
        value = self.value
        if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
            raise self.error(f"expected a decimal number, got {value!r}")
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise self.error(f"{value!r} is not a decimal number") from None
        if not number.is_finite() or number < 0 or (positive and number == 0):
            sign = "positive" if positive else "zero or more"
            raise self.error(f"expected a {sign} finite number, got {value}")
        return number

    def date(self) -> dt.date:
        if isinstance(self.value, dt.datetime) or not isinstance(self.value, dt.date):
            raise self.error(f"expected a date YYYY-MM-DD, got {self.value!r}")
        return self.value

    def integer(self, lo: int, hi: int) -> int:
        if (
            isinstance(self.value, bool)
            or not isinstance(self.value, int)
            or not lo <= self.value <= hi
        ):
            raise self.error(f"expected a whole number from {lo} to {hi}, got {self.value!r}")
        return self.value


class _Fields:
    def __init__(self, node: _Node) -> None:
        self.node = node

    def __getitem__(self, key: str) -> _Node:
        return self.node.child(key, self.node.value[key])

    def get(self, key: str) -> _Node | None:
        return self[key] if key in self.node.value else None

    def opt(self, key: str, read: Callable[[_Node], Any], default: Any) -> Any:
        node = self.get(key)
        return default if node is None else read(node)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


class _TariffReader:
    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.currency = ""
        self.seasons: tuple[Season, ...] = ()
        self.tou: TouSchedule | None = None
        self.illustrative = False

    def tariff(self, root: _Node) -> Tariff:
        f = root.fields(
            ("id", "name", "utility", "currency", "timezone", "customer_class", "net_metering")
            + ("versions",),
            ("seasons", "holidays", "time_of_use", "illustrative"),
        )
        self.illustrative = f.opt("illustrative", lambda n: n.value is True, False)
        tariff_id = f["id"].text()
        if f"{tariff_id}.yaml" != self.filename:
            raise f["id"].error(f"{tariff_id!r} does not match the file name {self.filename}")
        self.currency = f["currency"].choice(tuple(_SYMBOLS))
        timezone = f["timezone"].text()
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise f["timezone"].error(f"{timezone!r} is not an IANA time zone") from None
        self.seasons = f.opt("seasons", self._seasons, ())
        holidays = f.opt("holidays", self._holidays, None)
        self.tou = f.opt("time_of_use", self._time_of_use, None)
        versions = tuple(self._version(node) for node in f["versions"].items())
        self._check_versions(f["versions"], versions)
        return Tariff(
            id=tariff_id,
            name=f["name"].text(),
            utility=f["utility"].text(),
            currency=self.currency,
            timezone=timezone,
            customer_class=f["customer_class"].choice(CUSTOMER_CLASSES),
            seasons=self.seasons,
            holidays=holidays,
            time_of_use=self.tou,
            net_metering=self._net_metering(f["net_metering"]),
            versions=versions,
        )

    # -- calendar

    def _seasons(self, node: _Node) -> tuple[Season, ...]:
        seasons = []
        for item in node.items():
            f = item.fields(("name", "from", "to"))
            seasons.append(Season(f["name"].text(), _month_day(f["from"]), _month_day(f["to"])))
        try:
            check_seasons(tuple(seasons))
        except CalendarError as error:
            raise node.error(str(error)) from None
        return tuple(seasons)

    def _holidays(self, node: _Node) -> HolidayRules:
        f = node.fields(
            ("country", "include"), ("subdiv", "categories", "weekend_rule", "add", "remove")
        )
        rules = HolidayRules(
            country=f["country"].text(),
            subdiv=f.opt("subdiv", _Node.text, None),
            categories=tuple(f.opt("categories", _texts, ("public",))),
            include=tuple(_texts(f["include"])),
            weekend_rule=f.opt("weekend_rule", _weekend_rule, "next_weekday"),
            add=tuple(f.opt("add", _dates, ())),
            remove=tuple(f.opt("remove", _dates, ())),
        )
        try:
            rules.check_names()
        except CalendarError as error:
            raise node.error(str(error)) from None
        return rules

    def _time_of_use(self, node: _Node) -> TouSchedule:
        f = node.fields(("periods", "windows"))
        periods = _texts(f["periods"])
        for index, period in enumerate(periods):
            if period not in TOU_PERIODS:
                raise (
                    f["periods"]
                    .child(index, period)
                    .error(f"{period!r} is not one of {', '.join(TOU_PERIODS)}")
                )
        windows = f["windows"]
        if not isinstance(windows.value, dict):
            raise windows.error("expected a mapping of season name (or all_year) to day types")
        names = [s.name for s in self.seasons]
        if list(windows.value) == ["all_year"]:
            seasons: tuple[Season, ...] = ()
            order = ["all_year"]
        elif sorted(map(str, windows.value)) == sorted(names):
            seasons, order = self.seasons, names
        else:
            raise windows.error(f"expected all_year, or one entry per season ({', '.join(names)})")
        table = []
        for name in order:
            day = windows.child(name, windows.value[name])
            g = day.fields(("weekday", "weekend"))
            table.append((self._hours(g["weekday"], periods), self._hours(g["weekend"], periods)))
        return TouSchedule(tuple(periods), seasons, tuple(table))

    def _hours(self, node: _Node, periods: list[str]) -> tuple[int, ...]:
        if not isinstance(node.value, dict):
            raise node.error("expected a mapping of period to [[start_hour, end_hour], …]")
        windows: dict[str, list[tuple[int, int]]] = {}
        for period, spans in node.value.items():
            where = node.child(str(period), spans)
            if period not in periods:
                raise where.error(f"{period!r} is not in time_of_use.periods")
            windows[period] = []
            for span in where.items():
                if not isinstance(span.value, list) or len(span.value) != 2:
                    raise span.error("expected [start_hour, end_hour]")
                start = span.child(0, span.value[0]).integer(0, 23)
                end = span.child(1, span.value[1]).integer(1, 24)
                windows[period].append((start, end))
        try:
            return hours_table(windows, periods)
        except CalendarError as error:
            raise node.error(str(error)) from None

    def _net_metering(self, node: _Node) -> NetMetering:
        f = node.fields(("rule",), ("note",))
        return NetMetering(f["rule"].choice(NET_METERING_RULES), f.opt("note", _Node.text, ""))

    # -- versions

    def _version(self, node: _Node) -> Version:
        f = node.fields(
            ("effective", "source", "energy"), ("until", "fixed", "demand", "credits", "taxes")
        )
        source = f["source"].fields(("retrieved", "note"), ("url",))
        url = source.opt("url", _Node.text, "")
        if not url.startswith("https://") and not self.illustrative:
            raise f["source"].error("expected url: the https:// address of the published page")
        return Version(
            effective=f["effective"].date(),
            until=f.opt("until", _Node.date, None),
            source=Source(url, str(source["retrieved"].value), source["note"].text()),
            fixed=tuple(f.opt("fixed", lambda n: [self._fixed(i) for i in n.items()], ())),
            energy=self._energy(f["energy"]),
            demand=f.opt("demand", self._demand, None),
            credits=tuple(f.opt("credits", lambda n: [self._percent(i) for i in n.items()], ())),
            taxes=tuple(f.opt("taxes", lambda n: [self._percent(i) for i in n.items()], ())),
        )

    def _price(self, value: _Node, unit: _Node, per: tuple[str, ...]) -> Price:
        text = unit.text()
        money, _, quantity = text.partition("/")
        if money not in _SYMBOLS[self.currency] or quantity not in per:
            allowed = ", ".join(f"{m}/{q}" for m in _SYMBOLS[self.currency] for q in per)
            raise unit.error(f"{text!r} is not a {self.currency} price unit here ({allowed})")
        return Price(value.decimal(), text)

    def _fixed(self, node: _Node) -> FixedCharge:
        f = node.fields(("description", "price", "unit"))
        return FixedCharge(
            f["description"].text(), self._price(f["price"], f["unit"], ("day", "bill"))
        )

    def _demand(self, node: _Node) -> DemandCharge:
        f = node.fields(("description", "price", "unit"))
        return DemandCharge(f["description"].text(), self._price(f["price"], f["unit"], ("kW",)))

    def _percent(self, node: _Node) -> PercentLine:
        f = node.fields(("description", "percent", "on"))
        on = _texts(f["on"])
        for index, kind in enumerate(on):
            if kind not in BASE_KINDS:
                raise (
                    f["on"]
                    .child(index, kind)
                    .error(f"{kind!r} is not one of {', '.join(BASE_KINDS)}")
                )
        percent = f["percent"].decimal(positive=True)
        if percent > 100:
            raise f["percent"].error(f"{percent} is more than 100")
        return PercentLine(f["description"].text(), percent, frozenset(on))

    def _energy(self, node: _Node) -> EnergyCharge:
        kind = node.fields(("type",), ("description", "unit", "price", "tiers", "prices"))["type"]
        match kind.choice(ENERGY_KINDS):
            case "flat":
                f = node.fields(("type", "unit", "price"), ("description",))
                price = self._price(f["price"], f["unit"], ("kWh",))
                description = f.opt("description", _Node.text, "Energy")
                return EnergyCharge("flat", description, {"flat": price})
            case "tiered":
                return self._tiered(node)
            case _:
                return self._tou_prices(node)

    def _tiered(self, node: _Node) -> EnergyCharge:
        f = node.fields(("type", "unit", "tiers"), ("description",))
        tiers = list(f["tiers"].items())
        if len(tiers) < 2:
            raise f["tiers"].error("a tiered charge needs at least two tiers")
        prices: dict[str, Price] = {}
        thresholds = []
        for index, item in enumerate(tiers):
            last = index == len(tiers) - 1
            g = item.fields(("price",) if last else ("price", "up_to"))
            prices[f"tier{index + 1}"] = self._price(g["price"], f["unit"], ("kWh",))
            if not last:
                thresholds.append(self._threshold(g["up_to"]))
        description = f.opt("description", _Node.text, "Energy")
        return EnergyCharge("tiered", description, prices, tuple(thresholds))

    def _threshold(self, node: _Node) -> Threshold:
        f = node.fields((), ("kwh_per_day", "kwh_per_month"))
        keys = [k for k in ("kwh_per_day", "kwh_per_month") if f.get(k) is not None]
        if len(keys) != 1:
            raise node.error("expected exactly one of kwh_per_day, kwh_per_month")
        value = f[keys[0]]
        per = keys[0].removeprefix("kwh_per_")
        if not isinstance(value.value, dict):
            return Threshold(per, {None: value.decimal(positive=True)})
        names = sorted(s.name for s in self.seasons)
        if sorted(map(str, value.value)) != names:
            raise value.error(f"expected one threshold per season ({', '.join(names) or 'none'})")
        return Threshold(
            per,
            {str(k): value.child(str(k), v).decimal(positive=True) for k, v in value.value.items()},
        )

    def _tou_prices(self, node: _Node) -> EnergyCharge:
        f = node.fields(("type", "unit", "prices"), ("description",))
        if self.tou is None:
            raise node.error("a time_of_use charge needs the tariff's time_of_use schedule")
        prices_node = f["prices"]
        if not isinstance(prices_node.value, dict):
            raise prices_node.error("expected a mapping of period to price")
        if sorted(map(str, prices_node.value)) != sorted(self.tou.periods):
            raise prices_node.error(f"expected a price for each of {', '.join(self.tou.periods)}")
        prices = {
            str(period): self._price(prices_node.child(str(period), value), f["unit"], ("kWh",))
            for period, value in prices_node.value.items()
        }
        return EnergyCharge("time_of_use", f.opt("description", _Node.text, "Energy"), prices)

    def _check_versions(self, node: _Node, versions: tuple[Version, ...]) -> None:
        for index, (before, after) in enumerate(zip(versions, versions[1:], strict=False)):
            where = node.child(index + 1, None).child("effective", None)
            if after.effective <= before.effective:
                raise where.error("versions must be listed by strictly increasing effective date")
            if before.until is not None:
                raise (
                    node.child(index, None)
                    .child("until", None)
                    .error("only the latest version may have an end date")
                )
            if after.energy.kind != before.energy.kind:
                raise where.error(
                    f"energy type changes from {before.energy.kind} to {after.energy.kind}; "
                    "a new rate structure is a new tariff id"
                )
        last = versions[-1]
        if last.until is not None and last.until < last.effective:
            raise (
                node.child(len(versions) - 1, None)
                .child("until", None)
                .error("ends before it starts")
            )


def _weekend_rule(node: _Node) -> str:
    return node.choice(("next_weekday", "none"))


def _dates(node: _Node) -> list[dt.date]:
    return [item.date() for item in node.items()]


def _texts(node: _Node) -> list[str]:
    return [item.text() for item in node.items()]


def _month_day(node: _Node) -> tuple[int, int]:
    match = _MONTH_DAY.match(node.text())
    if not match:
        raise node.error(f"expected MM-DD, got {node.value!r}")
    month, day = int(match[1]), int(match[2])
    try:
        dt.date(2024, month, day)
    except ValueError:
        raise node.error(f"{node.value!r} is not a day of the year") from None
    return month, day
