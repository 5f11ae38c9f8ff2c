"""Local wall-clock labels to UTC instants: DST-correct, ambiguity resolved by order.

A CSV labels intervals with local times. Across the spring-forward change some
labels do not exist (``02:30`` in most of North America): those are refused.
Across the fall-back change the repeated hour's labels exist twice, and only
the order of the rows tells them apart: in an ascending file the first
``01:15`` is the earlier instant (PEP 495 ``fold=0``) and the repeated one the
later (``fold=1``). Each label takes the earliest instant that keeps the rows
in order after the previous one; a descending file is read the other way round.

Vectorised like :mod:`meter_data.local_time`: the zone's offsets are located
once per call, every label is matched against them with array operations, and
only the handful of ambiguous labels go through a Python loop.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ..local_time import offset_table

Int64 = npt.NDArray[np.int64]

NO_INSTANT = np.iinfo(np.int64).min
"""Marks "no UTC instant known" in arrays of instants."""

_DAY = 86_400
_FAR_FUTURE = np.iinfo(np.int64).max // 4


class NonexistentLocalTime(ValueError):
    """A wall-clock label inside a spring-forward gap; ``index`` is its row."""

    def __init__(self, index: int) -> None:
        super().__init__(f"row {index}: local time does not exist")
        self.index = index


def _zone_segments(wall: Int64, tz: str) -> tuple[Int64, Int64, Int64]:
    """Stretches of constant offset covering ``wall``: UTC start, UTC end, offset."""
    since, offsets = offset_table(int(wall.min()) - 2 * _DAY, int(wall.max()) + 2 * _DAY, tz)
    until = np.append(since[1:], _FAR_FUTURE)
    return since, until, offsets


def candidates(wall: npt.ArrayLike, tz: str) -> tuple[Int64, Int64, Int64]:
    """For each wall-clock label: its earlier and later UTC instant, and how many exist.

    ``count`` is 0 in a spring-forward gap, 2 in a fall-back overlap, else 1;
    missing instants are :data:`NO_INSTANT`.
    """
    wall = np.asarray(wall, dtype=np.int64)
    first = np.full(len(wall), NO_INSTANT, dtype=np.int64)
    second = first.copy()
    count = np.zeros(len(wall), dtype=np.int64)
    if len(wall) == 0:
        return first, second, count
    # Stretches in UTC order, so the first match of a label is its earlier instant.
    for start, end, offset in zip(*_zone_segments(wall, tz), strict=True):
        inside = (wall >= start + offset) & (wall < end + offset)
        instant = wall - offset
        second = np.where(inside & (count == 1), instant, second)
        first = np.where(inside & (count == 0), instant, first)
        count += inside
    return first, second, count


def resolve(
    wall: npt.ArrayLike,
    tz: str,
    duration_s: npt.ArrayLike,
    groups: npt.ArrayLike | None = None,
    fixed_utc: npt.ArrayLike | None = None,
) -> Int64:
    """UTC instants of wall-clock labels listed in file order.

    ``groups`` splits the rows into independent runs (blocks of a file); the
    order rule only looks at the previous row of the same run. ``fixed_utc``
    gives instants already known (labels with an explicit UTC offset), else
    :data:`NO_INSTANT`. Raises :class:`NonexistentLocalTime` for the first label
    that falls in a spring-forward gap.
    """
    wall = np.asarray(wall, dtype=np.int64)
    n = len(wall)
    duration = np.asarray(duration_s, dtype=np.int64)
    group = np.zeros(n, dtype=np.int64) if groups is None else np.asarray(groups, np.int64)
    fixed = np.full(n, NO_INSTANT, np.int64) if fixed_utc is None else np.asarray(fixed_utc)
    known = fixed != NO_INSTANT
    first, second, count = candidates(wall, tz)
    gap = np.flatnonzero((count == 0) & ~known)
    if gap.size:
        raise NonexistentLocalTime(int(gap[0]))
    utc = np.where(known, fixed, first)
    ambiguous = np.flatnonzero((count == 2) & ~known)
    if ambiguous.size:
        descending = _runs_descend(wall, group)
        seen: set[tuple[int, int]] = set()
        for i in ambiguous.tolist():
            previous = i - 1 if i > 0 and group[i - 1] == group[i] else None
            if previous is None:
                prev_utc, step = None, 0
            else:
                prev_utc = int(utc[previous])
                step = int(min(duration[previous], duration[i]))
            key = (int(group[i]), int(wall[i]))
            utc[i] = _choose(int(first[i]), int(second[i]), prev_utc, step, descending, key in seen)
            seen.add(key)
    return utc


def _choose(
    early: int, late: int, previous: int | None, step: int, descending: bool, repeated: bool
) -> int:
    """The instant of an ambiguous label that keeps the rows in file order."""
    if descending:
        early, late = -late, -early
        previous = None if previous is None else -previous
    if previous is None or early >= previous + step:
        choice = early
    elif late >= previous + step:
        choice = late
    elif early > previous:
        choice = early
    elif late > previous:
        choice = late
    else:  # the file went back in time (a repeated block): count occurrences instead
        choice = late if repeated else early
    return -choice if descending else choice


def _runs_descend(wall: Int64, group: Int64) -> bool:
    """Whether the rows mostly go back in time (some downloads list newest first)."""
    same = group[1:] == group[:-1]
    steps = np.diff(wall)[same]
    return int((steps < 0).sum()) > int((steps > 0).sum())


def fall_back_changes(lo: int, hi: int, tz: str) -> list[tuple[int, int]]:
    """``(UTC instant, seconds the clocks go back)`` for each fall-back change in ``[lo, hi]``."""
    since, offsets = offset_table(lo, hi, tz)
    return [
        (int(since[k]), int(offsets[k - 1] - offsets[k]))
        for k in range(1, len(since))
        if offsets[k] < offsets[k - 1]
    ]
