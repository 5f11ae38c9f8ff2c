"""Seeded demo data: realistic customers, premises and two years of 15-minute readings.

Pure numpy + the customer model (no web framework). ``load_demo_data`` fills an
empty database; the same seed and end date always give the same data, and the
demo passwords can be derived again from the seed (``demo_users``).
"""

from .generator import DemoData, generate
from .greenbutton import greenbutton_hook
from .loader import DEFAULT_SEED, DemoDataRefused, load_demo_data
from .users import demo_password, demo_users, is_demo_database

__all__ = [
    "DEFAULT_SEED",
    "DemoData",
    "DemoDataRefused",
    "demo_password",
    "demo_users",
    "generate",
    "greenbutton_hook",
    "is_demo_database",
    "load_demo_data",
]
