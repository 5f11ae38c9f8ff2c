"""Session-wide fixtures: one migrated database, demo data loaded once, one app.

Each test gets a connection-level transaction with SAVEPOINTs for the app's own
commits, rolled back at the end, so tests never see each other's writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session as OrmSession

from customer_model import Session, bind, make_engine, schema
from tests.auth_helpers import TEST_SECRET_KEY
from tests.databases import temporary_database

DEMO_SEED = 20241101
DEMO_END = dt.date(2026, 11, 1)
"""Fixed end date so demo totals do not depend on the day the tests run."""


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with temporary_database(tmp_path_factory.mktemp("db")) as url:
        yield url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    eng = make_engine(database_url)
    schema.upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def app(engine: Engine, database_url: str, tmp_path_factory: pytest.TempPathFactory):
    from app import create_app

    flask_app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": TEST_SECRET_KEY,
        }
    )
    return flask_app


@pytest.fixture
def db_session(app, engine: Engine) -> Iterator[OrmSession]:
    """A session whose work, commits included, is rolled back after the test."""
    connection = engine.connect()
    outer = connection.begin()
    bind(connection, join_transaction_mode="create_savepoint")
    try:
        yield Session()
    finally:
        Session.remove()
        outer.rollback()
        connection.close()
        bind(engine)


@pytest.fixture
def client(app, db_session):
    return app.test_client()


@pytest.fixture(autouse=True)
def _fresh_rate_limits(app):
    """Each test starts with empty throttling windows (they live in the limiter)."""
    from web.security import limiter

    limiter.reset()


pytest_plugins = ["tests.fixtures_demo"]
