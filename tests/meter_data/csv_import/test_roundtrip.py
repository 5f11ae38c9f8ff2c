"""Property: a series written as a generic local-time CSV in a DST zone reads back identically.

The writer is deliberately naive (``datetime.fromtimestamp(ts, zone)`` and
``Decimal`` text), so this checks the parser's DST handling and exact units
against the standard library, across spring-forward gaps and fall-back repeats.

One honest limit: a wall-clock label in the repeated hour names the right
instant only through its neighbours, so the generated series never leave a
hole inside the repeated stretch nor start in it (a file like that is
ambiguous to anyone, not only to this parser).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from meter_data.csv_import import CsvOptions, parse_csv
from meter_data.local_time import offset_table

ZONES = [
    "America/Toronto",
    "America/Los_Angeles",
    "America/St_Johns",  # half-hour offsets
    "Europe/London",
    "Australia/Lord_Howe",  # a 30-minute DST shift
    "Pacific/Chatham",  # +12:45 / +13:45
]
MWH_PER = {"kWh": 1_000_000, "Wh": 1_000}


def _utc(year: int) -> int:
    return int(dt.datetime(year, 1, 1, tzinfo=dt.UTC).timestamp())


def _transitions(year: int, tz: str) -> tuple[list[int], list[tuple[int, int]]]:
    """All offset changes of the year, and the fall-back ones with their shift."""
    since, offsets = offset_table(_utc(year) - 86_400, _utc(year + 1) + 86_400, tz)
    changes = [int(t) for t in since[1:]]
    backs = [
        (int(since[k]), int(offsets[k - 1] - offsets[k]))
        for k in range(1, len(since))
        if offsets[k] < offsets[k - 1]
    ]
    return changes, backs


@st.composite
def cases(draw: st.DrawFn) -> dict:
    tz = draw(st.sampled_from(ZONES))
    year = draw(st.integers(2008, 2035))
    changes, backs = _transitions(year, tz)
    step = 60 * draw(st.sampled_from([5, 15, 30, 60]))
    count = draw(st.integers(1, 250))
    anchor = (draw(st.sampled_from(changes)) // step) * step
    first = anchor + step * draw(st.integers(-count, 8))
    labels = draw(st.sampled_from(["start", "end"]))
    # Never start inside (or just before) a repeated stretch: see the module docstring.
    for change, back in backs:
        if change - back - 2 * step <= first < change + back + step:
            first = ((change - back) // step) * step - 2 * step
    starts = first + step * np.arange(count, dtype=np.int64)
    keep = np.array(draw(st.lists(st.booleans(), min_size=count, max_size=count)))
    keep[0] = True
    for change, back in backs:  # no holes around the repeated stretch
        keep |= (starts >= change - back - 2 * step) & (starts <= change + back + step)
    n = int(keep.sum())
    values = st.lists(st.integers(0, 10**10), min_size=n, max_size=n)
    return {
        "tz": tz,
        "step": step,
        "labels": labels,
        "unit": draw(st.sampled_from(["kWh", "Wh"])),
        "starts": starts[keep],
        "delivered": np.array(draw(values), dtype=np.int64),
        "received": np.array(draw(values), dtype=np.int64),
    }


def _write(case: dict) -> bytes:
    zone, per = ZoneInfo(case["tz"]), MWH_PER[case["unit"]]
    shift = case["step"] if case["labels"] == "end" else 0
    lines = ["when,delivered,received"]
    for start, delivered, received in zip(
        case["starts"].tolist(), case["delivered"].tolist(), case["received"].tolist(), strict=True
    ):
        label = dt.datetime.fromtimestamp(start + shift, zone).strftime("%Y-%m-%d %H:%M")
        lines.append(f"{label},{Decimal(delivered) / per},{Decimal(received) / per}")
    return ("\n".join(lines) + "\n").encode()


@settings(max_examples=100, deadline=None)
@given(cases())
def test_local_time_csv_round_trips_exactly(case):
    options = CsvOptions(
        layout="generic",
        timestamp_col="when",
        value_col="delivered",
        received_col="received",
        unit=case["unit"],
        interval_minutes=case["step"] // 60,
        timestamps=case["labels"],
        tz=case["tz"],
    )
    series = parse_csv(_write(case), options)
    assert series.start_ts.tolist() == case["starts"].tolist()
    assert series.delivered_mwh.tolist() == case["delivered"].tolist()
    assert series.received_mwh.tolist() == case["received"].tolist()
    assert set(series.duration_s.tolist()) == {case["step"]}
