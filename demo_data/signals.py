"""Small signal-processing helpers shared by the weather and load models."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def ar1(innovations: npt.ArrayLike, phi: float, block: int = 256) -> FloatArray:
    """``y[t] = phi * y[t-1] + e[t]`` with ``y[-1] = 0``, computed block by block.

    Within a block the recursion is a scaled cumulative sum, so the Python loop
    runs once per block rather than once per sample.
    """
    if not 0.0 < phi < 1.0:
        raise ValueError(f"phi must be in (0, 1), got {phi}")
    e = np.asarray(innovations, dtype=np.float64)
    block = max(1, min(block, int(250 / -math.log10(phi))))  # keep phi**-block finite
    powers = phi ** np.arange(block, dtype=np.float64)
    out = np.empty_like(e)
    previous = 0.0
    for first in range(0, len(e), block):
        chunk = e[first : first + block]
        size = len(chunk)
        values = powers[:size] * (phi * previous + np.cumsum(chunk / powers[:size]))
        out[first : first + size] = values
        previous = float(values[-1])
    return out


def smooth(values: npt.ArrayLike, phi: float) -> FloatArray:
    """Exponential moving average (thermal inertia), starting at the first value."""
    x = np.asarray(values, dtype=np.float64)
    if x.size == 0:
        return x.copy()
    e = (1.0 - phi) * x
    e[0] = x[0]
    return ar1(e, phi)


def bump(hour: FloatArray, centre: float | FloatArray, width: float) -> FloatArray:
    """A Gaussian bump over the hour of day (morning and evening peaks)."""
    return np.exp(-0.5 * ((hour - centre) / width) ** 2)


def window_mask(hour: FloatArray, opens: float, closes: float, ramp: float = 0.25) -> FloatArray:
    """Between 0 and 1: occupied from ``opens`` to ``closes`` (hours), soft edges."""
    rise = 1.0 / (1.0 + np.exp(-(hour - opens) / ramp))
    fall = 1.0 / (1.0 + np.exp(-(closes - hour) / ramp))
    return rise * fall


def sigmoid(x: FloatArray) -> FloatArray:
    return 1.0 / (1.0 + np.exp(-x))
