"""Dashboard benchmark (not a test): server time and payload of each usage-page callback.

Run ``make bench`` (or ``python bench/dashboards.py``). For one household with
three years of 15-minute readings (105,000 of them, generated with numpy, with
hourly weather for its region, stored through ``meter_data.bulk`` and rolled up
with ``meter_data.rollups``) in a temporary SQLite file and, when ``PG_URL`` is
reachable, a temporary PostgreSQL database, it signs in with password + TOTP
through the real forms and posts each callback's real payload through the
Flask test client (CSRF header included), as the browser does:

* **warm**: the same call repeated (``--runs``, default 30) after one call:
  what a customer sees when they come back to a period; p50 and p95;
* **cold**: the same, with the dashboards' in-process caches (month profiles,
  weather, zone offsets) emptied before every call: a first visit; p50 and p95;
* **payload**: the response bytes of the call (each figure update).

Targets (issue 6): p95 < 150 ms server time and < 300 KB per figure update.
Each backend runs in its own process (Dash allows one app per process). Prints
a table and merges ``bench/results.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from sqlalchemy import Engine, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from customer_model import (  # noqa: E402
    AccountStatus,
    Customer,
    CustomerKind,
    CustomerType,
    DwellingType,
    HeatingType,
    IntervalReading,
    Meter,
    Premise,
    ServiceAccount,
    WeatherObservation,
    make_engine,
    schema,
)
from meter_data import bulk_insert, daily_totals, insert_daily_totals, queries  # noqa: E402

PG_URL = os.environ.get("PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
RESULTS = ROOT / "bench" / "results.json"
TZ = "America/Toronto"
REGION = "ontario-ottawa"
FIRST, LAST = dt.date(2023, 11, 1), dt.date(2026, 10, 31)
TARGET_MS, TARGET_KB = 150, 300
OVERLAYS = ["previous", "last_year", "weather"]


# --- data -----------------------------------------------------------------------------------


def weather_and_readings() -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Hourly °C (tenths) and 15-minute readings of an electrically heated home."""
    lo, hi = queries.local_range(FIRST, LAST, TZ)
    rng = np.random.default_rng(20241101)
    hours = np.arange(lo, hi, 3600, dtype=np.int64)
    season = np.cos((hours - 948_499_200) / (365.2425 * 86_400) * 2 * np.pi)
    daily = np.cos(((hours - 5 * 3600) % 86_400) / 86_400 * 2 * np.pi - np.pi * 1.2)
    celsius = 5.5 - 15.5 * season + 4 * daily + np.cumsum(rng.normal(0, 0.4, len(hours))) % 6 - 3
    ts = np.arange(lo, hi, 900, dtype=np.int64)
    hour = ((ts - 5 * 3600) % 86_400) / 3600
    outdoor = np.repeat(celsius, 4)[: len(ts)]
    shape = 0.3 + 0.25 * np.exp(-((hour - 7.5) ** 2) / 3) + 0.45 * np.exp(-((hour - 19) ** 2) / 6)
    heating = np.maximum(16 - outdoor, 0) * 0.06
    kwh = (shape + heating) * rng.lognormal(0, 0.2, len(ts))
    readings = {
        "start_ts": ts,
        "delivered_mwh": np.rint(kwh / 4 * 1e6).astype(np.int64),
        "received_mwh": np.zeros(len(ts), dtype=np.int64),
        "quality": np.where(rng.random(len(ts)) < 0.002, 1, 0).astype(np.int64),
    }
    return hours, np.rint(celsius * 10).astype(np.int64), readings


