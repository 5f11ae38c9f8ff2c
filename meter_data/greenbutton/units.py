"""Exact unit arithmetic: ESPI values × 10^powerOfTenMultiplier in Wh → integer mWh."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import numpy.typing as npt

from .errors import GreenButtonError

Int64 = npt.NDArray[np.int64]

_INT64_MAX = np.iinfo(np.int64).max
MAX_MULTIPLIER = 24
"""Anything beyond ±24 (yotta) is a corrupt file, not a unit."""


def scale_to_mwh(values: Int64, multiplier: int, lines: Int64 | None = None) -> Int64:
    """``values × 10^multiplier`` Wh as exact integer milliwatt-hours.

    A multiplier of -3 or more scales up (``value × 10^(multiplier+3)``); a finer
    one is accepted only where every value is a whole number of mWh, otherwise
    the file is refused (rounding energy is not ours to do). Values that would
    not fit a 64-bit integer are refused too.
    """
    values = np.asarray(values, dtype=np.int64)
    exponent = multiplier + 3
    if exponent >= 0:
        limit = 0 if exponent > 18 else _INT64_MAX // 10**exponent
        too_big = np.abs(values) > limit
        if too_big.any():
            at = int(np.flatnonzero(too_big)[0])
            raise GreenButtonError(
                f"IntervalReading/value {int(values[at])} × 10^{multiplier} Wh is too large "
                "to store in milliwatt-hours",
                line=_line(lines, at),
                element="IntervalReading/value",
            )
        return values * np.int64(10**exponent) if exponent else values.copy()
    inexact = (values != 0) if -exponent > 18 else (values % np.int64(10**-exponent) != 0)
    if inexact.any():
        at = int(np.flatnonzero(inexact)[0])
        raise GreenButtonError(
            f"IntervalReading/value {int(values[at])} × 10^{multiplier} Wh is not a whole "
            f"number of milliwatt-hours (powerOfTenMultiplier {multiplier} is finer than 1 mWh "
            "and this value would lose precision)",
            line=_line(lines, at),
            element="IntervalReading/value",
        )
    if -exponent > 18:
        return np.zeros_like(values)
    return values // np.int64(10**-exponent)


def scaled_total(values: Int64, multiplier: int) -> Decimal:
    """Exact sum of ``values × 10^multiplier`` (in the series' own unit)."""
    total = sum(np.asarray(values, dtype=np.int64).tolist())
    return Decimal(total).scaleb(multiplier) if total else Decimal(0)


def _line(lines: Int64 | None, at: int) -> int | None:
    return None if lines is None else int(lines[at])
