"""Scope rules on the demo data: each role sees its own slice and nothing else.

There is no move model yet (a later issue): moves are simulated here the way
they will be stored, by closing one account and opening another at the same
premise. The helpers are generic and need no change for it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from customer_model import (
    AccountStatus,
    Bill,
    BillLine,
    Customer,
    CustomerKind,
    CustomerType,
    DailyUsage,
    Meter,
    Permission,
    PortalUser,
    Premise,
    Role,
    Scope,
    ServiceAccount,
    SiteAccess,
    can,
    get_visible,
    usage_periods,
    visible_accounts,
    visible_bills,
    visible_daily_usage,
    visible_meters,
    visible_premises,
)
from demo_data.cast import CUSTOMERS, LAKESHORE, SITE_MANAGER_SITES, premise

HOUSEHOLDS = {
    "genevieve.tremblay@example.com": "Geneviève Tremblay",
    "daniel.okafor@example.net": "Daniel Okafor",
    "sarah.macleod@example.org": "Sarah MacLeod",
    "mariam.haddad@example.com": "Mariam Haddad",
}
LAKESHORE_USERS = {
    "olivia.chen@lakeshore.example.com": Role.ORG_ADMIN,
    "raj.patel@lakeshore.example.com": Role.SITE_MANAGER,
    "emma.wilson@lakeshore.example.com": Role.VIEWER,
    "luc.bouchard@lakeshore.example.com": Role.BILLING,
}
AGENT = "agent@utility.example.com"
RAJ = "raj.patel@lakeshore.example.com"
OLIVIA = "olivia.chen@lakeshore.example.com"
TREMBLAY = "genevieve.tremblay@example.com"
OKAFOR = "daniel.okafor@example.net"


def user(db: Session, email: str) -> PortalUser:
    return db.scalars(select(PortalUser).where(PortalUser.email == email)).one()


def scope_of(db: Session, email: str) -> Scope:
    return Scope.for_user(db, user(db, email))


def premise_ids(db: Session, scope: Scope, **options) -> set[int]:
    return set(db.scalars(visible_premises(scope, **options).with_only_columns(Premise.id)))


def premise_names(db: Session, scope: Scope) -> set[str]:
    return {p.name or p.address_line for p in db.scalars(visible_premises(scope))}


def customer_premises(db: Session, display_name: str) -> set[int]:
    return set(
        db.scalars(
            select(ServiceAccount.premise_id)
            .join(Customer, ServiceAccount.customer_id == Customer.id)
            .where(Customer.display_name == display_name)
        )
    )


@pytest.fixture
def no_demo_bills(db_session, demo) -> None:
    """The demo's monthly bills removed (rolled back after the test): exact bill sets below."""
    db_session.execute(delete(BillLine))
    db_session.execute(delete(Bill))
    db_session.flush()


def make_bill(db: Session, account: ServiceAccount, start: dt.date, total_cents: int) -> Bill:
    bill = Bill(
        account_id=account.id,
        period_start=start,
        period_end=start + dt.timedelta(days=29),
        issue_date=start + dt.timedelta(days=31),
        due_date=start + dt.timedelta(days=52),
        tariff_code=account.tariff_code,
        kwh_delivered=Decimal("512.250000"),
        subtotal_cents=total_cents - total_cents // 10,
        taxes_cents=total_cents // 10,
        total_cents=total_cents,
    )
    db.add(bill)
    db.flush()
    return bill


# --- rows ----------------------------------------------------------------------------------


def test_tremblay_sees_her_two_premises_and_their_meters(db_session, demo):
    scope = scope_of(db_session, TREMBLAY)
    assert scope.role is Role.CUSTOMER
    assert scope.site_ids is None
    assert premise_names(db_session, scope) == {"Maison", "Chalet du lac"}
    meters = db_session.scalars(visible_meters(scope)).all()
    assert {m.premise_id for m in meters} == premise_ids(db_session, scope)
    assert len(db_session.scalars(visible_accounts(scope)).all()) == 2


@pytest.mark.parametrize("email", sorted(HOUSEHOLDS))
def test_each_household_sees_exactly_its_own_premises(db_session, demo, email):
    scope = scope_of(db_session, email)
    own = customer_premises(db_session, HOUSEHOLDS[email])
    assert own  # positive control
    assert premise_ids(db_session, scope) == own
    everyone_else = set(db_session.scalars(select(Premise.id))) - own
    assert not premise_ids(db_session, scope) & everyone_else
    meter_premises = set(
        db_session.scalars(visible_meters(scope).with_only_columns(Meter.premise_id))
    )
    assert meter_premises == own


