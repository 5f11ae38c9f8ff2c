"""Load models by name, as premises refer to them (``PremiseSpec.load_model``)."""

from __future__ import annotations

from collections.abc import Callable

from . import homes
from .loads import Flows, LoadContext
from .sites import PROFILES, site_load

LoadModel = Callable[[LoadContext], Flows]

LOAD_MODELS: dict[str, LoadModel] = {
    "baseboard_home": homes.baseboard_home,
    "cottage": homes.cottage,
    "ev_home": homes.ev_home,
    "solar_home": homes.solar_home,
    "apartment": homes.apartment,
    **{str(kind): site_load for kind in PROFILES},
}
"""Business sites use their dwelling type's name (``office``, ``retail`` …)."""
