"""Single-use recovery codes: ten shown once, stored only as salted argon2id hashes.

Each code carries 64 bits from the CSPRNG (``secrets.token_hex(8)``); below 112
bits ASVS 5.0 asks for a salted password hash. OWASP's minimum argon2id
parameters keep checking ten hashes fast enough for one sign-in.
"""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

COUNT = 10
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


def generate() -> list[str]:
    """Ten fresh codes, formatted ``xxxx-xxxx-xxxx-xxxx`` for reading and typing."""
    codes = []
    for _ in range(COUNT):
        raw = secrets.token_hex(8)
        codes.append("-".join(raw[i : i + 4] for i in range(0, 16, 4)))
    return codes


def normalise(code: str) -> str:
    """Lower-case hex without spaces or dashes, so ``ABCD EF01…`` matches."""
    return "".join(ch for ch in code.lower() if ch in "0123456789abcdef")


def hash_code(code: str) -> str:
    """The stored (argon2id) form of a code."""
    return _hasher.hash(normalise(code))


def matches(code_hash: str, code: str) -> bool:
    """True when ``code`` is the one behind ``code_hash``."""
    try:
        return _hasher.verify(code_hash, normalise(code))
    except (VerificationError, InvalidHashError):
        return False
