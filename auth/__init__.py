"""Identity: sign-in, TOTP MFA, sessions and the rules for who sees what."""

from __future__ import annotations

from flask import Blueprint, Flask
from flask_login import LoginManager

bp = Blueprint("auth", __name__, url_prefix="/auth", template_folder="templates")
login_manager = LoginManager()


def init_app(app: Flask) -> None:
    """Attach flask-login to ``app``; unauthenticated users go to the sign-in page."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = None  # server-side sessions do this job
    app.before_request(pending.confine)
    app.add_template_global(scoping.allowed, "allowed")  # templates link only what a role may open


# The view modules register their routes on bp (sign-in and MFA; sign-up, reset, password).
from . import pending, scoping, views, views_account  # noqa: E402,F401
