"""Encryption of TOTP secrets at rest (Fernet: AES-128-CBC + HMAC-SHA256).

The key is derived from ``SECRET_KEY`` with HKDF under a purpose label, so a
database dump alone does not reveal the authenticator secrets.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_PURPOSE = b"energy-portal totp secret v1"


def _fernet(secret_key: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_PURPOSE).derive(
        secret_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(secret_key: str, plaintext: str) -> str:
    """Encrypt ``plaintext`` for storage."""
    return _fernet(secret_key).encrypt(plaintext.encode()).decode()


def decrypt(secret_key: str, token: str) -> str:
    """Decrypt a stored value; raises ``ValueError`` if it was tampered with."""
    try:
        return _fernet(secret_key).decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise ValueError("stored secret cannot be decrypted with this SECRET_KEY") from error
