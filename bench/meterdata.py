"""Meter-data benchmark (not a test): import, queries, portfolio totals, bytes on disk.

Run ``make bench`` (or ``python bench/meterdata.py``). On a temporary SQLite file and
on a temporary database created on the PostgreSQL server of ``PG_URL`` (default
``postgresql+psycopg://postgres@127.0.0.1:5432/test``; skipped if unreachable, or
with ``--sqlite-only``) it measures, each figure the median (p50) of several runs:

* **import**: a three-year 15-minute file (105,216 readings, generated with numpy,
  written as Green Button XML by our exporter) through the Green Button importer
  (``import_greenbutton``: parse + store + daily rollup), each run into a new meter;
  and the store step alone (``store_series`` of the parsed series, with its rollup);
* **queries**: one meter-year (2025) at 15-minute, hourly, daily and monthly resolution;
* **portfolio**: monthly totals of 1,000 meter-years (``daily_usage`` rows generated
  in bulk by SQL, 365,000 of them) with one GROUP BY;
* **bytes on disk per reading**: SQLite ``dbstat`` pages of ``interval_reading`` /
  rows; PostgreSQL ``pg_total_relation_size`` (heap + primary key) / rows.

Prints a table and merges ``bench/results.json``
(``{"figure": {"value": n, "unit": "ms|readings/s|bytes", "target": n or null}}``).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from sqlalchemy import Engine, insert, select, text  # noqa: E402

from customer_model import IntervalReading, Meter, make_engine, schema  # noqa: E402
from meter_data import queries  # noqa: E402
from meter_data.export_greenbutton import UsagePointInfo, feed_chunks  # noqa: E402
from meter_data.greenbutton import parse_greenbutton  # noqa: E402
from meter_data.greenbutton.importer import import_greenbutton, store_greenbutton  # noqa: E402
from meter_data.series import IntervalSeries  # noqa: E402
from tests.databases import reachable, temporary_database  # noqa: E402

PG_URL = os.environ.get("PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
RESULTS = ROOT / "bench" / "results.json"
TZ = "America/Toronto"
FILE_FIRST, FILE_LAST = dt.date(2023, 1, 1), dt.date(2025, 12, 31)
YEAR_FIRST, YEAR_LAST = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
PORTFOLIO_METERS = 1_000

TARGETS = {
    ("sqlite", "import"): 200_000,
    ("sqlite", "store"): 200_000,
    ("*", "query day"): 20,
    ("*", "portfolio"): 500,
}


# --- data -----------------------------------------------------------------------------------


def three_years() -> IntervalSeries:
    """A plausible household: daily and seasonal shape, noise, a few estimated readings."""
    lo, hi = queries.local_range(FILE_FIRST, FILE_LAST, TZ)
    ts = np.arange(lo, hi, 900, dtype=np.int64)
    rng = np.random.default_rng(20241101)
    hour = ((ts - 5 * 3600) % 86_400) / 3600
    season = np.cos((ts - lo) / (365.25 * 86_400) * 2 * np.pi)
    shape = 0.25 + 0.2 * np.exp(-((hour - 7.5) ** 2) / 3) + 0.35 * np.exp(-((hour - 19) ** 2) / 6)
    kwh = shape * (1 + 0.3 * season) * rng.lognormal(0, 0.25, len(ts))
    quality = np.where(rng.random(len(ts)) < 0.002, 1, 0)
    return IntervalSeries.from_columns(
        start_ts=ts,
        duration_s=np.full(len(ts), 900),
        delivered_mwh=np.round(kwh * 1_000_000).astype(np.int64),
        received_mwh=np.zeros(len(ts), dtype=np.int64),
        quality=quality,
    )


def write_file(series: IntervalSeries, path: Path) -> float:
    """The series as a Green Button file (our exporter); returns the seconds it took."""
    info = UsagePointInfo(meter_id=1, tz=TZ, title="Benchmark household")
    started = time.perf_counter()
    with path.open("wb") as out:
        for piece in feed_chunks(info, lambda: [series], year=FILE_LAST.year):
            out.write(piece)
    return time.perf_counter() - started


# --- measuring ------------------------------------------------------------------------------


def p50(action: Callable[[], Any], runs: int, warm_up: bool = False) -> float:
    """Median wall time of ``action`` in seconds."""
    if warm_up:
        action()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


class Figures:
    def __init__(self, backend: str) -> None:
        self.backend = backend
        self.rows: list[tuple[str, float, str, float | None]] = []

    def add(self, key: str, name: str, value: float, unit: str) -> None:
        target = TARGETS.get((self.backend, key), TARGETS.get(("*", key)))
        self.rows.append((f"{self.backend}: {name}", value, unit, target))


def bench_database(engine: Engine, backend: str, path: Path, series: IntervalSeries, runs: int):
    figures = Figures(backend)
    count = len(series)

    # import: the whole Green Button path, each run into a new meter
    serials = [f"BENCH-{uuid.uuid4().hex[:8]}" for _ in range(runs)]
    times = []
    for serial in serials:
        started = time.perf_counter()
        (summary,) = import_greenbutton(engine, str(path), meter_serial=serial, create_meter=True)
        times.append(time.perf_counter() - started)
        assert summary.imported == count, summary
    figures.add(
        "import",
        "import Green Button 3-year 15-min file (parse + store + rollup)",
        count / statistics.median(times),
        "readings/s",
    )
    parsed = parse_greenbutton(str(path))
    parse_s = p50(lambda: parse_greenbutton(str(path)), max(1, runs - 1))
    figures.add("parse", "  of which: parse the file", count / parse_s, "readings/s")

    store_runs = runs + 2
    store_times = []
    for _ in range(store_runs):
        serial = f"STORE-{uuid.uuid4().hex[:8]}"
        started = time.perf_counter()
        store_greenbutton(engine, parsed, meter_serial=serial, create_meter=True)
        store_times.append(time.perf_counter() - started)
    figures.add(
        "store",
        "  of which: store parsed series (store_series + rollup)",
        count / statistics.median(store_times),
        "readings/s",
    )

    # one meter-year at each resolution
    with engine.connect() as connection:
        meter_id = connection.scalar(select(Meter.id).where(Meter.serial == serials[0]))
        for resolution in queries.RESOLUTIONS:
            seconds = p50(
                lambda r=resolution: queries.usage_series(
                    connection, meter_id, TZ, YEAR_FIRST, YEAR_LAST, r
                ),
                runs=7,
                warm_up=True,
            )
            key = "query day" if resolution == "day" else f"query {resolution}"
            figures.add(key, f"one meter-year query, {resolution}", seconds * 1000, "ms")

    # 1,000 meter-years of daily_usage, summed per month
    with engine.begin() as connection:
        premise_id = connection.scalar(select(Meter.premise_id).where(Meter.id == meter_id))
        ids = make_portfolio(connection, premise_id)
    with engine.connect() as connection:
        seconds = p50(
            lambda: queries.portfolio_monthly(connection, ids, YEAR_FIRST, YEAR_LAST),
            runs=7,
            warm_up=True,
        )
        totals = queries.portfolio_monthly(connection, ids, YEAR_FIRST, YEAR_LAST)
        assert int(totals.meter_days.sum()) == PORTFOLIO_METERS * 365
        figures.add("portfolio", "monthly totals of 1,000 meter-years", seconds * 1000, "ms")
        seconds = p50(
            lambda: queries.portfolio_daily(connection, ids, YEAR_FIRST, YEAR_LAST),
            runs=5,
            warm_up=True,
        )
        figures.add("portfolio daily", "daily totals of 1,000 meter-years", seconds * 1000, "ms")
        figures.add("bytes", "bytes on disk per reading", bytes_per_reading(connection), "bytes")
    return figures


def make_portfolio(connection, premise_id: int) -> list[int]:
    """1,000 meters with a year of ``daily_usage`` each, generated by the database itself."""
    prefix = f"PF{uuid.uuid4().hex[:6]}-"
    connection.execute(
        insert(Meter.__table__),
        [
            {
                "serial": f"{prefix}{n}",
                "premise_id": premise_id,
                "interval_minutes": 15,
                "multiplier": 1,
                "install_date": YEAR_FIRST,
                "is_net_metered": False,
            }
            for n in range(PORTFOLIO_METERS)
        ],
    )
    params = {"prefix": f"{prefix}%", "first": YEAR_FIRST, "last": YEAR_LAST}
    columns = (
        "meter_id, local_date, delivered_mwh, received_mwh, reading_count, "
        "estimated_count, peak_interval_mwh"
    )
    if connection.dialect.name == "postgresql":
        statement = f"""
            INSERT INTO daily_usage ({columns})
            SELECT m.id, d::date, 5000000 + (random() * 60000000)::bigint, 0, 96, 0, 2000000
            FROM meter m
            CROSS JOIN generate_series(CAST(:first AS date), CAST(:last AS date),
                                       interval '1 day') AS d
            WHERE m.serial LIKE :prefix"""
    else:
        statement = f"""
            INSERT INTO daily_usage ({columns})
            WITH RECURSIVE days(d) AS (
                SELECT :first UNION ALL SELECT date(d, '+1 day') FROM days WHERE d < :last
            )
            SELECT m.id, days.d, 5000000 + abs(random() % 60000000), 0, 96, 0, 2000000
            FROM meter m, days
            WHERE m.serial LIKE :prefix"""
    connection.execute(text(statement), params)
    if connection.dialect.name == "postgresql":
        connection.execute(text("ANALYZE daily_usage"))
    else:
        connection.execute(text("ANALYZE"))
    return list(
        connection.scalars(
            select(Meter.id).where(Meter.serial.like(f"{prefix}%")).order_by(Meter.id)
        )
    )


def bytes_per_reading(connection) -> float:
    rows = connection.scalar(select(text("count(*)")).select_from(IntervalReading.__table__))
    if connection.dialect.name == "postgresql":
        size = connection.scalar(text("SELECT pg_total_relation_size('interval_reading')"))
    else:
        size = connection.scalar(
            text("SELECT sum(pgsize) FROM dbstat WHERE name = 'interval_reading'")
        )
    return int(size) / int(rows)


# --- databases ------------------------------------------------------------------------------


@contextlib.contextmanager
def sqlite_database() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        yield f"sqlite:///{folder}/bench.db"


@contextlib.contextmanager
def postgres_database(url: str) -> Iterator[str]:
    """A fresh database on ``url``'s server, dropped afterwards."""
    with temporary_database(Path(tempfile.gettempdir()), url, prefix="portal_bench") as fresh:
        yield fresh


