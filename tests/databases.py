"""A throw-away database per test session, on SQLite or on PostgreSQL.

With ``DATABASE_URL`` pointing at PostgreSQL, a fresh database is created on
that server and dropped afterwards, so runs never see each other's data.
Otherwise a temporary SQLite file is used.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import make_url, text

from customer_model import make_engine


@contextlib.contextmanager
def temporary_database(
    tmp_dir: Path, url: str | None = None, prefix: str = "portal_test"
) -> Iterator[str]:
    """Yield the URL of an empty database that disappears afterwards.

    ``url`` (default: ``DATABASE_URL``) names the PostgreSQL server to use; anything
    else means a SQLite file in ``tmp_dir``. The benchmarks use it too.
    """
    url = os.environ.get("DATABASE_URL", "") if url is None else url
    if not url.startswith("postgresql"):
        yield f"sqlite:///{tmp_dir / 'test.db'}"
        return
    base = make_url(url)
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = make_engine(base.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def reachable(url: str) -> bool:
    """True when a connection to ``url`` succeeds (benchmarks skip PostgreSQL otherwise)."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception as error:  # noqa: BLE001 - any failure means "not reachable"
        print(f"{make_url(url).render_as_string()} unreachable: {error}")
        return False
    finally:
        engine.dispose()
