"""``auth.scoping``: the request's scope, ``get_or_404`` and ``requires``."""

from __future__ import annotations

import pytest
from flask import g
from flask_login import login_user
from sqlalchemy import event, select
from werkzeug.exceptions import NotFound

from auth.scoping import _G_KEY, allowed, current_scope, get_or_404, requires
from auth.session_user import SessionUser
from customer_model import Meter, PortalUser, Premise, Role, Scope
from tests.portal.conftest import LUC, RAJ, TREMBLAY, accounts_of


def user(db, email: str) -> PortalUser:
    return db.scalars(select(PortalUser).where(PortalUser.email == email)).one()


def test_scope_is_built_once_per_request(app, db_session, demo):
    raj = user(db_session, RAJ)
    selects = []

    def record(_conn, _cursor, statement, *_args) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            selects.append(statement)

    connection = db_session.connection()
    event.listen(connection, "before_cursor_execute", record)
    try:
        with app.test_request_context("/"):
            login_user(SessionUser(raj))
            first = current_scope()
            second = current_scope()
            assert first is second
            assert getattr(g, _G_KEY) is first
    finally:
        event.remove(connection, "before_cursor_execute", record)
    assert first.role is Role.SITE_MANAGER
    assert len(first.site_ids) == 3
    assert len(selects) == 1  # the site list, read once


def test_anonymous_scope_sees_nothing(app, demo):
    with app.test_request_context("/"):
        assert current_scope() == Scope.nobody()
        assert not allowed("view_accounts")
        with pytest.raises(NotFound):
            get_or_404(Premise, 1)


def test_get_or_404(app, db_session, demo):
    own = accounts_of(db_session, TREMBLAY)[0]
    with app.test_request_context("/"):
        login_user(SessionUser(user(db_session, TREMBLAY)))
        assert get_or_404(Premise, own.premise_id).id == own.premise_id
        for other in (own.premise_id + 2, 99999999999999999999, -5, 0):
            with pytest.raises(NotFound):
                get_or_404(Premise, other)


def test_requires_answers_404_for_a_role_without_the_permission(app, db_session, demo):
    @requires("view_usage")
    def usage_view() -> str:
        return "usage"

    with app.test_request_context("/"):
        login_user(SessionUser(user(db_session, LUC)))
        with pytest.raises(NotFound):
            usage_view()
    with app.test_request_context("/"):
        login_user(SessionUser(user(db_session, TREMBLAY)))
        assert usage_view() == "usage"


def test_requires_sends_anonymous_visitors_to_sign_in_whatever_the_order(app, demo):
    @requires("view_bills")
    def bills_view() -> str:
        return "bills"

    with app.test_request_context("/bills"):
        response = bills_view()
        assert response.status_code == 302
        assert response.location.startswith("/auth/login")


def test_requires_refuses_a_misspelt_permission_at_import_time():
    with pytest.raises(ValueError, match="view_usgae"):
        requires("view_usgae")


def test_meter_lookup_goes_through_the_scope(app, db_session, demo):
    theirs = db_session.scalar(
        select(Meter.id).where(Meter.premise_id == accounts_of(db_session, RAJ)[0].premise_id)
    )
    with app.test_request_context("/"):
        login_user(SessionUser(user(db_session, TREMBLAY)))
        with pytest.raises(NotFound):
            get_or_404(Meter, theirs)