# --- report ---------------------------------------------------------------------------------


def _format(value: float, unit: str) -> str:
    if unit == "readings/s":
        return f"{value:,.0f}"
    if unit == "bytes":
        return f"{value:.1f}"
    return f"{value:.2f}"


def report(figures: list[Figures], extra: list[tuple[str, float, str, float | None]]) -> None:
    rows = [row for group in figures for row in group.rows] + extra
    width = max(len(name) for name, *_ in rows)
    print(f"\n{'figure':<{width}}  {'value':>14}  {'unit':<10}  target")
    print("-" * (width + 40))
    for name, value, unit, target in rows:
        if target is None:
            verdict = ""
        else:
            met = value >= target if unit == "readings/s" else value <= target
            goal = f"≥ {target:,}" if unit == "readings/s" else f"< {target:,}"
            verdict = f"{goal}  {'ok' if met else 'MISSED'}"
        print(f"{name:<{width}}  {_format(value, unit):>14}  {unit:<10}  {verdict}")

    stored = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    for name, value, unit, target in rows:
        rounded = round(value) if unit == "readings/s" else round(value, 2)
        stored[name.replace("  of which: ", "")] = {
            "value": rounded,
            "unit": unit,
            "target": target,
        }
    RESULTS.write_text(json.dumps(stored, indent=2, ensure_ascii=False) + "\n")
    print(f"\nwritten to {RESULTS.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sqlite-only", action="store_true", help="skip PostgreSQL")
    parser.add_argument("--runs", type=int, default=3, help="imports per database (p50)")
    args = parser.parse_args()

    started = time.perf_counter()
    series = three_years()
    extra = []
    with tempfile.TemporaryDirectory(prefix="bench-gb-") as folder:
        path = Path(folder) / "three-years.xml"
        export_s = write_file(series, path)
        size = path.stat().st_size
        rate = len(series) / export_s
        extra.append(("export: 3-year Green Button file", rate, "readings/s", None))
        extra.append(("export: file bytes per reading", size / len(series), "bytes", None))
        print(
            f"{len(series):,} readings, Green Button file {size / 1e6:.1f} MB "
            f"written in {export_s:.2f} s"
        )
        backends = [("sqlite", sqlite_database())]
        if not args.sqlite_only and reachable(PG_URL):
            backends.append(("postgresql", postgres_database(PG_URL)))
        results = []
        for backend, database in backends:
            with database as url:
                engine = make_engine(url)
                try:
                    schema.upgrade(engine)
                    print(f"{backend}: measuring …", flush=True)
                    results.append(bench_database(engine, backend, path, series, args.runs))
                finally:
                    engine.dispose()
    report(results, extra)
    print(f"benchmark took {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
