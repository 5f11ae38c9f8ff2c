"""The object flask-login keeps for the signed-in user.

A thin wrapper over ``PortalUser`` so the model stays free of flask-login. The
loader also checks the server-side session, so an ended or expired session
signs the browser out whatever its cookie says.
"""

from __future__ import annotations

from flask_login import UserMixin

from customer_model import PortalUser, Role, Session

from . import login_manager, sessions


class SessionUser(UserMixin):
    """What ``current_user`` is once both factors have passed."""

    def __init__(self, user: PortalUser) -> None:
        self.user = user
        self.id = str(user.id)

    @property
    def role(self) -> Role:
        return self.user.role

    @property
    def customer_id(self) -> int | None:
        return self.user.customer_id

    @property
    def email(self) -> str:
        return self.user.email

    @property
    def is_active(self) -> bool:
        return self.user.is_active


@login_manager.user_loader
def load_user(user_id: str) -> SessionUser | None:
    if not user_id.isdigit():
        return None
    db = Session()
    user = db.get(PortalUser, int(user_id))
    if user is None or not user.is_active or sessions.current(db, user.id) is None:
        return None
    return SessionUser(user)
