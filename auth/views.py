"""Sign-in and sign-out pages."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_login import logout_user

from . import bp, session_user  # noqa: F401  (session_user registers the loader)


@bp.get("/login")
def login():  # type: ignore[no-untyped-def]
    return render_template("auth/login.html", title="Sign in")


@bp.post("/logout")
def logout():  # type: ignore[no-untyped-def]
    logout_user()
    return redirect(url_for("auth.login"))