def test_households_never_overlap(db_session, demo):
    seen = [premise_ids(db_session, scope_of(db_session, email)) for email in HOUSEHOLDS]
    # four households' five premises and Sarah MacLeod's previous apartment (closed, 2012)
    assert sum(len(ids) for ids in seen) == len(set().union(*seen)) == 6


@pytest.mark.parametrize(
    "email", ["olivia.chen@lakeshore.example.com", "emma.wilson@lakeshore.example.com",
              "luc.bouchard@lakeshore.example.com"],
)  # fmt: skip
def test_organisation_roles_see_every_site(db_session, demo, email):
    scope = scope_of(db_session, email)
    assert scope.site_ids is None
    assert len(LAKESHORE.premises) == 26
    assert premise_ids(db_session, scope) == customer_premises(db_session, LAKESHORE.display_name)
    assert len(premise_ids(db_session, scope)) == 26


def test_site_manager_sees_exactly_his_three_sites(db_session, demo):
    scope = scope_of(db_session, RAJ)
    expected = {premise(key).name for key in SITE_MANAGER_SITES}
    assert len(expected) == 3
    assert premise_names(db_session, scope) == expected
    assert scope.site_ids == frozenset(premise_ids(db_session, scope))
    accounts = db_session.scalars(visible_accounts(scope)).all()
    assert {a.premise_id for a in accounts} == scope.site_ids
    meters = db_session.scalars(visible_meters(scope)).all()
    assert {m.premise_id for m in meters} == scope.site_ids
    other_site = (customer_premises(db_session, LAKESHORE.display_name) - scope.site_ids).pop()
    assert get_visible(db_session, scope, Premise, other_site) is None


def test_site_access_to_someone_elses_premise_grants_nothing(db_session, demo):
    raj = user(db_session, RAJ)
    tremblay_home = min(customer_premises(db_session, "Geneviève Tremblay"))
    db_session.add(SiteAccess(user_id=raj.id, premise_id=tremblay_home))
    db_session.flush()
    scope = Scope.for_user(db_session, raj)
    assert tremblay_home in scope.site_ids
    assert tremblay_home not in premise_ids(db_session, scope)
    assert get_visible(db_session, scope, Premise, tremblay_home) is None
    assert len(premise_ids(db_session, scope)) == 3


def test_site_manager_without_sites_sees_nothing(db_session, demo):
    raj = user(db_session, RAJ)
    for access in db_session.scalars(select(SiteAccess).where(SiteAccess.user_id == raj.id)):
        db_session.delete(access)
    db_session.flush()
    scope = Scope.for_user(db_session, raj)
    assert scope.site_ids == frozenset()
    assert scope.sees_nothing
    assert premise_ids(db_session, scope) == set()


def test_a_site_manager_scope_without_a_site_list_is_refused():
    with pytest.raises(ValueError, match="fail closed"):
        Scope(user_id=1, role=Role.SITE_MANAGER, customer_id=1, site_ids=None)


def _nothing_visible(db: Session, scope: Scope) -> None:
    for statement in (
        visible_premises(scope),
        visible_accounts(scope),
        visible_meters(scope),
        visible_bills(scope),
        visible_daily_usage(scope),
    ):
        count = db.scalar(select(func.count()).select_from(statement.subquery()))
        assert count == 0, statement


def test_agent_sees_nothing_through_the_customer_scope(db_session, demo):
    scope = scope_of(db_session, AGENT)
    assert scope.role is Role.AGENT
    assert scope.customer_id is None
    _nothing_visible(db_session, scope)
    assert not any(can(scope, permission) for permission in Permission)


def test_nobody_sees_nothing(db_session, demo):
    _nothing_visible(db_session, Scope.nobody())


def test_an_inactive_user_sees_nothing(db_session, demo):
    tremblay = user(db_session, TREMBLAY)
    tremblay.is_active = False
    _nothing_visible(db_session, Scope.for_user(db_session, tremblay))


