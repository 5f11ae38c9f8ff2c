"""Customer numbers, account numbers and meter serials, drawn from the seed.

Account numbers carry a Luhn check digit, as utilities' do, so a form can catch
a mistyped one: 12 digits in Quebec, 10 in Ontario.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from .cast import CUSTOMERS
from .randomness import stream


@dataclasses.dataclass(frozen=True)
class Identifiers:
    customer_numbers: dict[str, str]
    """Customer key → customer number."""
    account_numbers: dict[str, str]
    """Premise key → account number."""
    serials: dict[str, str]
    """Premise key → meter serial."""


def luhn_digit(digits: str) -> str:
    """The check digit that makes ``digits`` + it pass the Luhn test."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def _unique(rng: np.random.Generator, seen: set[str], make: str, digits: int) -> str:
    while True:
        body = "".join(str(d) for d in rng.integers(0, 10, digits))
        value = make.format(body=body, check=luhn_digit(body))
        if value not in seen and not body.startswith("0"):
            seen.add(value)
            return value


def draw_identifiers(seed: int) -> Identifiers:
    rng = stream(seed, "identifiers")
    seen: set[str] = set()
    customers, accounts, serials = {}, {}, {}
    for customer in CUSTOMERS:
        customers[customer.key] = _unique(rng, seen, "C{body}", 8)
        for premise in customer.premises:
            length = 11 if premise.region == "QC" else 9
            accounts[premise.key] = _unique(rng, seen, "{body}{check}", length)
            serials[premise.key] = _unique(rng, seen, premise.region + "{body}", 9)
    return Identifiers(customers, accounts, serials)
