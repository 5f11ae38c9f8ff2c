"""Parsed rows in file order, and how they become an :class:`IntervalSeries`.

Every layout fills a :class:`Rows` (one entry per CSV record, local labels not
yet resolved); :meth:`Rows.to_series` resolves the labels in the file's time
zone, refuses what cannot be stored (naming the line) and returns the columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..series import IntervalSeries
from .text import CsvImportError, wall_text
from .wall_clock import NO_INSTANT, NonexistentLocalTime, resolve


@dataclass
class Rows:
    time_column: str
    """How error messages name the column the local times come from."""
    line: list[int] = field(default_factory=list)
    wall: list[int] = field(default_factory=list)
    """Label as wall-clock seconds (see :func:`~.text.wall_seconds`)."""
    fixed_utc: list[int] = field(default_factory=list)
    """UTC instant of the label when it carries its own offset, else ``NO_INSTANT``."""
    duration_s: list[int] = field(default_factory=list)
    delivered_mwh: list[int] = field(default_factory=list)
    received_mwh: list[int] = field(default_factory=list)
    quality: list[int] = field(default_factory=list)
    group: list[int] = field(default_factory=list)
    """Runs of rows whose order means something (a block of an SCE download)."""

    def add(
        self,
        line: int,
        wall: int,
        duration_s: int,
        delivered_mwh: int,
        received_mwh: int,
        quality: int,
        *,
        offset: int | None = None,
        group: int = 0,
    ) -> None:
        self.line.append(line)
        self.wall.append(wall)
        self.fixed_utc.append(NO_INSTANT if offset is None else wall - offset)
        self.duration_s.append(duration_s)
        self.delivered_mwh.append(delivered_mwh)
        self.received_mwh.append(received_mwh)
        self.quality.append(quality)
        self.group.append(group)

    def __len__(self) -> int:
        return len(self.line)

    def label_instants(self, tz: str) -> np.ndarray:
        """UTC instants of the labels, DST-resolved; refuses labels that do not exist."""
        try:
            return resolve(self.wall, tz, self.duration_s, self.group, self.fixed_utc)
        except NonexistentLocalTime as gap:
            raise CsvImportError(
                f"line {self.line[gap.index]}, column {self.time_column}: local time "
                f"{wall_text(self.wall[gap.index])} does not exist in {tz} "
                "(the clocks spring forward over it)"
            ) from None

    def to_series(self, tz: str, labels: str = "start", **notes: object) -> IntervalSeries:
        """The readings, with ``labels`` saying whether times mark interval starts or ends."""
        if not self:
            raise CsvImportError("the file holds no readings")
        instants = self.label_instants(tz)
        duration = np.asarray(self.duration_s, dtype=np.int64)
        starts = instants - duration if labels == "end" else instants
        return series_from(
            starts,
            duration,
            np.asarray(self.delivered_mwh, dtype=np.int64),
            np.asarray(self.received_mwh, dtype=np.int64),
            np.asarray(self.quality, dtype=np.int64),
            np.asarray(self.line, dtype=np.int64),
            tz=tz,
            **notes,
        )


def series_from(
    starts: np.ndarray,
    duration: np.ndarray,
    delivered: np.ndarray,
    received: np.ndarray,
    quality: np.ndarray,
    lines: np.ndarray,
    **notes: object,
) -> IntervalSeries:
    """Columns as a series, after refusing overlaps and empty intervals by line number."""
    if (duration <= 0).any():
        at = int(np.flatnonzero(duration <= 0)[0])
        raise CsvImportError(f"line {int(lines[at])}: the interval ends before it starts")
    check_overlaps(starts, duration, lines)
    series = IntervalSeries.from_columns(
        start_ts=starts,
        duration_s=duration,
        delivered_mwh=delivered,
        received_mwh=received,
        quality=quality,
    )
    values, counts = np.unique(duration, return_counts=True)
    series.notes.update(notes, interval_s=int(values[np.argmax(counts)]))
    return series


def check_overlaps(starts: np.ndarray, duration: np.ndarray, lines: np.ndarray) -> None:
    """Refuse intervals that overlap without starting together (repeats are allowed:
    the last one wins, as :meth:`IntervalSeries.sorted_unique` does)."""
    order = np.argsort(starts, kind="stable")
    ordered = starts[order]
    kept = order[np.append(ordered[1:] != ordered[:-1], True)]
    ends = starts[kept] + duration[kept]
    clash = np.flatnonzero(ends[:-1] > starts[kept][1:])
    if clash.size:
        a, b = sorted((int(lines[kept[clash[0]]]), int(lines[kept[clash[0] + 1]])))
        raise CsvImportError(
            f"lines {a} and {b}: the intervals overlap "
            "(is the interval length right, and do the times mark starts or ends?)"
        )
