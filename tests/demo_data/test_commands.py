"""The CLI around the demo: demo-data, demo-users, the start-up banner."""

from __future__ import annotations

import json

from flask import Flask

from commands import demo_commands
from customer_model import make_engine


def test_demo_users_prints_every_sign_in_as_json(app, demo):
    result = app.test_cli_runner().invoke(args=["demo-users"])
    assert result.exit_code == 0, result.output
    users = json.loads(result.output)
    assert {"email", "password", "role", "customer"} == set(users[0])
    assert len(users) == demo["users"] == 9


def test_demo_data_refuses_politely_when_customers_exist(app, demo):
    result = app.test_cli_runner().invoke(args=["demo-data", "--seed", "1"])
    assert result.exit_code == 0
    assert "Demo data not loaded: the database already holds 5 customers" in result.output


def test_announce_prints_the_portal_and_the_demo_logins(app, demo, capsys):
    demo_commands.announce(app)
    output = capsys.readouterr().out
    assert f"http://{app.config['HOST']}:{app.config['PORT']}/" in output
    assert "raj.patel@lakeshore.example.com" in output
    assert "site_manager" in output


def test_auto_demo_data_leaves_a_filled_database_alone(app, demo):
    app.config["AUTO_DEMO_DATA"] = True
    try:
        assert demo_commands.ensure_demo_data(app) is None
    finally:
        app.config["AUTO_DEMO_DATA"] = False


def _bare_app(tmp_path) -> Flask:
    bare = Flask(__name__)
    bare.config.update(HOST="127.0.0.1", PORT=8050, PORTAL_TIMEZONE="America/Toronto")
    bare.extensions["db_engine"] = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    demo_commands.register(bare)
    return bare


def test_demo_users_fails_on_a_database_that_is_not_a_demo(tmp_path):
    result = _bare_app(tmp_path).test_cli_runner().invoke(args=["demo-users"])
    assert result.exit_code == 1
    assert "not a demo database" in result.output


def test_announce_shows_no_logins_for_other_databases(tmp_path, capsys):
    demo_commands.announce(_bare_app(tmp_path))
    output = capsys.readouterr().out
    assert "Portal on http://127.0.0.1:8050/" in output
    assert "@" not in output
