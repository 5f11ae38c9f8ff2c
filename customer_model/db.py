"""Engine and session factory, with no web framework in sight.

Services receive a ``Session`` explicitly; the web layer opens one per request
through :data:`Session` (a ``scoped_session``) and removes it at teardown.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import scoped_session, sessionmaker

Session: scoped_session[OrmSession] = scoped_session(sessionmaker(expire_on_commit=False))


def make_engine(url: str, **options: Any) -> Engine:
    """Create an engine tuned for the dialect behind ``url``.

    SQLite gets foreign keys, WAL and real transactions (pysqlite's own
    transaction handling breaks SAVEPOINTs, which tests rely on).
    """
    if url.startswith("sqlite"):
        options.setdefault("connect_args", {}).setdefault("timeout", 30)
    else:
        options.setdefault("pool_pre_ping", True)
    engine = create_engine(url, **options)
    if engine.dialect.name == "sqlite":
        _tune_sqlite(engine)
    return engine


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy emit BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")


def bind(engine: Engine, **options: Any) -> None:
    """Point the shared :data:`Session` at ``engine`` (or a test connection)."""
    Session.remove()
    Session.configure(bind=engine, **options)
