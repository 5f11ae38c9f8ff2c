"""Sign-in and second-factor forms (Flask-WTF: every POST carries a CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import InputRequired, Length, Regexp

_CODE = [
    InputRequired("Enter the 6-digit code from your authenticator app."),
    Regexp(r"^\s*\d{3}\s?\d{3}\s*$", message="The code is 6 digits."),
]


class LoginForm(FlaskForm):
    email = EmailField(
        "E-mail address", [InputRequired("Enter your e-mail address."), Length(max=320)]
    )
    password = PasswordField("Password", [InputRequired("Enter your password."), Length(max=1024)])


class OtpForm(FlaskForm):
    code = StringField("Authentication code", _CODE)


class RecoveryForm(FlaskForm):
    code = StringField(
        "Recovery code",
        [InputRequired("Enter one of your recovery codes."), Length(max=40)],
    )


class ReauthForm(FlaskForm):
    """Password and current code again before a sensitive change."""

    password = PasswordField(
        "Your password", [InputRequired("Enter your password."), Length(max=1024)]
    )
    code = StringField("Authentication code", _CODE)
