"""Real-browser fixtures: the session app on a live server, Debian's Chromium via Playwright.

Recipe: shared/docs/browser-tests.md. Run with ``make test`` (which installs
Chromium and axe-core when missing) or ``pytest -m browser``.

* The live server reuses the session ``app`` (Dash allows one app per process).
* It serves a committed *copy* of the session database taken once the demo data
  is loaded: the server's threads cannot see a test's uncommitted transaction,
  and what the browser writes (sign-ins, sessions, used TOTP steps) must not leak
  into the database the other tests share. Tests sign in as demo users.
* A missing Chromium FAILS the browser tests, never skips them: a skip would let
  an end-to-end suite with nothing installed pass green.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, make_url, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session as OrmSession
from werkzeug.serving import make_server

from customer_model import PortalUser, Role, bind, make_engine
from tests.auth_helpers import Credentials, demo_credentials
from tests.conftest import DEMO_SEED

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Playwright already adds --headless, --no-sandbox, a temporary profile and the
# --disable-background-networking family; this keeps every name lookup inside the
# browser, so nothing but 127.0.0.1 is reachable and a stray CDN URL fails fast.
LAUNCH_ARGS = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"]

# Reported to Python as they happen, so violations on every page of a flow are kept
# (a list in ``window`` would start empty again on each navigation).
RECORD_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', e => window.__cspViolation(
  `${e.effectiveDirective} ${e.blockedURI} on ${document.location.pathname}`));
"""


# --- the database the live server serves ----------------------------------------------


def _copy_sqlite(url: str, target: Path) -> str:
    source = sqlite3.connect(make_url(url).database)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # a consistent snapshot, WAL included
    finally:
        copy.close()
        source.close()
    return f"sqlite:///{target}"


def _copy_postgresql(url: str, engines: list[Engine]) -> tuple[str, Engine]:
    source = make_url(url)
    name = f"{source.database}_browser_{uuid.uuid4().hex[:6]}"
    admin = make_engine(source.set(database="postgres").render_as_string(False))
    admin = admin.execution_options(isolation_level="AUTOCOMMIT")
    for engine in engines:  # TEMPLATE needs the source database free of connections
        engine.dispose()
    create = text(f'CREATE DATABASE "{name}" TEMPLATE "{source.database}"')
    with admin.connect() as connection:
        try:
            connection.execute(create)
        except OperationalError:  # a connection some test left open: close it for it
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :db AND pid <> pg_backend_pid()"
                ),
                {"db": source.database},
            )
            connection.execute(create)
    return source.set(database=name).render_as_string(False), admin


@pytest.fixture(scope="session")
def served_engine(
    app, engine: Engine, database_url: str, demo, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """An engine on a committed copy of the session database, demo data included."""
    admin = None
    if database_url.startswith("postgresql"):
        url, admin = _copy_postgresql(database_url, [engine, app.extensions["db_engine"]])
    else:
        url = _copy_sqlite(database_url, tmp_path_factory.mktemp("browser") / "served.db")
    served = make_engine(url)
    yield served
    served.dispose()
    if admin is not None:
        with admin.connect() as connection:
            name = make_url(url).database
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(autouse=True)
def _serve_the_copy(served_engine: Engine, engine: Engine) -> Iterator[None]:
    """Point the app's shared Session at the copy for the test, then give it back."""
    bind(served_engine)
    yield
    bind(engine)


@pytest.fixture(scope="session")
def live_server(app, served_engine: Engine) -> Iterator[str]:
    """The session app on a free 127.0.0.1 port, in a thread."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


@pytest.fixture(scope="session")
def demo_customers(served_engine: Engine) -> list[Credentials]:
    """Sign-ins of the demo customers (each TOTP code works once: one user per test)."""
    with OrmSession(served_engine) as db:
        emails = db.scalars(
            select(PortalUser.email)
            .where(PortalUser.is_demo.is_(True), PortalUser.role == Role.CUSTOMER)
            .order_by(PortalUser.id)
        ).all()
    assert emails, "no demo customers in the served database"
    return [demo_credentials(email, DEMO_SEED) for email in emails]


# --- the browser --------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} is missing: run `make browser-deps` (apt-get install -y chromium "
            "chromium-driver). A missing browser fails the browser tests, it never skips them."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


# Chromium asks for /favicon.ico by itself on pages without a <link rel="icon">.
UNASKED = ("/favicon.ico",)


@dataclass
class Watch:
    """What went wrong in the page: CSP violations, script errors, failed requests."""

    page: Any
    csp: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def violations(self) -> list[str]:
        self.page.evaluate("0")  # a round trip: reports already sent have arrived
        return self.csp

    def on_console(self, message: Any) -> None:
        # a failed load is logged too, without its URL: ``failed`` has it, with the URL
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.errors.append(message.text)

    def on_response(self, response: Any) -> None:
        if response.status >= 400 and not response.url.endswith(UNASKED):
            self.failed.append(f"{response.status} {response.request.method} {response.url}")


@pytest.fixture
def watched(browser) -> Iterator[Watch]:
    """A fresh context and page that records CSP violations and errors from the start."""
    context = browser.new_context(viewport={"width": 1100, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    watch = Watch(page)
    context.expose_function("__cspViolation", lambda report: watch.csp.append(report))
    context.add_init_script(RECORD_VIOLATIONS)  # init scripts are exempt from the CSP
    page.on("pageerror", lambda error: watch.errors.append(str(error)))
    page.on("console", watch.on_console)
    page.on("response", watch.on_response)
    yield watch
    context.close()
