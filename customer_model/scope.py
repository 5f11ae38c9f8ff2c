"""Who may see what: the one data scope every view, API endpoint and Dash callback uses.

Two independent questions, answered here and nowhere else:

* **Which rows?** A :class:`Scope` is built once per request from the signed-in
  :class:`~customer_model.identity.PortalUser`. The ``visible_*`` functions turn it
  into SQLAlchemy ``Select`` statements, and :func:`get_visible` fetches one row by
  id, or ``None`` when it does not exist *or* is not this user's: callers answer
  both with the same 404, so an id never reveals that someone else's row exists.
* **Which actions?** :func:`can` checks a :class:`Permission` against the role.

Row rules (a customer reaches a premise only through a service account):

* ``customer``, ``org_admin``, ``viewer`` and ``billing`` see every account of
  their customer, and the premises, meters and bills reached through them.
* ``site_manager`` sees the same, limited to the premises listed in
  ``site_access`` *and* still only through their own customer's accounts (a
  ``site_access`` row pointing at someone else's premise grants nothing).
* ``agent`` (utility staff), an inactive user, or a user without a customer sees
  nothing through this scope. The staff view will be a separate, audited path
  (a later issue); it must not widen this one.

Moves and closed accounts (history): a premise, meter or bill reached through a
*closed* account (``status`` closed, ``end_date`` set) stays visible, so a
customer who moved out keeps their past bills and can still open the address
they used to hold. What such a customer must not see is the next occupant's
life there, so:

* usage (:func:`visible_daily_usage`, :func:`usage_periods`) is limited to the
  days between ``start_date`` and ``end_date`` (both inclusive) of the
  customer's own accounts at that premise;
* another customer's account at the same premise is never visible, and neither
  are its bills;
* :func:`visible_premises` with ``current_only=True`` keeps only premises held
  through a pending or active account: use it for things that belong to whoever
  lives there now (behind-the-meter assets, state-changing actions).

"Current" is decided by the account ``status`` rather than by comparing
``end_date`` with today, so the rule needs no clock and no time zone.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from sqlalchemy import BigInteger, ColumnElement, Select, and_, false, or_, select
from sqlalchemy.orm import Session

from .accounts import Premise, ServiceAccount
from .billing import Bill
from .enums import AccountStatus
from .identity import PortalUser, Role, SiteAccess
from .usage import DailyUsage, Meter

T = TypeVar("T")

INT32_MAX = 2**31 - 1
"""Largest id an ``INTEGER`` primary key holds on PostgreSQL."""
INT64_MAX = 2**63 - 1

CURRENT_STATUSES = (AccountStatus.PENDING, AccountStatus.ACTIVE)
"""Account statuses that make a premise "currently held" (everything else is history)."""


@dataclasses.dataclass(frozen=True)
class Scope:
    """The slice of the customer view one user may see.

    ``site_ids`` ``None`` means every premise of the customer; a set (always one
    for a ``site_manager``, possibly empty) limits the premises to those ids.
    ``customer_id`` ``None`` means nothing at all is visible.
    """

    user_id: int | None
    role: Role | None
    customer_id: int | None
    site_ids: frozenset[int] | None = None

    def __post_init__(self) -> None:
        if self.role is Role.SITE_MANAGER and self.site_ids is None:
            raise ValueError("a site_manager scope needs its list of sites (fail closed)")

    @classmethod
    def for_user(cls, session: Session, user: PortalUser) -> Scope:
        """The scope of ``user``: their customer, and their sites if they are a site manager."""
        customer_id = user.customer_id
        if not user.is_active or user.role is Role.AGENT:
            customer_id = None
        site_ids = None
        if user.role is Role.SITE_MANAGER:
            site_ids = frozenset(
                session.scalars(select(SiteAccess.premise_id).where(SiteAccess.user_id == user.id))
            )
        return cls(user_id=user.id, role=user.role, customer_id=customer_id, site_ids=site_ids)

    @classmethod
    def nobody(cls) -> Scope:
        """The scope of someone not signed in: sees nothing, may do nothing."""
        return cls(user_id=None, role=None, customer_id=None)

    @property
    def sees_nothing(self) -> bool:
        return self.customer_id is None or self.site_ids == frozenset()


# --- which rows --------------------------------------------------------------------------


def account_criteria(scope: Scope) -> ColumnElement[bool]:
    """The ``WHERE`` clause on :class:`ServiceAccount` that every rule below builds on."""
    if scope.sees_nothing:
        return false()
    criteria = ServiceAccount.customer_id == scope.customer_id
    if scope.site_ids is not None:
        criteria = and_(criteria, ServiceAccount.premise_id.in_(sorted(scope.site_ids)))
    return criteria


def visible_accounts(scope: Scope, *, current_only: bool = False) -> Select[tuple[ServiceAccount]]:
    """The service accounts of ``scope`` (closed ones included unless ``current_only``)."""
    statement = select(ServiceAccount).where(account_criteria(scope))
    if current_only:
        statement = statement.where(ServiceAccount.status.in_(CURRENT_STATUSES))
    return statement


def visible_premises(scope: Scope, *, current_only: bool = False) -> Select[tuple[Premise]]:
    """Premises (sites) reached through the accounts of ``scope``."""
    held = select(ServiceAccount.premise_id).where(account_criteria(scope))
    if current_only:
        held = held.where(ServiceAccount.status.in_(CURRENT_STATUSES))
    return select(Premise).where(Premise.id.in_(held))


def visible_meters(scope: Scope) -> Select[tuple[Meter]]:
    """Meters at the premises of ``scope`` (their readings: see :func:`visible_daily_usage`)."""
    held = select(ServiceAccount.premise_id).where(account_criteria(scope))
    return select(Meter).where(Meter.premise_id.in_(held))


def visible_bills(scope: Scope) -> Select[tuple[Bill]]:
    """Bills of the accounts of ``scope`` (a closed account's bills included)."""
    accounts = select(ServiceAccount.id).where(account_criteria(scope))
    return select(Bill).where(Bill.account_id.in_(accounts))


def visible_daily_usage(scope: Scope) -> Select[tuple[DailyUsage]]:
    """Daily rollups of visible meters, only on days one of the scope's accounts covered.

    A meter stays at the premise when customers move: without the date test, the
    previous occupant would read the next one's consumption.
    """
    covering = (
        select(ServiceAccount.id)
        .join(Meter, Meter.premise_id == ServiceAccount.premise_id)
        .where(
            account_criteria(scope),
            Meter.id == DailyUsage.meter_id,
            ServiceAccount.start_date <= DailyUsage.local_date,
            or_(
                ServiceAccount.end_date.is_(None), ServiceAccount.end_date >= DailyUsage.local_date
            ),
        )
    )
    return select(DailyUsage).where(covering.exists())


def usage_periods(
    session: Session, scope: Scope, meter: Meter
) -> list[tuple[dt.date, dt.date | None]]:
    """The local-date ranges (inclusive, ``None`` = open) whose readings ``scope`` may see.

    For readers of raw intervals (exports, charts) that cannot use
    :func:`visible_daily_usage` directly.
    """
    rows = session.execute(
        select(ServiceAccount.start_date, ServiceAccount.end_date)
        .where(account_criteria(scope), ServiceAccount.premise_id == meter.premise_id)
        .order_by(ServiceAccount.start_date)
    ).all()
    return [(start, end) for start, end in rows]


_VISIBLE: Mapping[type[Any], Callable[[Scope], Select[Any]]] = {
    Premise: visible_premises,
    ServiceAccount: visible_accounts,
    Meter: visible_meters,
    Bill: visible_bills,
}


def get_visible(session: Session, scope: Scope, model: type[T], id_: object) -> T | None:
    """The ``model`` row with primary key ``id_`` if ``scope`` may see it, else ``None``.

    ``None`` also for ids that cannot be a key (not an int, zero, negative, or too
    large for the column: PostgreSQL would refuse those with an error, not an
    empty result). Raises ``TypeError`` for a model without a rule here.
    """
    try:
        statement = _VISIBLE[model]
    except KeyError:
        raise TypeError(f"no visibility rule for {model.__name__}") from None
    if type(id_) is not int or not 0 < id_ <= _max_id(model):
        return None
    return session.scalars(statement(scope).where(model.id == id_)).one_or_none()  # type: ignore[attr-defined]


def _max_id(model: type[Any]) -> int:
    column = model.__table__.c.id
    return INT64_MAX if isinstance(column.type, BigInteger) else INT32_MAX


# --- which actions -----------------------------------------------------------------------


class Permission(enum.StrEnum):
    VIEW_ACCOUNTS = "view_accounts"
    """Account list and details (number, address, tariff, status)."""
    VIEW_SITES = "view_sites"
    """Premise/site details: meters and behind-the-meter assets."""
    VIEW_USAGE = "view_usage"
    """Readings and rollups, the usage dashboards."""
    VIEW_BILLS = "view_bills"
    PAY_BILLS = "pay_bills"
    CHANGE = "change"
    """Any state-changing request about visible accounts or sites (preferences,
    outage reports, enrolments …). ``viewer`` never has it."""
    MANAGE_ACCOUNTS = "manage_accounts"
    """Start, stop or move service (contracts)."""
    MANAGE_USERS = "manage_users"
    """Invite and remove the organisation's portal users, assign roles and sites."""


_READ = frozenset(
    {
        Permission.VIEW_ACCOUNTS,
        Permission.VIEW_SITES,
        Permission.VIEW_USAGE,
        Permission.VIEW_BILLS,
    }
)

ROLE_PERMISSIONS: Mapping[Role, frozenset[Permission]] = {
    Role.CUSTOMER: _READ | {Permission.PAY_BILLS, Permission.CHANGE, Permission.MANAGE_ACCOUNTS},
    Role.ORG_ADMIN: frozenset(Permission),
    Role.SITE_MANAGER: _READ | {Permission.CHANGE},
    Role.VIEWER: _READ,
    Role.BILLING: frozenset(
        {Permission.VIEW_ACCOUNTS, Permission.VIEW_BILLS, Permission.PAY_BILLS}
    ),
    Role.AGENT: frozenset(),
}
"""What each role may do (within its rows). ``agent`` has nothing here: staff
permissions will come with the staff view."""


def can(scope: Scope, permission: Permission | str) -> bool:
    """True when ``scope``'s role has ``permission``; ``ValueError`` for an unknown name."""
    wanted = Permission(permission)
    if scope.role is None or scope.customer_id is None:
        return False
    return wanted in ROLE_PERMISSIONS[scope.role]
