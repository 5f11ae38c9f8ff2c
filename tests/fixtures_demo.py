"""The demo data, loaded once per test session into the session database.

A pytest plugin (see ``pytest_plugins`` in ``tests/conftest.py``) so that any
test can ask for ``demo`` without caring where the fixture lives.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine

from auth.demo import enrol_demo_users
from demo_data import load_demo_data
from tests.auth_helpers import TEST_SECRET_KEY
from tests.conftest import DEMO_END, DEMO_SEED


@pytest.fixture(scope="session")
def demo(engine: Engine) -> dict[str, Any]:
    """Load summary: counts, gaps, per-meter totals, fingerprint and timings."""
    summary = load_demo_data(engine, DEMO_SEED, DEMO_END)
    enrol_demo_users(engine, TEST_SECRET_KEY)
    return summary
