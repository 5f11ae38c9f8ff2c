"""Local wall-clock features of a series of UTC instants (what loads depend on)."""

from __future__ import annotations

import dataclasses

import numpy as np
import numpy.typing as npt

from meter_data import utc_offsets
from meter_data.local_time import SECONDS_PER_DAY

from .window import INTERVAL_S

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclasses.dataclass(frozen=True)
class LocalClock:
    """Per interval: UTC start, and the local day, hour, weekday, month, day of year."""

    ts: IntArray
    local_s: IntArray
    """Local wall-clock seconds since 1970-01-01 (UTC instant + offset)."""
    day: IntArray
    """Local date, days since 1970-01-01."""
    hour: FloatArray
    """Local hour of day at the interval's midpoint, 0 ≤ hour < 24."""
    weekday: IntArray
    """Monday is 0."""
    month: IntArray
    day_of_month: IntArray
    day_of_year: IntArray
    """1 on 1 January."""

    @classmethod
    def of(cls, ts: IntArray, tz: str) -> LocalClock:
        local_s = ts + utc_offsets(ts, tz)
        day = local_s // SECONDS_PER_DAY
        dates = day.astype("datetime64[D]")
        month_start = dates.astype("datetime64[M]")
        year_start = dates.astype("datetime64[Y]").astype("datetime64[D]")
        return cls(
            ts=ts,
            local_s=local_s,
            day=day,
            hour=((local_s - day * SECONDS_PER_DAY) + INTERVAL_S / 2) / 3600.0,
            weekday=(day + 3) % 7,  # 1970-01-01 was a Thursday
            month=month_start.astype(np.int64) % 12 + 1,
            day_of_month=(dates - month_start.astype("datetime64[D]")).astype(np.int64) + 1,
            day_of_year=(dates - year_start).astype(np.int64) + 1,
        )

    @property
    def first_day(self) -> int:
        return int(self.day[0])

    @property
    def day_index(self) -> IntArray:
        """Index of each interval's local day from the first one (for per-day draws)."""
        return self.day - self.first_day

    @property
    def day_count(self) -> int:
        return int(self.day[-1]) - self.first_day + 1

    @property
    def weekend(self) -> npt.NDArray[np.bool_]:
        return self.weekday >= 5

    def between(self, start: tuple[int, int], end: tuple[int, int]) -> npt.NDArray[np.bool_]:
        """True on local dates from ``start`` to ``end`` ((month, day), inclusive; may wrap)."""
        key = self.month * 100 + self.day_of_month
        low, high = start[0] * 100 + start[1], end[0] * 100 + end[1]
        return (key >= low) & (key <= high) if low <= high else (key >= low) | (key <= high)
