"""The application factory, configuration and the public shell."""

from __future__ import annotations

import os
import stat

from app import create_app
from config import load_config


def test_home_sends_anonymous_visitors_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


def test_sign_in_page_is_accessible_html(client):
    page = client.get("/auth/login").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert '<main id="main"' in page
    assert 'href="#main"' in page  # skip link
    assert 'autocomplete="username"' in page
    assert 'autocomplete="current-password"' in page
    assert '<label for="email">' in page
    assert '<label for="password">' in page


def test_styles_are_served_locally_not_from_a_cdn(client):
    page = client.get("/auth/login").get_data(as_text=True)
    assert "/static/portal.css" in page
    assert "https://" not in page
    assert "http://" not in page
    css = client.get("/static/portal.css")
    assert css.status_code == 200
    css.close()


def test_unknown_page_gets_a_friendly_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "could not find that page" in response.get_data(as_text=True)


def test_dashboards_refuse_anonymous_users(client):
    page = client.get("/dashboards/usage")
    assert page.status_code == 302
    assert page.headers["Location"].startswith("/auth/login")
    callback = client.post("/dashboards/_dash-update-component", json={})
    assert callback.status_code == 401
    assert client.get("/dashboards/_dash-layout").status_code == 401


def test_secret_key_is_generated_once_and_kept_private(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = load_config(tmp_path)["SECRET_KEY"]
    second = load_config(tmp_path)["SECRET_KEY"]
    assert first == second
    assert len(first) >= 40
    mode = stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode)
    assert mode == 0o600


def test_environment_overrides_defaults(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite:///elsewhere.db")
    monkeypatch.setenv("PORTAL_TIMEZONE", "America/Vancouver")
    monkeypatch.setenv("PORT", "9000")
    config = load_config(tmp_path)
    assert config["DATABASE_URL"] == "sqlite:///elsewhere.db"
    assert config["PORTAL_TIMEZONE"] == "America/Vancouver"
    assert config["PORT"] == 9000


def test_defaults_are_sqlite_in_instance_and_toronto(tmp_path, monkeypatch):
    for name in ("DATABASE_URL", "PORTAL_TIMEZONE", "HOST", "PORT"):
        monkeypatch.delenv(name, raising=False)
    config = load_config(tmp_path)
    assert config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'portal.db'}"
    assert config["PORTAL_TIMEZONE"] == "America/Toronto"
    assert (config["HOST"], config["PORT"]) == ("127.0.0.1", 8050)


def test_factory_builds_without_dashboards(tmp_path):
    flask_app = create_app(
        {"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "DASHBOARDS_ENABLED": False}
    )
    rules = {rule.rule for rule in flask_app.url_map.iter_rules()}
    assert "/auth/login" in rules
    assert not any(rule.startswith("/dashboards/") for rule in rules)
