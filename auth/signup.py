"""Sign-up by linking a utility account, and e-mail verification (issue 3, item 1).

The customer proves they hold the account with three facts printed on every
bill: the account number, the postal code of the service address and the total
of the latest bill. The three are checked together and a failure never says
which one was wrong, nor whether the e-mail address is already in use. Every
attempt costs one argon2 hash, so response times do not tell the paths apart.

Pure: no Flask. Services take a SQLAlchemy ``Session`` and a ``ClientInfo`` and
never commit; the caller does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from customer_model import (
    Bill,
    BillStatus,
    Customer,
    CustomerKind,
    PortalUser,
    Premise,
    Role,
    ServiceAccount,
    utcnow,
)
from messaging import MailSettings, send_email

from . import audit, one_time, passwords, tokens
from .client import ClientInfo

GENERIC_FAILURE = (
    "We could not match those details to an account, or this e-mail cannot be used. "
    "Check your latest bill and try again."
)

_ACCOUNT_NUMBER = re.compile(r"[0-9]{10,12}")
_POSTAL_CODE = re.compile(r"[ABCEGHJ-NPRSTVXY][0-9][ABCEGHJ-NPRSTV-Z][0-9][ABCEGHJ-NPRSTV-Z][0-9]")
_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)
_AMOUNT_PLAIN = re.compile(r"\d{1,7}(?:[.,]\d{1,2})?", re.ASCII)
_AMOUNT_EN_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?", re.ASCII)
_AMOUNT_FR_GROUPED = re.compile(r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d{1,2})?", re.ASCII)
_SEPARATORS = str.maketrans("", "", " -\u00a0\u202f")
MAX_EMAIL_LENGTH = 254
"""RFC 5321's limit on a forward path."""
SIGNUP_TYPES = (CustomerKind.PERSON,)
"""Only households sign themselves up: an organisation's users are set up with a role."""


# --- formats: allow-lists, each raising ValueError with a message for the field ---


def normalise_account_number(raw: str) -> str:
    """10 to 12 digits, as printed on the bill (spaces and dashes allowed)."""
    number = raw.strip().translate(_SEPARATORS)
    if not _ACCOUNT_NUMBER.fullmatch(number):
        raise ValueError("Enter the 10 to 12 digit account number shown on your bill.")
    return number


def normalise_postal_code(raw: str) -> str:
    """A Canadian postal code as ``A1A 1A1`` (any case, with or without the space)."""
    code = raw.strip().upper().translate(_SEPARATORS)
    if not _POSTAL_CODE.fullmatch(code):
        raise ValueError("Enter the postal code of the service address, like A1A 1A1.")
    return f"{code[:3]} {code[3:]}"


def parse_amount_cents(raw: str) -> int:
    """A bill total in cents: ``123.45``, ``$123.45``, ``123,45 $``, ``1,234.56``, ``-12.00``."""
    text = raw.strip().replace("\u2212", "-")
    negative = text.startswith("-")
    text = text.removeprefix("-").strip()
    if text.startswith("$"):
        text = text[1:].strip()
    elif text.endswith("$"):
        text = text[:-1].strip()
    if not negative and text.startswith("-"):
        negative, text = True, text[1:].strip()
    if _AMOUNT_PLAIN.fullmatch(text):
        number = text.replace(",", ".")
    elif _AMOUNT_EN_GROUPED.fullmatch(text):
        number = text.replace(",", "")
    elif _AMOUNT_FR_GROUPED.fullmatch(text):
        number = re.sub(r"[ \u00a0\u202f]", "", text).replace(",", ".")
    else:
        raise ValueError("Enter the amount of your latest bill, like 123.45.")
    try:
        cents = int(Decimal(number) * 100)
    except InvalidOperation as error:  # pragma: no cover - the patterns only let digits in
        raise ValueError("Enter the amount of your latest bill, like 123.45.") from error
    return -cents if negative else cents


def normalise_email(raw: str) -> str:
    """A plain ASCII address, lower-cased; never anything that could carry a header."""
    if any(ch in raw for ch in "\r\n\0"):
        raise ValueError("Enter an e-mail address on one line, like name@example.com.")
    email = raw.strip(" \t").lower()
    if len(email) > MAX_EMAIL_LENGTH or not _EMAIL.fullmatch(email):
        raise ValueError("Enter an e-mail address, like name@example.com.")
    return email


# --- sign-up ---


