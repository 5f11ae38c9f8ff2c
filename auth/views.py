"""Sign-in (password, then second factor), enrolment, sign-out and the security page.

``login_user()`` is called only once the second factor has passed, so
``current_user.is_authenticated`` always means "password and MFA".
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask import session as cookie
from flask_login import current_user, login_required, login_user, logout_user

from customer_model import Session
from web.security import limiter

from . import audit, bp, notices, pending, secret_box, services, sessions, throttle, totp
from .client import current_client
from .forms import LoginForm, OtpForm, ReauthForm, RecoveryForm
from .services import Code, SignIn
from .session_user import SessionUser

BAD_CREDENTIALS = "The e-mail address or password is not right. Please try again."
LOCKED = (
    "For your security, sign-in is paused after repeated failed attempts. "
    "Try again in 15 minutes, or reset your password."
)
BAD_CODE = "That code did not work. Wait for a new code in your app and try again."


def _failed(response) -> bool:  # type: ignore[no-untyped-def]
    return response.status_code in (401, 423)


def _posted_email() -> str:
    return throttle.email_key(request.form.get("email", ""))


def _pending_key() -> str:
    state = cookie.get("mfa") or {}
    return f"mfa:{state.get('uid')}"


def _key() -> str:
    return current_app.config["SECRET_KEY"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(throttle.ATTEMPTS_PER_MINUTE, methods=["POST"], deduct_when=_failed)
@limiter.limit(
    throttle.ATTEMPTS_PER_MINUTE, methods=["POST"], key_func=_posted_email, deduct_when=_failed
)
def login():  # type: ignore[no-untyped-def]
    if current_user.is_authenticated:
        return redirect(url_for("portal.home"))
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form, title="Sign in")
    db = Session()
    outcome = services.check_password(db, form.email.data, form.password.data, current_client())
    db.commit()
    if outcome.status is SignIn.OK:
        pending.begin(outcome.user, request.args.get("next"))
        enrolled = outcome.user.mfa_enrolled
        return redirect(url_for("auth.mfa" if enrolled else "auth.mfa_setup"))
    if outcome.status is SignIn.UNVERIFIED:
        message, status = "Please confirm your e-mail address first: use the link we sent.", 401
    elif outcome.status is SignIn.LOCKED:
        message, status = LOCKED, 423
    else:
        message, status = BAD_CREDENTIALS, 401
    return render_template("auth/login.html", form=form, error=message, title="Sign in"), status


@bp.route("/mfa", methods=["GET", "POST"])
@limiter.limit(
    throttle.ATTEMPTS_PER_MINUTE, methods=["POST"], key_func=_pending_key, deduct_when=_failed
)
def mfa():  # type: ignore[no-untyped-def]
    user = pending.user()
    if user is None:
        return _restart()
    if not user.mfa_enrolled:
        return redirect(url_for("auth.mfa_setup"))
    form = OtpForm()
    if not form.validate_on_submit():
        return render_template("auth/mfa.html", form=form, title="Enter your code")
    db = Session()
    result = services.check_totp(db, user, form.code.data, current_client(), _key())
    if result is Code.ACCEPTED:
        return _finish_sign_in(user)
    if result is Code.REPLAYED:
        notices.send(db, user, "A sign-in code of yours was used twice", notices.REPLAY)
    db.commit()
    error = LOCKED if throttle.is_locked(user, user.email) else BAD_CODE
    return render_template("auth/mfa.html", form=form, error=error, title="Enter your code"), 401


@bp.route("/mfa/recovery", methods=["GET", "POST"])
@limiter.limit(
    throttle.ATTEMPTS_PER_MINUTE, methods=["POST"], key_func=_pending_key, deduct_when=_failed
)
def mfa_recovery():  # type: ignore[no-untyped-def]
    user = pending.user()
    if user is None or not user.mfa_enrolled:
        return _restart()
    form = RecoveryForm()
    if not form.validate_on_submit():
        return render_template("auth/recovery.html", form=form, title="Use a recovery code")
    db = Session()
    if services.check_recovery_code(db, user, form.code.data, current_client()):
        notices.send(db, user, "You signed in with a recovery code", notices.RECOVERY_USED)
        flash(
            "You signed in with a recovery code, which is now used up. "
            f"{services.remaining_recovery_codes(db, user)} codes remain.",
            "info",
        )
        return _finish_sign_in(user)
    db.commit()
    error = "That recovery code is not valid or was already used."
    return render_template("auth/recovery.html", form=form, error=error), 401


@bp.route("/mfa/setup", methods=["GET", "POST"])
@limiter.limit(
    throttle.ATTEMPTS_PER_MINUTE, methods=["POST"], key_func=_pending_key, deduct_when=_failed
)
def mfa_setup():  # type: ignore[no-untyped-def]
    user = pending.user()
    if user is None:
        return _restart()
    if user.mfa_enrolled:
        return redirect(url_for("auth.mfa"))
    if "enrol" not in cookie["mfa"]:  # the seed travels only encrypted in the cookie
        cookie["mfa"] = {**cookie["mfa"], "enrol": secret_box.encrypt(_key(), totp.new_secret())}
    secret = secret_box.decrypt(_key(), cookie["mfa"]["enrol"])
    form = OtpForm()
    if form.validate_on_submit():
        db = Session()
        codes = services.complete_enrolment(
            db, user, secret, form.code.data, current_client(), _key()
        )
        if codes is not None:
            _finish_sign_in(user)
            return render_template(
                "auth/recovery_codes.html", codes=codes, title="Save your recovery codes"
            )
        db.commit()
        form.code.errors.append(BAD_CODE)
    uri = totp.provisioning_uri(secret, user.email)
    page = render_template(
        "auth/mfa_setup.html",
        form=form,
        secret=secret,
        qr_svg=totp.qr_svg(uri),
        title="Set up your authenticator",
    )
    return page, (401 if form.errors else 200)


def _finish_sign_in(user):  # type: ignore[no-untyped-def]
    """Both factors passed: new server-side session, then ``login_user``."""
    target = pending.next_url()
    db = Session()
    sessions.start(db, user, current_client())
    login_user(SessionUser(user))
    db.commit()
    return redirect(target)


def _restart():  # type: ignore[no-untyped-def]
    cookie.pop("mfa", None)
    flash("Your sign-in took too long. Please start again.", "info")
    return redirect(url_for("auth.login"))


@bp.post("/logout")
def logout():  # type: ignore[no-untyped-def]
    db = Session()
    if current_user.is_authenticated:
        audit.record(db, "logout", current_client(), user=current_user.user)
    sessions.end_current(db)
    logout_user()
    db.commit()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.post("/logout-everywhere")
@login_required
def logout_everywhere():  # type: ignore[no-untyped-def]
    db = Session()
    user = current_user.user
    sessions.end_all(db, user)
    audit.record(db, "logout_everywhere", current_client(), user=user)
    logout_user()
    cookie.clear()
    db.commit()
    flash("You are signed out on every device.", "info")
    return redirect(url_for("auth.login"))


@bp.get("/security")
@login_required
def security():  # type: ignore[no-untyped-def]
    db = Session()
    return render_template(
        "auth/security.html",
        title="Sign-in and security",
        remaining=services.remaining_recovery_codes(db, current_user.user),
        live_sessions=sessions.live(db, current_user.user),
        form=ReauthForm(),
    )


@bp.post("/security/recovery-codes")
@login_required
def regenerate_recovery_codes():  # type: ignore[no-untyped-def]
    form = ReauthForm()
    db = Session()
    user = current_user.user
    if form.validate_on_submit() and services.reauthenticate(
        db, user, form.password.data, form.code.data, current_client(), _key()
    ):
        codes = services.replace_recovery_codes(db, user)
        audit.record(db, "recovery_codes_regenerated", current_client(), user=user)
        notices.send(db, user, "Your recovery codes were replaced", notices.CODES_REPLACED)
        db.commit()
        return render_template(
            "auth/recovery_codes.html",
            codes=codes,
            regenerated=True,
            title="Your new recovery codes",
        )
    db.commit()
    flash("Your password or code was not right. Nothing was changed.", "error")
    return redirect(url_for("auth.security")), 303


@bp.post("/security/authenticator/remove")
@login_required
def remove_authenticator():  # type: ignore[no-untyped-def]
    form = ReauthForm()
    db = Session()
    user = current_user.user
    if form.validate_on_submit() and services.reauthenticate(
        db, user, form.password.data, form.code.data, current_client(), _key()
    ):
        services.remove_authenticator(db, user, current_client())
        notices.send(db, user, "Your authenticator app was removed", notices.AUTHENTICATOR_REMOVED)
        sessions.end_all(db, user)
        logout_user()
        cookie.clear()
        db.commit()
        flash("Your authenticator app was removed. Sign in again to set up a new one.", "info")
        return redirect(url_for("auth.login"))
    db.commit()
    flash("Your password or code was not right. Nothing was changed.", "error")
    return redirect(url_for("auth.security")), 303
