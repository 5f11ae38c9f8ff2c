"""Write a generated demo into an empty database, fast, in one transaction.

Customers and their surroundings go through the ORM (a few hundred rows);
readings and weather go through the driver in bulk (binary COPY on PostgreSQL,
``executemany`` on SQLite), and the daily rollups are computed from the arrays
already in memory rather than read back.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.orm import Session

from customer_model import Customer, IntervalReading, WeatherObservation
from meter_data import bulk_insert, daily_totals, foreign_keys_checked_once, insert_daily_totals

from .bills import generate_bills
from .cast import AGENT, CUSTOMERS
from .events import INTERACTIONS
from .generator import DemoData, generate
from .greenbutton import greenbutton_hook
from .records import add_records
from .window import INTERVAL_S

DEFAULT_SEED = 20241101


class DemoDataRefused(RuntimeError):
    """Demo data goes only into a database without customers."""


def load_demo_data(engine: Engine, seed: int, end: dt.date) -> dict[str, Any]:
    """Generate the demo for ``seed`` and ``end`` and store it; returns a summary.

    Raises :class:`DemoDataRefused` if the database already holds customers.
    The schema must be migrated already (``customer_model.schema.upgrade``).
    """
    clock = _Stopwatch()
    data = generate(seed, end)
    clock.lap("generate")
    with engine.begin() as connection:
        existing = connection.scalar(select(func.count()).select_from(Customer))
        if existing:
            raise DemoDataRefused(
                f"the database already holds {existing} customers; "
                "demo data is only loaded into an empty database"
            )
        with Session(bind=connection) as session:
            meter_ids = {key: meter.id for key, meter in add_records(session, data).items()}
        clock.lap("records")
        readings = _insert_readings(connection, data, meter_ids)
        weather_rows = _insert_weather(connection, data)
        clock.lap("readings")
        daily_rows = sum(
            insert_daily_totals(
                connection,
                meter_ids[meter.premise.key],
                daily_totals(
                    meter.start_ts,
                    meter.delivered_mwh,
                    meter.received_mwh,
                    meter.quality,
                    meter.premise.tz,
                ),
            )
            for meter in data.meters
        )
        clock.lap("rollups")
        bills = generate_bills(connection, data, meter_ids)
        clock.lap("bills")
        greenbutton = greenbutton_hook(connection, data)
        clock.lap("greenbutton")
    clock.lap("commit")
    summary = _summary(data, meter_ids, readings, daily_rows, weather_rows, bills, clock.laps)
    summary["greenbutton"] = greenbutton
    return summary


def _insert_readings(connection: Connection, data: DemoData, meter_ids: dict[str, int]) -> int:
    table = IntervalReading.__table__
    count = 0
    with foreign_keys_checked_once(connection, table):
        for meter in data.meters:
            count += bulk_insert(
                connection,
                table,
                {
                    "meter_id": meter_ids[meter.premise.key],
                    "start_ts": meter.start_ts,
                    "duration_s": INTERVAL_S,
                    "delivered_mwh": meter.delivered_mwh,
                    "received_mwh": meter.received_mwh,
                    "quality": meter.quality,
                },
            )
    return count


def _insert_weather(connection: Connection, data: DemoData) -> int:
    return sum(
        bulk_insert(
            connection,
            WeatherObservation.__table__,
            {
                "climate_region": series.climate.region,
                "start_ts": series.hour_ts,
                "temperature_dc": series.temperature_dc(),
            },
        )
        for series in data.weather
    )


class _Stopwatch:
    def __init__(self) -> None:
        self.started = self.last = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self.last, 3)
        self.laps["total"] = round(now - self.started, 3)
        self.last = now


def _summary(
    data: DemoData,
    meter_ids: dict[str, int],
    readings: int,
    daily_rows: int,
    weather_rows: int,
    bills: int,
    timings: dict[str, float],
) -> dict[str, Any]:
    return {
        "seed": data.seed,
        "end": data.window.end.isoformat(),
        "window": {
            "start": data.window.start.isoformat(),
            "end": data.window.end.isoformat(),
            "days": data.window.days,
        },
        "customers": len(CUSTOMERS),
        "premises": len(data.meters),
        "meters": len(data.meters),
        "readings": readings,
        "daily_rows": daily_rows,
        "weather_rows": weather_rows,
        "outages": len(data.outages),
        "interactions": len(INTERACTIONS),
        "users": sum(len(c.users) for c in CUSTOMERS) + len([AGENT]),
        "bills": bills,
        "gaps": [
            {
                "premise": gap.premise,
                "serial": gap.serial,
                "meter_id": meter_ids[gap.premise],
                "start_ts": gap.start_ts,
                "end_ts": gap.end_ts,
                "intervals": gap.intervals,
            }
            for gap in data.gaps
        ],
        "meter_totals": {
            meter.serial: {
                "premise": meter.premise.key,
                "meter_id": meter_ids[meter.premise.key],
                "timezone": meter.premise.tz,
                **meter.totals(),
            }
            for meter in data.meters
        },
        "fingerprint": data.fingerprint(),
        "timings_s": timings,
    }
