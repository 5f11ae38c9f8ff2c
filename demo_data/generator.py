"""The pure demo generator: seed + end date → every meter's readings and the weather.

No database here, so tests can check determinism and shapes cheaply, and the
loader only has to write what this returns. Same seed and end date give
byte-identical arrays (see :meth:`DemoData.fingerprint`).

Bills are not made here: the loader bills these arrays with the billing
calculator in :func:`demo_data.bills.generate_bills`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

from customer_model import ReadingQuality
from meter_data import local_day_start

from .cast import PremiseSpec, all_premises, premise
from .clock import LocalClock
from .events import OUTAGES, OutageSpec
from .identifiers import Identifiers, draw_identifiers
from .loads import LoadContext
from .profiles import LOAD_MODELS
from .randomness import stream
from .weather import CLIMATES, WeatherSeries, simulate_weather
from .window import INTERVAL_S, Window

IntArray = npt.NDArray[np.int64]


@dataclasses.dataclass(frozen=True)
class GapSpec:
    """Readings deliberately absent: ``hours`` from ``from_hour`` on the window's day N."""

    premise: str
    day_offset: int
    from_hour: float
    hours: float


GAPS: tuple[GapSpec, ...] = (
    GapSpec("tremblay-home", 120, 13.0, 3.0),  # a 3-hour hole
    GapSpec("office-kanata", 400, 0.0, 24.0),  # a whole local day
    GapSpec("macleod-home", 250, 11.25, 0.25),  # a single quarter-hour
)


@dataclasses.dataclass(frozen=True)
class Gap:
    premise: str
    serial: str
    start_ts: int
    end_ts: int
    """Start of the first reading after the gap."""
    intervals: int


@dataclasses.dataclass(frozen=True)
class OutageEvent:
    spec: OutageSpec
    start_ts: int
    end_ts: int


@dataclasses.dataclass(frozen=True)
class MeterSeries:
    """One meter's readings over the window, gaps already removed."""

    premise: PremiseSpec
    serial: str
    start_ts: IntArray
    delivered_mwh: IntArray
    received_mwh: IntArray
    quality: IntArray

    def totals(self) -> dict[str, int]:
        return {
            "readings": len(self.start_ts),
            "delivered_mwh": int(self.delivered_mwh.sum()),
            "received_mwh": int(self.received_mwh.sum()),
            "estimated": int((self.quality == ReadingQuality.ESTIMATED).sum()),
        }


@dataclasses.dataclass(frozen=True)
class DemoData:
    seed: int
    window: Window
    identifiers: Identifiers
    weather: tuple[WeatherSeries, ...]
    meters: tuple[MeterSeries, ...]
    gaps: tuple[Gap, ...]
    outages: tuple[OutageEvent, ...]

    def fingerprint(self) -> str:
        """SHA-256 over every generated array: equal fingerprints, identical data."""
        digest = hashlib.sha256()
        for series in self.weather:
            digest.update(series.climate.region.encode())
            digest.update(series.hour_ts.tobytes() + series.temperature_dc().tobytes())
        for meter in self.meters:
            digest.update(meter.serial.encode())
            for array in (meter.start_ts, meter.delivered_mwh, meter.received_mwh, meter.quality):
                digest.update(array.tobytes())
        return digest.hexdigest()


def generate(seed: int, end: dt.date, premises: Iterable[str] | None = None) -> DemoData:
    """Weather for every region and readings for ``premises`` (default: all of them)."""
    window = Window.ending(end)
    identifiers = draw_identifiers(seed)
    weather = {
        region: simulate_weather(seed, climate, window) for region, climate in CLIMATES.items()
    }
    outages = tuple(_resolve_outage(spec, window) for spec in OUTAGES)
    chosen = [premise(key) for key in premises] if premises is not None else all_premises()
    clocks: dict[str, LocalClock] = {}
    meters, gaps = [], []
    for spec in chosen:
        clock = clocks.get(spec.tz) or clocks.setdefault(
            spec.tz, LocalClock.of(window.interval_starts(spec.tz), spec.tz)
        )
        serial = identifiers.serials[spec.key]
        meter, meter_gaps = _meter_series(seed, spec, serial, clock, weather, outages)
        meters.append(meter)
        gaps.extend(meter_gaps)
    return DemoData(
        seed, window, identifiers, tuple(weather.values()), tuple(meters), tuple(gaps), outages
    )


def _resolve_outage(spec: OutageSpec, window: Window) -> OutageEvent:
    tz = premise(spec.premises[0]).tz
    day = spec.date_in(window)
    start = local_day_start(day, tz) + spec.local_time.hour * 3600 + spec.local_time.minute * 60
    return OutageEvent(spec, start, start + spec.minutes * 60)


def _meter_series(
    seed: int,
    spec: PremiseSpec,
    serial: str,
    clock: LocalClock,
    weather: dict[str, WeatherSeries],
    outages: tuple[OutageEvent, ...],
) -> tuple[MeterSeries, list[Gap]]:
    region = weather[spec.climate_region]
    middle = clock.ts + INTERVAL_S // 2
    ctx = LoadContext(
        premise=spec,
        climate=region.climate,
        clock=clock,
        outdoor_c=region.temperature_at(middle),
        clearness=region.clearness_at(middle),
        rng=stream(seed, "load", spec.key),
    )
    delivered_kw, received_kw = LOAD_MODELS[spec.load_model](ctx).net_kw()
    supplied = _supplied_fraction(clock.ts, spec.key, outages)
    delivered = _to_mwh(delivered_kw * supplied)
    received = _to_mwh(received_kw * supplied)
    quality = _estimated_runs(stream(seed, "quality", spec.key), len(clock.ts))

    keep = np.ones(len(clock.ts), dtype=bool)
    gaps = []
    for gap in (g for g in GAPS if g.premise == spec.key):
        seconds = clock.local_s - clock.day * 86_400
        hole = (
            (clock.day_index == gap.day_offset)
            & (seconds >= gap.from_hour * 3600)
            & (seconds < (gap.from_hour + gap.hours) * 3600)
        )
        index = np.flatnonzero(hole)
        keep &= ~hole
        start, stop = int(clock.ts[index[0]]), int(clock.ts[index[-1]]) + INTERVAL_S
        gaps.append(Gap(spec.key, serial, start, stop, len(index)))
    series = MeterSeries(
        spec, serial, clock.ts[keep], delivered[keep], received[keep], quality[keep]
    )
    return series, gaps


def _supplied_fraction(ts: IntArray, key: str, outages: tuple[OutageEvent, ...]) -> np.ndarray:
    """Share of each interval with power on (0 inside an outage, partial at its edges)."""
    supplied = np.ones(len(ts))
    for outage in (o for o in outages if key in o.spec.premises):
        overlap = np.clip(
            np.minimum(ts + INTERVAL_S, outage.end_ts) - np.maximum(ts, outage.start_ts),
            0,
            INTERVAL_S,
        )
        supplied -= overlap / INTERVAL_S
    return supplied


def _to_mwh(kw: np.ndarray) -> IntArray:
    """Average kW over a quarter-hour → whole watt-hours (as meters report) → mWh."""
    return np.rint(kw * 250.0).astype(np.int64) * 1000


def _estimated_runs(rng: np.random.Generator, size: int) -> IntArray:
    """A few short runs of estimated reads (a meter that failed to report, back-filled)."""
    quality = np.full(size, int(ReadingQuality.ACTUAL), dtype=np.int64)
    for _ in range(int(rng.poisson(4))):
        start = int(rng.integers(0, size))
        quality[start : start + int(rng.integers(1, 9))] = ReadingQuality.ESTIMATED
    return quality
