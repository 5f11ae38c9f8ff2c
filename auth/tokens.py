"""Signed, expiring, single-use tokens for e-mail links (verification, reset).

Signing and expiry come from itsdangerous; single use comes from the caller
recording each token's random id once it has been redeemed.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

VERIFY_EMAIL = "verify-email"
RESET_PASSWORD = "reset-password"  # noqa: S105 (a token purpose, not a secret)
MAX_AGE = {VERIFY_EMAIL: 48 * 3600, RESET_PASSWORD: 3600}


class TokenInvalid(Exception):
    """Expired, tampered with, or made for another purpose."""


@dataclass(frozen=True)
class TokenClaims:
    user_id: int
    token_id: str
    purpose: str


def make(secret_key: str, purpose: str, user_id: int) -> str:
    """A URL-safe token for ``purpose``, valid for ``MAX_AGE[purpose]`` seconds."""
    serializer = URLSafeTimedSerializer(secret_key, salt=purpose)
    return serializer.dumps({"u": user_id, "j": secrets.token_urlsafe(16)})


def read(secret_key: str, purpose: str, token: str) -> TokenClaims:
    """Check signature, purpose and age; raises :class:`TokenInvalid`."""
    serializer = URLSafeTimedSerializer(secret_key, salt=purpose)
    try:
        data = serializer.loads(token, max_age=MAX_AGE[purpose])
    except SignatureExpired as error:
        raise TokenInvalid("expired") from error
    except BadSignature as error:
        raise TokenInvalid("invalid") from error
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise TokenInvalid("invalid")
    return TokenClaims(user_id=data["u"], token_id=str(data.get("j")), purpose=purpose)
