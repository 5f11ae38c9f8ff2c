"""The web side of scoping: the signed-in user's :class:`~customer_model.Scope`, and 404s.

Every view, API endpoint and Dash callback gets its data through these helpers
(rules in :mod:`customer_model.scope`):

* :func:`current_scope` — the request's scope, built once and kept on ``flask.g``;
* :func:`get_or_404` — one row by id, or 404 when it does not exist *or* is not
  the user's (never 403: a different answer would confirm that the id exists);
* :func:`requires` — a view decorator: 404 for a role without the permission.

Ids come from ``<int:…>`` URL converters, so non-numeric and negative ids never
reach a view; ids too large for the column are answered 404 by ``get_visible``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort, current_app, g
from flask_login import current_user

from customer_model import Permission, Scope, Session, can, get_visible

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])

_G_KEY = "portal_scope"


def current_scope() -> Scope:
    """The signed-in user's scope (:meth:`Scope.nobody` for anonymous visitors)."""
    scope = g.get(_G_KEY)
    if scope is None:
        if current_user.is_authenticated:
            scope = Scope.for_user(Session(), current_user.user)
        else:
            scope = Scope.nobody()
        setattr(g, _G_KEY, scope)
    return scope


def get_or_404(model: type[T], id_: int) -> T:
    """The ``model`` row ``id_`` if the current user may see it; otherwise ``abort(404)``."""
    row = get_visible(Session(), current_scope(), model, id_)
    if row is None:
        abort(404)
    return row


def allowed(permission: Permission | str) -> bool:
    """True when the current user's role has ``permission`` (for templates and callbacks)."""
    return can(current_scope(), permission)


def requires(permission: Permission | str) -> Callable[[F], F]:
    """Decorate a view: anonymous visitors go to sign-in, roles without ``permission`` get 404.

    The permission name is checked when the module is imported, so a typo fails
    at start-up instead of silently denying (or allowing) at run time.
    """
    wanted = Permission(permission)

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
            if not can(current_scope(), wanted):
                abort(404)
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate
