"""The object flask-login keeps for the signed-in user.

A thin wrapper over ``PortalUser`` so the model stays free of flask-login.
"""

from __future__ import annotations

from flask_login import UserMixin

from customer_model import PortalUser, Session

from . import login_manager


class SessionUser(UserMixin):
    """What ``current_user`` is once both factors have passed."""

    def __init__(self, user: PortalUser) -> None:
        self.user = user
        self.id = str(user.id)

    @property
    def role(self) -> str:
        return self.user.role.value

    @property
    def customer_id(self) -> int | None:
        return self.user.customer_id

    @property
    def is_active(self) -> bool:
        return self.user.is_active


@login_manager.user_loader
def load_user(user_id: str) -> SessionUser | None:
    user = Session.get(PortalUser, int(user_id)) if user_id.isdigit() else None
    return SessionUser(user) if user is not None else None
