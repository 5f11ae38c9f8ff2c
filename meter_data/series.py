"""An interval series in columns (numpy): what every parser yields and every store takes.

Columns are exact integers: start instants in UTC epoch seconds, durations in
seconds, energy in milliwatt-hours, quality as ``ReadingQuality`` values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from customer_model import MWH_PER_KWH

Int64 = npt.NDArray[np.int64]


class InvalidSeries(ValueError):
    """Readings that cannot be stored as they are (negative duration, overlap …)."""


@dataclass
class IntervalSeries:
    """Readings of one meter (or one usage point), any order, possibly with repeats."""

    start_ts: Int64
    duration_s: Int64
    delivered_mwh: Int64
    received_mwh: Int64
    quality: Int64
    notes: dict[str, Any] = field(default_factory=dict)
    """What the parser learnt on the way (interval length, time zone, source ids …)."""

    @classmethod
    def empty(cls) -> IntervalSeries:
        zero = np.zeros(0, dtype=np.int64)
        return cls(zero, zero.copy(), zero.copy(), zero.copy(), zero.copy())

    @classmethod
    def from_columns(cls, **columns: npt.ArrayLike) -> IntervalSeries:
        arrays = {name: np.asarray(value, dtype=np.int64) for name, value in columns.items()}
        lengths = {len(value) for value in arrays.values()}
        if len(lengths) > 1:
            raise InvalidSeries(f"columns of different lengths: {lengths}")
        return cls(**arrays)

    def __len__(self) -> int:
        return len(self.start_ts)

    def sorted_unique(self) -> tuple[IntervalSeries, int]:
        """Sorted by start, one reading per start (the last seen wins); and how many repeats.

        Repeats inside one file happen in real exports (overlapping blocks).
        """
        if len(self) == 0:
            return self, 0
        order = np.argsort(self.start_ts, kind="stable")
        starts = self.start_ts[order]
        last_of_run = np.append(starts[1:] != starts[:-1], True)
        keep = order[last_of_run]
        return self.take(keep), int(len(self) - len(keep))

    def take(self, index: npt.NDArray[np.intp]) -> IntervalSeries:
        return IntervalSeries(
            self.start_ts[index],
            self.duration_s[index],
            self.delivered_mwh[index],
            self.received_mwh[index],
            self.quality[index],
            dict(self.notes),
        )

    def validate(self) -> None:
        """Refuse what no meter can produce; expects :meth:`sorted_unique` output."""
        if len(self) == 0:
            return
        if (self.duration_s <= 0).any():
            bad = int(self.start_ts[self.duration_s <= 0][0])
            raise InvalidSeries(f"interval starting at {bad} has a duration <= 0")
        if (self.delivered_mwh < 0).any() or (self.received_mwh < 0).any():
            raise InvalidSeries("negative energy in a reading")
        ends = self.start_ts + self.duration_s
        if (ends[:-1] > self.start_ts[1:]).any():
            at = int(self.start_ts[1:][ends[:-1] > self.start_ts[1:]][0])
            raise InvalidSeries(f"intervals overlap at {at}")

    def gap_count(self) -> int:
        """How many holes there are between consecutive readings (not how long)."""
        if len(self) < 2:
            return 0
        ends = self.start_ts[:-1] + self.duration_s[:-1]
        return int((self.start_ts[1:] > ends).sum())

    def kwh_delivered(self) -> Decimal:
        return Decimal(int(self.delivered_mwh.sum())) / MWH_PER_KWH

    def kwh_received(self) -> Decimal:
        return Decimal(int(self.received_mwh.sum())) / MWH_PER_KWH
