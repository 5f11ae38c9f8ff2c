"""Named random streams: the whole demo follows from one integer seed.

Each part (a meter, a region's weather, the identifiers) draws from its own
PCG64 stream keyed by name, so adding a site leaves every other series as it was.
"""

from __future__ import annotations

import zlib

import numpy as np


def stream(seed: int, *key: str) -> np.random.Generator:
    """A ``Generator(PCG64)`` determined by ``seed`` and the names in ``key``."""
    words = tuple(zlib.crc32(part.encode()) for part in key)
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=words)))