def load_household(engine: Engine) -> tuple[int, Any]:
    """The customer, premise, account, meter, a signed-up user; returns (meter id, credentials)."""
    from tests.auth_helpers import make_user

    hours, tenths, readings = weather_and_readings()
    with Session(engine) as db:
        customer = Customer(
            customer_number="B0000001",
            kind=CustomerKind.PERSON,
            customer_type=CustomerType.RESIDENTIAL,
            display_name="Benchmark Household",
        )
        premise = Premise(
            address_line="1 Benchmark Road",
            city="Ottawa",
            region="ON",
            postal_code="K1A 0B1",
            timezone=TZ,
            dwelling_type=DwellingType.DETACHED,
            heating_type=HeatingType.ELECTRIC_BASEBOARD,
            climate_region=REGION,
        )
        account = ServiceAccount(
            account_number="9000000001",
            customer=customer,
            premise=premise,
            status=AccountStatus.ACTIVE,
            start_date=FIRST,
            tariff_code="ontario-rpp-tou",
        )
        meter = Meter(
            serial="BENCH0001",
            premise=premise,
            interval_minutes=15,
            multiplier=Decimal(1),
            install_date=FIRST,
        )
        db.add_all([customer, premise, account, meter])
        db.commit()
        meter_id, customer_id = meter.id, customer.id
        creds = make_user(db, customer=db.get(Customer, customer_id))
    with engine.begin() as connection:
        bulk_insert(
            connection,
            IntervalReading.__table__,
            {"meter_id": meter_id, "duration_s": 900, **readings},
        )
        bulk_insert(
            connection,
            WeatherObservation.__table__,
            {"climate_region": REGION, "start_ts": hours, "temperature_dc": tenths},
        )
        totals = daily_totals(
            readings["start_ts"],
            readings["delivered_mwh"],
            readings["received_mwh"],
            readings["quality"],
            TZ,
        )
        insert_daily_totals(connection, meter_id, totals)
        if connection.dialect.name == "postgresql":
            connection.execute(text("ANALYZE"))
    return meter_id, creds


# --- the calls --------------------------------------------------------------------------------


def scenarios(meter_id: int) -> list[tuple[str, str, dict[str, Any], list[str] | None]]:
    """(name, first output, control values, changed props) of each figure update."""

    def values(kind: str, resolution: str | None = None, **more: Any) -> dict[str, Any]:
        base = {
            "usage-meter.value": meter_id,
            "usage-range.value": kind,
            "usage-anchor.value": None,
            "usage-from.value": None,
            "usage-to.value": None,
            "usage-resolution.value": resolution,
            "usage-overlays.value": OVERLAYS,
        }
        return {**base, **more}

    three_years = {"usage-from.value": FIRST.isoformat(), "usage-to.value": LAST.isoformat()}
    zoom = {
        "usage-main-graph.relayoutData": {
            "xaxis.range[0]": "2026-03-06 00:00",
            "xaxis.range[1]": "2026-03-09 00:00",
        }
    }
    main, habits, refine = (
        "usage-title.children",
        "usage-tou-graph.figure",
        "usage-main-graph.figure",
    )
    return [
        ("chart: day (15 min)", main, values("day", "15min"), None),
        ("chart: week (hourly)", main, values("week", "hour"), None),
        ("chart: month (daily)", main, values("month", "day"), None),
        ("chart: year (monthly)", main, values("year", "month"), None),
        ("chart: year (15 min overview)", main, values("year", "15min"), None),
        ("chart: 3 years (daily)", main, values("custom", "day", **three_years), None),
        ("chart: zoom into 3 days (15 min)", refine, {**values("year", "15min"), **zoom}, None),
        ("habits: month", habits, values("month"), None),
        ("habits: year", habits, values("year"), None),
        ("habits: 3 years", habits, values("custom", **three_years), None),
    ]


def clear_caches() -> None:
    from dashboards import clock, profiles, weather

    profiles._memo.clear()  # noqa: SLF001 - the benchmark measures first visits too
    weather._hourly.clear()  # noqa: SLF001
    weather._daily.clear()  # noqa: SLF001
    clock._year.cache_clear()  # noqa: SLF001


def measure(
    call: Callable[[], Any], runs: int, before: Callable[[], None] | None
) -> dict[str, float]:
    times, sizes = [], []
    call()  # imports, first compilation of SQL: not part of either figure
    for _ in range(runs):
        if before is not None:
            before()
        started = time.perf_counter()
        response = call()
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
        sizes.append(len(response.data))
    cuts = statistics.quantiles(times, n=20)
    return {"p50": statistics.median(times), "p95": cuts[18], "kb": max(sizes) / 1024}


