"""Downloads from the usage page: ``/dashboards/export/<csv|xml>?meter=&from=&to=``.

A plain Flask route under the Dash prefix, so the same ``before_request`` guard
(signed in, both factors, ``view_usage``) runs first; then the meter id and the
dates are checked here exactly as in the callbacks: the meter through the
user's scope (404 when not theirs), the dates clipped to the days their
accounts cover. Files stream from :mod:`meter_data.export_csv` and
:mod:`meter_data.export_greenbutton` a few weeks at a time.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from flask import Blueprint, Response, abort, request, stream_with_context
from sqlalchemy.orm import Session as OrmSession

from auth.scoping import current_scope, requires
from customer_model import Permission, Session
from meter_data import export_csv, export_greenbutton
from meter_data.queries import iter_interval_chunks

from . import periods
from .data import MeterView, Span, resolve_meter
from .guard import PREFIX
from .selection import meter_id

bp = Blueprint("dashboard_exports", __name__, url_prefix=PREFIX + "export")

FORMATS = {
    "csv": ("text/csv", "csv"),
    "xml": ("application/atom+xml", "xml"),
}


@bp.get("/<fmt>")
@requires(Permission.VIEW_USAGE)
def download(fmt: str) -> Response:
    if fmt not in FORMATS:
        abort(404)
    session = Session()
    meter = resolve_meter(session, current_scope(), meter_id(request.args.get("meter")))
    if meter is None or meter.data_span is None:
        abort(404)
    first, last = meter.data_span
    for name in ("from", "to"):
        given = request.args.get(name)
        if given is not None and periods.parse_date(given) is None:
            abort(404)
    first = periods.parse_date(request.args.get("from")) or first
    last = periods.parse_date(request.args.get("to")) or last
    spans = meter.visible(min(first, last), max(first, last))
    if not spans:
        abort(404)
    first, last = spans[0][0], spans[-1][1]
    mimetype, extension = FORMATS[fmt]
    name = filename(meter, first, last, extension)
    body = _csv(session, meter, spans) if fmt == "csv" else _xml(session, meter, spans, last)
    return Response(
        stream_with_context(body),
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def filename(meter: MeterView, first: dt.date, last: dt.date, extension: str) -> str:
    """``usage-<serial>-<from>_<to>.<ext>``, safe in a header whatever the serial holds."""
    serial = re.sub(r"[^A-Za-z0-9_-]", "_", meter.serial)[:40]
    return f"usage-{serial}-{first.isoformat()}_{last.isoformat()}.{extension}"


def _csv(session: OrmSession, meter: MeterView, spans: list[Span]) -> Iterator[str]:
    for index, (first, last) in enumerate(spans):
        pieces = export_csv.csv_chunks(session, meter.id, meter.tz, first, last)
        if index:  # one header for the whole file
            next(pieces)
        yield from pieces


def _xml(
    session: OrmSession, meter: MeterView, spans: list[Span], last: dt.date
) -> Iterator[bytes]:
    info = export_greenbutton.usage_point_info(session, meter.id)

    def chunks():  # type: ignore[no-untyped-def]
        for a, b in spans:
            yield from iter_interval_chunks(session, meter.id, meter.tz, a, b)

    return export_greenbutton.feed_chunks(info, chunks, year=last.year)
