"""Storing a parsed series for a meter: idempotent, atomic, rollups kept in step.

Idempotent: a reading whose ``(meter, start)`` is already stored with the same
values is a duplicate and changes nothing; one with other values is a correction
and replaces it. Atomic: everything happens in the caller's transaction, so a
failure (or a refused file, checked before anything is written) stores nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import Connection, bindparam, select, update
from sqlalchemy.orm import Session

from customer_model import (
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
)

from .bulk import bulk_insert
from .rollups import rebuild_daily_usage
from .series import IntervalSeries
from .summary import ImportSummary

_READING = IntervalReading.__table__
_VALUE_COLUMNS = ("duration_s", "delivered_mwh", "received_mwh", "quality")


class UnknownMeter(LookupError):
    """No meter with that serial (and creating one was not asked for)."""


def store_series(
    connection: Connection, meter_id: int, tz: str, series: IntervalSeries, serial: str = ""
) -> ImportSummary:
    """Write ``series`` for one meter and rebuild the local days it touches."""
    series, repeats = series.sorted_unique()
    series.validate()
    summary = ImportSummary(meter=serial, duplicates=repeats, gaps=series.gap_count())
    if len(series) == 0:
        return summary
    summary.first, summary.last = int(series.start_ts[0]), int(series.start_ts[-1])
    summary.kwh_delivered, summary.kwh_received = series.kwh_delivered(), series.kwh_received()
    existing = _existing(connection, meter_id, summary.first, summary.last)
    stored = np.isin(series.start_ts, existing["start_ts"], assume_unique=True)
    new = series.take(np.flatnonzero(~stored))
    bulk_insert(connection, _READING, _columns(meter_id, new))
    summary.imported = len(new)
    changed = _changed(series.take(np.flatnonzero(stored)), existing)
    _update(connection, meter_id, changed)
    summary.updated = len(changed)
    summary.duplicates += int(stored.sum()) - len(changed)
    rebuild_daily_usage(
        connection,
        meter_id,
        tz,
        summary.first,
        summary.last + 1,
        known=_now_stored(series, existing),
    )
    return summary


def _now_stored(
    series: IntervalSeries, existing: dict[str, np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The meter's readings in the file's range after the write (the rollup needs no re-read)."""
    kept = ~np.isin(existing["start_ts"], series.start_ts, assume_unique=True)
    names = ("start_ts", "delivered_mwh", "received_mwh", "quality")
    return tuple(  # type: ignore[return-value]
        np.concatenate([existing[name][kept], getattr(series, name)]) for name in names
    )


def _existing(
    connection: Connection, meter_id: int, first: int, last: int
) -> dict[str, np.ndarray]:
    rows = connection.execute(
        select(_READING.c.start_ts, *(_READING.c[name] for name in _VALUE_COLUMNS))
        .where(_READING.c.meter_id == meter_id, _READING.c.start_ts.between(first, last))
        .order_by(_READING.c.start_ts)
    ).all()
    names = ("start_ts", *_VALUE_COLUMNS)
    return {
        name: np.array([row[i] for row in rows], dtype=np.int64) for i, name in enumerate(names)
    }


def _changed(incoming: IntervalSeries, existing: dict[str, np.ndarray]) -> IntervalSeries:
    """The already-stored readings whose values differ in the file."""
    if len(incoming) == 0:
        return incoming
    at = np.searchsorted(existing["start_ts"], incoming.start_ts)
    differs = np.zeros(len(incoming), dtype=bool)
    for name in _VALUE_COLUMNS:
        differs |= getattr(incoming, name) != existing[name][at]
    return incoming.take(np.flatnonzero(differs))


def _columns(meter_id: int, series: IntervalSeries) -> dict[str, object]:
    """Columns for ``bulk_insert``; one value throughout (900 s, quality 0 …) goes as a scalar."""
    return {
        "meter_id": meter_id,
        "start_ts": series.start_ts,
        **{name: _scalar_if_constant(getattr(series, name)) for name in _VALUE_COLUMNS},
    }


def _scalar_if_constant(values: np.ndarray) -> np.ndarray | int:
    if len(values) and (values == values[0]).all():
        return int(values[0])
    return values


def _update(connection: Connection, meter_id: int, changed: IntervalSeries) -> None:
    if len(changed) == 0:
        return
    statement = (
        update(_READING)
        .where(_READING.c.meter_id == meter_id, _READING.c.start_ts == bindparam("ts"))
        .values({name: bindparam(f"v_{name}") for name in _VALUE_COLUMNS})
    )
    rows = [
        {
            "ts": int(changed.start_ts[i]),
            **{f"v_{n}": int(getattr(changed, n)[i]) for n in _VALUE_COLUMNS},
        }
        for i in range(len(changed))
    ]
    connection.execute(statement, rows)


def resolve_meter(
    session: Session, serial: str, create: bool = False, tz: str = "America/Toronto"
) -> Meter:
    """The meter with ``serial``; with ``create``, a new one at a placeholder premise.

    The placeholder customer, premise and account make the readings reachable in
    the customer model until the utility links the meter to the real ones.
    """
    meter = session.scalar(select(Meter).where(Meter.serial == serial))
    if meter is not None:
        return meter
    today = dt.datetime.now(ZoneInfo(tz)).date()
    if not create:
        raise UnknownMeter(f"no meter with serial {serial!r} (use --create-meter to create it)")
    customer = Customer(
        customer_number="IMP" + hashlib.sha256(serial.encode()).hexdigest()[:14],
        kind=CustomerKind.PERSON,
        customer_type=CustomerType.RESIDENTIAL,
        display_name=f"Unassigned (imported meter {serial})",
        timezone=tz,
    )
    premise = Premise(
        name=f"Placeholder for meter {serial}",
        address_line="(unknown)",
        city="(unknown)",
        region="(unknown)",
        postal_code="",
        timezone=tz,
        dwelling_type=DwellingType.DETACHED,
        heating_type=HeatingType.NONE,
        climate_region="unknown",
    )
    account = ServiceAccount(
        account_number="IMP" + hashlib.sha256(serial.encode()).hexdigest()[:12],
        customer=customer,
        premise=premise,
        status=AccountStatus.PENDING,
        start_date=today,
        tariff_code="unknown",
    )
    meter = Meter(serial=serial, premise=premise, install_date=today)
    session.add_all([customer, premise, account, meter])
    session.flush()
    return meter
