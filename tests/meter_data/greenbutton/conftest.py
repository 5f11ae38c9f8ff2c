from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "greenbutton"


def sample(name: str) -> Path:
    return FIXTURES / name
