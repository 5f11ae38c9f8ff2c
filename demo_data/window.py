"""The demo's time window: two full years of local days ending at ``end``."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import numpy.typing as npt

from meter_data import local_day_start

INTERVAL_S = 900
"""Quarter-hour readings, as smart meters in Ontario and Quebec record them."""


@dataclasses.dataclass(frozen=True)
class Window:
    """Local days ``[start, end)``; each premise reads them in its own zone."""

    start: dt.date
    end: dt.date

    @classmethod
    def ending(cls, end: dt.date, years: int = 2) -> Window:
        """The window ending at local midnight of ``end``, ``years`` calendar years long."""
        try:
            start = end.replace(year=end.year - years)
        except ValueError:  # 29 February
            start = end.replace(year=end.year - years, day=28)
        return cls(start, end)

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def bounds(self, tz: str) -> tuple[int, int]:
        """UTC epoch seconds of local midnight at ``start`` and at ``end`` in ``tz``."""
        return local_day_start(self.start, tz), local_day_start(self.end, tz)

    def interval_starts(self, tz: str, step_s: int = INTERVAL_S) -> npt.NDArray[np.int64]:
        """Every interval start of the window in ``tz``, as UTC epoch seconds."""
        first, stop = self.bounds(tz)
        return np.arange(first, stop, step_s, dtype=np.int64)

    def last(self, month: int, day: int) -> dt.date:
        """The latest date with this month and day inside the window."""
        year = self.end.year
        while (candidate := dt.date(year, month, day)) >= self.end:
            year -= 1
        if candidate < self.start:
            raise ValueError(f"{month}-{day} is not in {self}")
        return candidate
