"""Account pages: sign-up and e-mail verification, password reset and change.

Thin adapters: parse the form, call :mod:`auth.signup` or
:mod:`auth.password_reset` with the request's session, commit, render. None of
these pages ever signs anyone in; sign-in (password, then TOTP) lives in
``views.py``.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any

from flask import current_app, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from customer_model import Session
from web.security import limiter

from . import bp, one_time, password_reset, tokens
from . import signup as signup_service
from .client import current_client
from .forms_account import ChangePasswordForm, ResetPasswordForm, ResetRequestForm, SignupForm
from .mail import mail_settings


def _external(endpoint: str, **values: str) -> str:
    """An absolute URL for an e-mail.

    ``PUBLIC_BASE_URL`` (when configured) wins over the request's Host header,
    so a forged Host cannot point a reset link at someone else's server.
    """
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        return str(base).rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def _digest_key(kind: str, value: str) -> str:
    return f"{kind}:{hashlib.sha256(value.encode()).hexdigest()}"


def _posted_email_key() -> str:
    """Rate-limit key for the address typed, so one inbox cannot be flooded."""
    email = request.form.get("email", "").strip().lower()[:400]
    return _digest_key("email", email) if email else f"ip:{request.remote_addr}"


def _posted_account_key() -> str:
    """Rate-limit key for the account number typed: guessing a bill spreads over IPs."""
    digits = "".join(ch for ch in request.form.get("account_number", "")[:40] if ch.isdigit())
    return _digest_key("account", digits) if digits else f"ip:{request.remote_addr}"


def _user_key() -> str:
    if current_user.is_authenticated:
        return f"user:{current_user.get_id()}"
    return f"ip:{request.remote_addr}"


def _secret_key() -> str:
    return str(current_app.config["SECRET_KEY"])


def _no_referrer(view: Callable[..., Any]) -> Callable[..., Any]:
    """Pages whose URL holds a token: never let it leak in a ``Referer`` header,
    not even to our own static files (the global policy is ``same-origin``)."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        response = make_response(view(*args, **kwargs))
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    return wrapper


def _refused(kind: str, reason: str):  # type: ignore[no-untyped-def]
    return (
        render_template(
            "auth/link_refused.html",
            kind=kind,
            reason=reason,
            verify_hours=tokens.MAX_AGE[tokens.VERIFY_EMAIL] // 3600,
            reset_minutes=password_reset.RESET_MINUTES,
            title="This link cannot be used",
        ),
        400,
    )


# --- sign-up and verification ---


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
@limiter.limit("10 per day", methods=["POST"], key_func=_posted_account_key)
def signup():  # type: ignore[no-untyped-def]
    if current_user.is_authenticated:
        return redirect(url_for("portal.home"))
    form = SignupForm()
    general = None
    if form.validate_on_submit():
        db = Session()
        user = signup_service.sign_up(
            db,
            current_client(),
            signup_service.SignupDetails(
                account_number=form.account_number_value,
                postal_code=form.postal_code_value,
                last_bill_cents=form.bill_amount_cents,
                email=form.email_value,
                password=form.password.data or "",
            ),
            settings=mail_settings(current_app.config),
            secret_key=_secret_key(),
            verify_url=lambda token: _external("auth.verify_email", token=token),
        )
        db.commit()
        if user is not None:
            return redirect(url_for("auth.signup_sent"))
        # A blank form: echoing what was typed would tell which fact differed.
        form = SignupForm(formdata=None)
        general = signup_service.GENERIC_FAILURE
    return render_template(
        "auth/signup.html", form=form, general=general, title="Create an online account"
    )


@bp.get("/signup/sent")
def signup_sent():  # type: ignore[no-untyped-def]
    return render_template(
        "auth/signup_sent.html",
        hours=tokens.MAX_AGE[tokens.VERIFY_EMAIL] // 3600,
        title="Check your e-mail",
    )


@bp.get("/verify/<token>")
@_no_referrer
def verify_email(token: str):  # type: ignore[no-untyped-def]
    db = Session()
    try:
        signup_service.verify_email(db, current_client(), _secret_key(), token)
    except one_time.LinkRefused as refused:
        db.rollback()
        return _refused("verify", refused.reason)
    db.commit()
    flash("Your e-mail address is confirmed. You can now sign in.", "success")
    return redirect(url_for("auth.login"))


# --- password reset ---


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
@limiter.limit("5 per hour", methods=["POST"], key_func=_posted_email_key)
def reset_request():  # type: ignore[no-untyped-def]
    form = ResetRequestForm()
    if form.validate_on_submit():
        db = Session()
        password_reset.request_reset(
            db,
            current_client(),
            form.email_value,
            settings=mail_settings(current_app.config),
            secret_key=_secret_key(),
            reset_url=lambda token: _external("auth.reset_password", token=token),
        )
        db.commit()
        return redirect(url_for("auth.reset_sent"))
    return render_template("auth/reset_request.html", form=form, title="Reset your password")


@bp.get("/reset/sent")
def reset_sent():  # type: ignore[no-untyped-def]
    return render_template(
        "auth/reset_sent.html", minutes=password_reset.RESET_MINUTES, title="Check your e-mail"
    )


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
@_no_referrer
def reset_password(token: str):  # type: ignore[no-untyped-def]
    db = Session()
    try:
        user = password_reset.user_for_reset(db, _secret_key(), token)
    except one_time.LinkRefused as refused:
        return _refused("reset", refused.reason)
    form = ResetPasswordForm(email=user.email)
    if form.validate_on_submit():
        try:
            password_reset.reset_password(
                db,
                current_client(),
                token,
                form.password.data or "",
                settings=mail_settings(current_app.config),
                secret_key=_secret_key(),
                reset_request_url=_external("auth.reset_request"),
            )
        except one_time.LinkRefused as refused:
            db.rollback()
            return _refused("reset", refused.reason)
        db.commit()
        # Deliberately no login_user(): the new password and the second factor are
        # both needed to get in, as on any other sign-in.
        flash("Your password has been changed. Sign in with your new password.", "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form, title="Choose a new password")


# --- password change (signed in) ---


@bp.route("/password", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"], key_func=_user_key)
@login_required
def change_password():  # type: ignore[no-untyped-def]
    db = Session()
    user = current_user.user
    form = ChangePasswordForm(email=user.email)
    if form.validate_on_submit():
        changed = password_reset.change_password(
            db,
            current_client(),
            user,
            form.current_password.data or "",
            form.password.data or "",
            settings=mail_settings(current_app.config),
            reset_request_url=_external("auth.reset_request"),
        )
        db.commit()
        if changed:
            flash(
                "Your password has been changed. Any other device signed in to your "
                "account has been signed out.",
                "success",
            )
            return redirect(url_for("auth.change_password"))
        form.current_password.errors = ["That is not your current password."]
    return render_template("auth/change_password.html", form=form, title="Change your password")
