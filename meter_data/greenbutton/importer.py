"""Green Button file → readings of the customer model: whole file checked, then one transaction.

Which meter gets which usage point (documented in the CLI help too):

* ``meter_serial=S`` and one usage point with electricity → meter ``S``;
* ``meter_serial=S`` and several → meters ``S-1``, ``S-2`` … in document order
  of the usage points that carry electricity (``S`` is then a prefix);
* ``serial_prefix=P`` → always ``P-1``, ``P-2`` … even for a single point.

Usage points without electricity (gas, water …) store nothing and need no
meter: their summary has ``"meter": ""`` and lists what was skipped. Series
that are not electricity inside an electric usage point (Hydro One's hourly
temperature) are listed in that point's ``skipped_series``.

Nothing is written unless the whole file parses and every meter resolves
(``create_meter`` makes missing ones at a placeholder premise); then all
usage points are stored in one transaction, so a failure stores nothing.
Importing the same file again changes nothing (``imported`` 0, all
``duplicates``); a file that corrects readings updates them (``updated``).
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, select
from sqlalchemy.orm import Session

from customer_model import Meter

from ..store import resolve_meter, store_series
from ..summary import ImportSummary
from .errors import GreenButtonError
from .model import GreenButtonFile, UsagePoint
from .parse import Source, parse_greenbutton

DEFAULT_TIMEZONE = "America/Toronto"
"""Zone of a created meter's placeholder premise when the file names none we know."""

_SERIAL_LENGTH = 40
_SMALLINT_MINUTES = 1_440
"""Interval lengths up to a day fit ``meter.interval_minutes``; longer ones are billing reads."""


def import_greenbutton(
    target: Engine | Connection,
    source: Source,
    meter_serial: str | None = None,
    create_meter: bool = False,
    serial_prefix: str | None = None,
) -> list[ImportSummary]:
    """Parse ``source`` (path or binary file) whole, then store it; one summary per usage point.

    Raises :class:`GreenButtonError` for a refused file, :class:`~meter_data.store.UnknownMeter`
    for a meter that does not exist without ``create_meter``, ``ValueError`` for bad serials;
    in every case nothing is written.
    """
    parsed = parse_greenbutton(source)
    return store_greenbutton(target, parsed, meter_serial, create_meter, serial_prefix)


def store_greenbutton(
    target: Engine | Connection,
    parsed: GreenButtonFile,
    meter_serial: str | None = None,
    create_meter: bool = False,
    serial_prefix: str | None = None,
) -> list[ImportSummary]:
    """Store an already parsed file (see :func:`import_greenbutton`)."""
    serials = meter_serials(parsed, meter_serial, serial_prefix)
    if isinstance(target, Engine):
        with target.begin() as connection:
            return _store(connection, parsed, serials, create_meter)
    if target.in_transaction():
        with target.begin_nested():  # a savepoint: a failure undoes our part only
            return _store(target, parsed, serials, create_meter)
    with target.begin():
        return _store(target, parsed, serials, create_meter)


def meter_serials(
    parsed: GreenButtonFile, meter_serial: str | None, serial_prefix: str | None
) -> list[str | None]:
    """The meter serial of each usage point, in document order (``None``: no electricity)."""
    if (meter_serial is None) == (serial_prefix is None):
        raise ValueError("give either a meter serial or a serial prefix")
    if not parsed.usage_points:
        raise GreenButtonError("nothing to import: the file holds no UsagePoint with readings")
    electric = parsed.electricity
    base = (meter_serial if meter_serial is not None else serial_prefix or "").strip()
    if not base:
        raise ValueError("the meter serial is empty")
    if serial_prefix is None and len(electric) <= 1:
        names = [base]
    else:
        names = [f"{base}-{number}" for number in range(1, len(electric) + 1)]
    too_long = [name for name in names if len(name) > _SERIAL_LENGTH]
    if too_long:
        raise ValueError(f"meter serial {too_long[0]!r} is longer than {_SERIAL_LENGTH} characters")
    by_point = dict(zip(map(id, electric), names, strict=False))
    return [by_point.get(id(point)) for point in parsed.usage_points]


def _store(
    connection: Connection,
    parsed: GreenButtonFile,
    serials: list[str | None],
    create_meter: bool,
) -> list[ImportSummary]:
    with Session(bind=connection, join_transaction_mode="rollback_only") as session:
        meters = [
            None if serial is None else _meter(session, serial, point, create_meter, parsed)
            for point, serial in zip(parsed.usage_points, serials, strict=True)
        ]
        session.flush()
    summaries = []
    for point, serial, meter in zip(parsed.usage_points, serials, meters, strict=True):
        if serial is None or meter is None:
            summary = ImportSummary(meter="")
        else:
            meter_id, tz = meter
            summary = store_series(connection, meter_id, tz, point.series, serial)
            summary.duplicates += point.duplicates
        summary.skipped_series = point.skipped_series()
        summaries.append(summary)
    return summaries


def _meter(
    session: Session, serial: str, point: UsagePoint, create: bool, parsed: GreenButtonFile
) -> tuple[int, str]:
    """Id and premise time zone of the meter for ``point`` (created if asked)."""
    meter = session.scalar(select(Meter).where(Meter.serial == serial))
    if meter is None:
        meter = resolve_meter(session, serial, create=create, tz=point.zone or DEFAULT_TIMEZONE)
        lengths = point.series.notes.get("interval_lengths") or []
        if len(lengths) == 1 and lengths[0] % 60 == 0 and lengths[0] // 60 <= _SMALLINT_MINUTES:
            meter.interval_minutes = lengths[0] // 60
        meter.is_net_metered = bool(point.series.received_mwh.any())
        session.flush()
        if point.zone is None and point.local_time is not None:
            parsed.warnings.append(
                f"meter {serial}: the file's local time ({point.local_time.describe()}) matches "
                f"no known zone; its new premise uses {DEFAULT_TIMEZONE}"
            )
    tz = meter.premise.timezone
    if point.zone is not None and point.zone != tz:
        parsed.warnings.append(
            f"meter {serial}: the file's local time is {point.zone} but the premise's zone "
            f"{tz} decides the local days"
        )
    return meter.id, tz
