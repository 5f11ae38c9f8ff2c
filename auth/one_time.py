"""Single use for the signed e-mail links of :mod:`auth.tokens`.

``tokens`` checks signature, purpose and age; this module adds the rest: a link
is redeemed by storing its random id in ``redeemed_token`` (its primary key), in
the same transaction as the change it authorises, so a second use, even a
concurrent one, is refused.
"""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from customer_model import RedeemedToken

from . import tokens

MAX_TOKEN_LENGTH = 512
"""Real tokens are ~100 characters; anything much longer is not worth parsing."""


class LinkRefused(Exception):
    """The link cannot be used; ``reason`` is ``invalid``, ``expired`` or ``used``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def claims(secret_key: str, purpose: str, token: str) -> tokens.TokenClaims:
    """The checked claims of ``token``, or :class:`LinkRefused` (invalid / expired)."""
    if len(token) > MAX_TOKEN_LENGTH:
        raise LinkRefused("invalid")
    try:
        return tokens.read(secret_key, purpose, token)
    except tokens.TokenInvalid as error:
        raise LinkRefused("expired" if str(error) == "expired" else "invalid") from error


def issued_at(secret_key: str, purpose: str, token: str) -> int:
    """When a token that :func:`claims` accepted was made (epoch seconds)."""
    serializer = URLSafeTimedSerializer(secret_key, salt=purpose)
    try:
        _payload, timestamp = serializer.loads(token, return_timestamp=True)
    except BadSignature as error:  # pragma: no cover - claims() checked it already
        raise LinkRefused("invalid") from error
    return int(timestamp.timestamp())


def is_redeemed(db: Session, found: tokens.TokenClaims) -> bool:
    return db.get(RedeemedToken, found.token_id) is not None


def redeem(db: Session, found: tokens.TokenClaims) -> None:
    """Mark the token used (no commit); :class:`LinkRefused` ``used`` if it already was."""
    if is_redeemed(db, found):
        raise LinkRefused("used")
    try:
        with db.begin_nested():
            db.add(RedeemedToken(token_id=found.token_id, purpose=found.purpose))
    except IntegrityError as error:  # redeemed by a concurrent request
        raise LinkRefused("used") from error