@dataclass(frozen=True)
class SignupDetails:
    """What the customer typed, already normalised by the functions above."""

    account_number: str
    postal_code: str
    last_bill_cents: int
    email: str
    password: str


def latest_bill_cents(db: Session, account_id: int) -> int | None:
    """The total of the most recent bill the customer has received (drafts excluded)."""
    return db.scalar(
        select(Bill.total_cents)
        .where(
            Bill.account_id == account_id,
            Bill.status.not_in([BillStatus.DRAFT, BillStatus.CANCELLED]),
        )
        .order_by(Bill.issue_date.desc(), Bill.period_start.desc(), Bill.id.desc())
        .limit(1)
    )


def sign_up(
    db: Session,
    client: ClientInfo,
    details: SignupDetails,
    *,
    settings: MailSettings,
    secret_key: str,
    verify_url: Callable[[str], str],
) -> PortalUser | None:
    """Create an unverified ``customer`` user and mail the verification link.

    ``None`` means the generic failure (:data:`GENERIC_FAILURE`): the facts do
    not match an account a household may link, or the address is taken. The
    same work (one argon2 hash, the same three queries) is done either way.
    """
    password_hash = passwords.hash_password(details.password)
    found = db.execute(
        select(ServiceAccount.id, ServiceAccount.customer_id, Premise.postal_code, Customer.kind)
        .join(Premise, ServiceAccount.premise_id == Premise.id)
        .join(Customer, ServiceAccount.customer_id == Customer.id)
        .where(ServiceAccount.account_number == details.account_number)
    ).one_or_none()
    bill_cents = latest_bill_cents(db, found.id if found else -1)
    email_taken = db.scalar(
        select(func.count()).select_from(PortalUser).where(PortalUser.email == details.email)
    )
    matched = (
        found is not None
        and found.kind in SIGNUP_TYPES
        and _same_postal_code(found.postal_code, details.postal_code)
        and bill_cents is not None
        and bill_cents == details.last_bill_cents
        and not email_taken
    )
    if not matched or found is None:
        audit.record(db, "signup_failure", client, email=details.email)
        return None
    user = PortalUser(
        email=details.email,
        password_hash=password_hash,
        role=Role.CUSTOMER,
        customer_id=found.customer_id,
        is_active=True,
        email_verified_at=None,
        password_changed_at=utcnow(),
        failed_attempts=0,
    )
    try:
        with db.begin_nested():
            db.add(user)
    except IntegrityError:  # the same address signed up concurrently
        audit.record(db, "signup_failure", client, email=details.email)
        return None
    audit.record(db, "signup", client, user=user)
    send_verification(db, user, settings=settings, secret_key=secret_key, verify_url=verify_url)
    return user


def _same_postal_code(stored: str, typed: str) -> bool:
    try:
        return normalise_postal_code(stored) == typed
    except ValueError:
        return False


def send_verification(
    db: Session,
    user: PortalUser,
    *,
    settings: MailSettings,
    secret_key: str,
    verify_url: Callable[[str], str],
) -> None:
    """Mail a link that proves the address belongs to whoever signed up."""
    token = tokens.make(secret_key, tokens.VERIFY_EMAIL, user.id)
    hours = tokens.MAX_AGE[tokens.VERIFY_EMAIL] // 3600
    send_email(
        db,
        settings,
        user.email,
        "Confirm your e-mail address for the energy portal",
        (
            "Hello,\n\n"
            "An online account for your electricity account was created with this "
            "e-mail address. To confirm the address, open this link:\n\n"
            f"{verify_url(token)}\n\n"
            f"The link works once and expires in {hours} hours.\n\n"
            "If you did not sign up, ignore this message: nobody can sign in with "
            "this address until it is confirmed.\n"
        ),
    )


# --- verification ---


def is_verified(user: PortalUser) -> bool:
    """Whether ``user`` may sign in as far as the e-mail address is concerned."""
    return user.email_verified_at is not None


def verify_email(db: Session, client: ClientInfo, secret_key: str, token: str) -> PortalUser:
    """Mark the address verified and the link used (no commit).

    Raises :class:`auth.one_time.LinkRefused` for a tampered, expired or reused
    link; nothing changes then.
    """
    found = one_time.claims(secret_key, tokens.VERIFY_EMAIL, token)
    user = db.get(PortalUser, found.user_id)
    if user is None or not user.is_active:
        raise one_time.LinkRefused("invalid")
    one_time.redeem(db, found)
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        audit.record(db, "email_verified", client, user=user)
    return user
