"""Forms for sign-up, password reset and password change.

Formats are checked by allow-list (the normalisers in :mod:`auth.signup`);
passwords by :func:`auth.password_policy.password_problems`. Each problem
becomes a field error the templates announce (summary with ``role="alert"``,
``aria-invalid`` and ``aria-describedby`` on the field).
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import EmailField, Field, PasswordField, StringField
from wtforms.validators import EqualTo, InputRequired, Length, ValidationError

from .password_policy import MAX_LENGTH, password_problems
from .signup import (
    normalise_account_number,
    normalise_email,
    normalise_postal_code,
    parse_amount_cents,
)

_MISMATCH = "The two passwords are not the same. Type the new password twice."


def _checked(parse: Any, field: Field) -> Any:
    try:
        return parse(field.data or "")
    except ValueError as error:
        raise ValidationError(str(error)) from error


def _new_password_problems(field: Field, email: str) -> None:
    problems = password_problems(field.data or "", email)
    if problems:
        raise ValidationError(" ".join(problems))


def _email_field() -> Any:  # an unbound field, bound per form
    return EmailField(
        "E-mail address",
        validators=[InputRequired("Enter your e-mail address.")],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )


def _new_password_field(label: str = "New password") -> Any:
    return PasswordField(
        label,
        validators=[InputRequired("Choose a new password.")],
        render_kw={"autocomplete": "new-password"},
    )


def _confirm_field(label: str = "New password again") -> Any:
    return PasswordField(
        label,
        validators=[
            InputRequired("Type the new password a second time."),
            EqualTo("password", _MISMATCH),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class _EmailChecks:
    email_value: str = ""

    def validate_email(self, field: Field) -> None:
        self.email_value = _checked(normalise_email, field)


class _NewPasswordChecks:
    def _email_for_policy(self) -> str:
        return ""

    def validate_password(self, field: Field) -> None:
        _new_password_problems(field, self._email_for_policy())


class SignupForm(_EmailChecks, _NewPasswordChecks, FlaskForm):
    """Link a utility account: three facts from the bill, then e-mail and password."""

    account_number = StringField(
        "Account number",
        validators=[InputRequired("Enter the account number shown on your bill.")],
        render_kw={"inputmode": "numeric"},
    )
    postal_code = StringField(
        "Postal code of the service address",
        validators=[InputRequired("Enter the postal code of the service address.")],
        render_kw={"autocomplete": "postal-code", "autocapitalize": "characters"},
    )
    bill_amount = StringField(
        "Amount of your latest bill",
        validators=[InputRequired("Enter the amount of your latest bill.")],
        render_kw={"inputmode": "decimal"},
    )
    email = _email_field()
    password = _new_password_field("Choose a password")
    confirm = _confirm_field("Password again")

    account_number_value: str = ""
    postal_code_value: str = ""
    bill_amount_cents: int = 0

    def validate_account_number(self, field: Field) -> None:
        self.account_number_value = _checked(normalise_account_number, field)

    def validate_postal_code(self, field: Field) -> None:
        self.postal_code_value = _checked(normalise_postal_code, field)

    def validate_bill_amount(self, field: Field) -> None:
        self.bill_amount_cents = _checked(parse_amount_cents, field)

    def _email_for_policy(self) -> str:
        return self.email_value or (self.email.data or "")


class ResetRequestForm(_EmailChecks, FlaskForm):
    """Ask for a reset link."""

    email = _email_field()


class ResetPasswordForm(_NewPasswordChecks, FlaskForm):
    """Choose a new password through a reset link."""

    password = _new_password_field()
    confirm = _confirm_field()

    def __init__(self, *args: Any, email: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._email = email

    def _email_for_policy(self) -> str:
        return self._email


class ChangePasswordForm(_NewPasswordChecks, FlaskForm):
    """Change the password of the signed-in user, who must know the current one."""

    current_password = PasswordField(
        "Current password",
        validators=[
            InputRequired("Enter your current password."),
            Length(max=4 * MAX_LENGTH, message="Enter your current password."),
        ],
        render_kw={"autocomplete": "current-password"},
    )
    password = _new_password_field()
    confirm = _confirm_field()

    def __init__(self, *args: Any, email: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._email = email

    def _email_for_policy(self) -> str:
        return self._email