def run_backend(url: str, runs: int) -> dict[str, dict[str, dict[str, float]]]:
    """All scenarios on the database at ``url`` (called in a child process)."""
    from app import create_app
    from tests.auth_helpers import TEST_SECRET_KEY, sign_in
    from tests.dashboards.dash_client import DashClient

    engine = make_engine(url)
    schema.upgrade(engine)
    started = time.perf_counter()
    meter_id, creds = load_household(engine)
    print(f"  household loaded in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": TEST_SECRET_KEY})
    client = app.test_client()
    sign_in(client, creds)
    browser = DashClient(client)
    out: dict[str, dict[str, dict[str, float]]] = {}
    for name, output, values, changed in scenarios(meter_id):
        body = browser.body(output, values, changed)
        out[name] = {
            "warm": measure(lambda b=body: browser.post(b), runs, None),
            "cold": measure(lambda b=body: browser.post(b), max(runs // 3, 5), clear_caches),
        }
        print(f"  {name}: done", file=sys.stderr)
    engine.dispose()
    return out


# --- databases and report ---------------------------------------------------------------------


def child(backend: str, runs: int) -> None:
    import tempfile

    from tests.databases import temporary_database

    os.environ["DATABASE_URL"] = PG_URL if backend == "postgresql" else ""
    with (
        tempfile.TemporaryDirectory(prefix="bench-dash-") as folder,
        temporary_database(Path(folder)) as url,
    ):
        print(json.dumps(run_backend(url, runs)))


def report(results: dict[str, dict[str, dict[str, dict[str, float]]]]) -> None:
    print(
        f"\n{'backend / callback':<48} {'warm p50':>9} {'p95':>7} "
        f"{'cold p50':>9} {'p95':>7} {'KB':>7}"
    )
    print("-" * 92)
    stored = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    for backend, calls in results.items():
        for name, figures in calls.items():
            warm, cold = figures["warm"], figures["cold"]
            flags = []
            if warm["p95"] >= TARGET_MS:
                flags.append("warm p95 MISSED")
            if cold["p95"] >= TARGET_MS:
                flags.append("cold p95 missed")
            if warm["kb"] >= TARGET_KB:
                flags.append("payload MISSED")
            print(
                f"{backend + ': ' + name:<48} {warm['p50']:>9.1f} {warm['p95']:>7.1f} "
                f"{cold['p50']:>9.1f} {cold['p95']:>7.1f} {warm['kb']:>7.1f}  {', '.join(flags)}"
            )
            prefix = f"{backend}: dashboards {name}"
            stored[f"{prefix}, p50"] = {
                "value": round(warm["p50"], 2),
                "unit": "ms",
                "target": None,
            }
            stored[f"{prefix}, p95"] = {
                "value": round(warm["p95"], 2),
                "unit": "ms",
                "target": TARGET_MS,
            }
            stored[f"{prefix}, cold p95"] = {
                "value": round(cold["p95"], 2),
                "unit": "ms",
                "target": None,
            }
            stored[f"{prefix}, payload"] = {
                "value": round(warm["kb"], 1),
                "unit": "KB",
                "target": TARGET_KB,
            }
    RESULTS.write_text(json.dumps(stored, indent=2, ensure_ascii=False) + "\n")
    print(
        f"\nms: server time through the Flask test client; written to {RESULTS.relative_to(ROOT)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sqlite-only", action="store_true", help="skip PostgreSQL")
    parser.add_argument("--runs", type=int, default=30, help="calls per callback (warm)")
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.backend:
        child(args.backend, args.runs)
        return
    started = time.perf_counter()
    backends = ["sqlite"]
    from tests.databases import reachable

    if not args.sqlite_only and reachable(PG_URL):
        backends.append("postgresql")
    results = {}
    for backend in backends:
        print(f"{backend}: three years of 15-minute readings, {args.runs} calls per callback")
        done = subprocess.run(  # noqa: S603 - our own script, fixed arguments
            [sys.executable, __file__, "--backend", backend, "--runs", str(args.runs)],
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "PG_URL": PG_URL},
        )
        sys.stderr.write(done.stderr)
        results[backend] = json.loads(done.stdout.strip().splitlines()[-1])
    report(results)
    print(f"benchmark took {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