def test_scope_is_frozen_and_hashable(db_session, demo):
    scope = scope_of(db_session, RAJ)
    with pytest.raises(dataclasses.FrozenInstanceError):
        scope.customer_id = 1  # type: ignore[misc]
    assert hash(scope) == hash(scope_of(db_session, RAJ))


# --- one row by id ---------------------------------------------------------------------------


def test_get_visible_returns_own_rows_and_none_for_others(db_session, demo, no_demo_bills):
    tremblay, okafor = scope_of(db_session, TREMBLAY), scope_of(db_session, OKAFOR)
    account = db_session.scalars(visible_accounts(tremblay)).first()
    meter = db_session.scalars(visible_meters(tremblay)).first()
    bill = make_bill(db_session, account, dt.date(2026, 9, 1), 12_345)
    for model, row in (
        (ServiceAccount, account),
        (Premise, account.premise),
        (Meter, meter),
        (Bill, bill),
    ):
        assert get_visible(db_session, tremblay, model, row.id) is row
        assert get_visible(db_session, okafor, model, row.id) is None
        assert get_visible(db_session, Scope.nobody(), model, row.id) is None


@pytest.mark.parametrize("bad_id", [0, -1, 2**31, 99999999999999999999, "1", 1.0, True, None])
@pytest.mark.parametrize("model", [Premise, ServiceAccount, Meter, Bill])
def test_ids_that_cannot_be_keys_are_simply_not_visible(db_session, demo, model, bad_id):
    assert get_visible(db_session, scope_of(db_session, TREMBLAY), model, bad_id) is None


def test_models_without_a_rule_are_refused(db_session, demo):
    with pytest.raises(TypeError, match="no visibility rule for Customer"):
        get_visible(db_session, scope_of(db_session, TREMBLAY), Customer, 1)


def test_bills_follow_the_accounts(db_session, demo, no_demo_bills):
    admin = scope_of(db_session, OLIVIA)
    lakeshore_accounts = {a.premise_id: a for a in db_session.scalars(visible_accounts(admin))}
    raj = scope_of(db_session, RAJ)
    mine = make_bill(db_session, lakeshore_accounts[min(raj.site_ids)], dt.date(2026, 9, 1), 900)
    other_site = next(pid for pid in lakeshore_accounts if pid not in raj.site_ids)
    theirs = make_bill(db_session, lakeshore_accounts[other_site], dt.date(2026, 9, 1), 800)
    household = db_session.scalars(visible_accounts(scope_of(db_session, TREMBLAY))).first()
    private = make_bill(db_session, household, dt.date(2026, 9, 1), 700)

    def bill_ids(email: str) -> set[int]:
        return set(
            db_session.scalars(
                visible_bills(scope_of(db_session, email)).with_only_columns(Bill.id)
            )
        )

    assert bill_ids(RAJ) == {mine.id}
    for email in LAKESHORE_USERS.keys() - {RAJ}:
        assert bill_ids(email) == {mine.id, theirs.id}
    assert bill_ids(TREMBLAY) == {private.id}
    assert bill_ids(OKAFOR) == set()
    assert bill_ids(AGENT) == set()


# --- moves: closed accounts keep their history, not the next occupant's -----------------------


@pytest.fixture
def moved(db_session, demo):
    """Okafor moves out of his home after 2026-06-30; a new household moves in on 07-01."""
    old = db_session.scalars(visible_accounts(scope_of(db_session, OKAFOR))).one()
    old.status = AccountStatus.CLOSED
    old.end_date = dt.date(2026, 6, 30)
    newcomer = Customer(
        customer_number="T-MOVE-IN",
        kind=CustomerKind.PERSON,
        customer_type=CustomerType.RESIDENTIAL,
        display_name="New Occupant",
    )
    db_session.add(newcomer)
    db_session.flush()
    new = ServiceAccount(
        account_number="T-MOVE-0001",
        customer_id=newcomer.id,
        premise_id=old.premise_id,
        start_date=dt.date(2026, 7, 1),
        tariff_code=old.tariff_code,
    )
    db_session.add(new)
    db_session.flush()
    newcomer_scope = Scope(user_id=None, role=Role.CUSTOMER, customer_id=newcomer.id)
    return old, new, newcomer_scope


