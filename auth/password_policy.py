"""What makes a password acceptable (NIST SP 800-63B §5.1.1.2, OWASP ASVS 2.1).

Length of at least 12 and at most 128, no composition rules, and not a password
known to be common or breached. Pure: no Flask.
"""

from __future__ import annotations

import functools
import gzip
import re
from pathlib import Path

MIN_LENGTH = 12
MAX_LENGTH = 128
_COMMON_LIST = Path(__file__).resolve().parent / "data" / "common-passwords.txt.gz"


@functools.cache
def _common_passwords() -> frozenset[str]:
    with gzip.open(_COMMON_LIST, "rt", encoding="utf-8") as handle:
        return frozenset(line.strip().lower() for line in handle if line.strip())


def password_problems(password: str, email: str = "") -> list[str]:
    """Reasons to refuse ``password`` (an empty list means it is acceptable).

    Besides the list itself, a password made of a common one plus digits or
    symbols around it, of one repeated character, or of the e-mail's local part
    is refused: those are the first guesses of any attacker.
    """
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"Use at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        problems.append(f"Use at most {MAX_LENGTH} characters.")
    lowered = password.lower()
    core = re.sub(r"^[\W\d_]+|[\W\d_]+$", "", lowered)
    local_part = email.split("@", 1)[0].lower()
    if (
        lowered in _common_passwords()
        or (core and core in _common_passwords())
        or len(set(lowered)) <= 2
        or (len(local_part) >= 4 and local_part in lowered)
    ):
        problems.append(
            "This password is too common or too easy to guess. "
            "A few unrelated words make a strong one."
        )
    return problems