def test_a_moved_out_customer_keeps_the_premise_as_history(db_session, moved):
    old, new, _ = moved
    okafor = scope_of(db_session, OKAFOR)
    assert premise_ids(db_session, okafor) == {old.premise_id}
    assert premise_ids(db_session, okafor, current_only=True) == set()
    assert get_visible(db_session, okafor, ServiceAccount, old.id) is old
    assert get_visible(db_session, okafor, ServiceAccount, new.id) is None
    assert db_session.scalars(visible_accounts(okafor, current_only=True)).all() == []


def test_usage_is_split_at_the_move(db_session, moved):
    old, new, newcomer = moved
    okafor = scope_of(db_session, OKAFOR)
    meter = db_session.scalars(visible_meters(okafor)).one()
    assert get_visible(db_session, newcomer, Meter, meter.id) is meter  # same meter, both see it

    def days(scope: Scope) -> list[dt.date]:
        statement = visible_daily_usage(scope).where(DailyUsage.meter_id == meter.id)
        return list(db_session.scalars(statement.with_only_columns(DailyUsage.local_date)))

    before, after = days(okafor), days(newcomer)
    assert before
    assert after
    assert max(before) == dt.date(2026, 6, 30)
    assert min(after) == dt.date(2026, 7, 1)
    all_days = db_session.scalar(select(func.count()).where(DailyUsage.meter_id == meter.id))
    assert len(before) + len(after) == all_days
    assert usage_periods(db_session, okafor, meter) == [(old.start_date, dt.date(2026, 6, 30))]
    assert usage_periods(db_session, newcomer, meter) == [(dt.date(2026, 7, 1), None)]


def test_the_next_occupants_bills_stay_theirs(db_session, moved, no_demo_bills):
    old, new, newcomer = moved
    last = make_bill(db_session, old, dt.date(2026, 6, 1), 5_000)
    first = make_bill(db_session, new, dt.date(2026, 7, 1), 6_000)
    okafor = scope_of(db_session, OKAFOR)
    assert list(db_session.scalars(visible_bills(okafor))) == [last]
    assert list(db_session.scalars(visible_bills(newcomer))) == [first]


# --- actions ---------------------------------------------------------------------------------

P = Permission
EXPECTED = {
    Role.CUSTOMER: {P.VIEW_ACCOUNTS, P.VIEW_SITES, P.VIEW_USAGE, P.VIEW_BILLS, P.PAY_BILLS,
                    P.CHANGE, P.MANAGE_ACCOUNTS},
    Role.ORG_ADMIN: set(P),
    Role.SITE_MANAGER: {P.VIEW_ACCOUNTS, P.VIEW_SITES, P.VIEW_USAGE, P.VIEW_BILLS, P.CHANGE},
    Role.VIEWER: {P.VIEW_ACCOUNTS, P.VIEW_SITES, P.VIEW_USAGE, P.VIEW_BILLS},
    Role.BILLING: {P.VIEW_ACCOUNTS, P.VIEW_BILLS, P.PAY_BILLS},
    Role.AGENT: set(),
}  # fmt: skip


@pytest.mark.parametrize("email", [*HOUSEHOLDS, *LAKESHORE_USERS, AGENT])
def test_role_permissions(db_session, demo, email):
    scope = scope_of(db_session, email)
    granted = {permission for permission in Permission if can(scope, permission)}
    assert granted == EXPECTED[scope.role]


def test_the_rules_that_matter_most(db_session, demo):
    billing = scope_of(db_session, "luc.bouchard@lakeshore.example.com")
    viewer = scope_of(db_session, "emma.wilson@lakeshore.example.com")
    admin = scope_of(db_session, OLIVIA)
    assert can(billing, "view_bills")
    assert not can(billing, "view_usage")
    assert can(viewer, "view_usage")
    assert not can(viewer, "change")
    assert not any(
        can(viewer, p) for p in (P.CHANGE, P.PAY_BILLS, P.MANAGE_ACCOUNTS, P.MANAGE_USERS)
    )
    assert can(admin, "manage_users")
    assert can(admin, "change")
    assert not can(Scope.nobody(), "view_accounts")


def test_an_unknown_permission_is_an_error_not_a_no(db_session, demo):
    with pytest.raises(ValueError, match="view_everything"):
        can(scope_of(db_session, TREMBLAY), "view_everything")


def test_every_demo_customer_is_covered(demo):
    assert {c.display_name for c in CUSTOMERS} == {*HOUSEHOLDS.values(), LAKESHORE.display_name}
