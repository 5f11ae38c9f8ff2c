"""Expected counts and totals, read from the fixtures with a few naive lines (not the parser)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "csv"


def fixture(name: str) -> Path:
    return FIXTURES / name


def text_of(name: str) -> str:
    data = fixture(name).read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def sce_totals(name: str) -> dict[str, tuple[int, Decimal]]:
    """Rows and kWh per block kind, from the quoted ``"… to …","0.123"`` lines."""
    totals = {"delivered": (0, Decimal(0)), "received": (0, Decimal(0))}
    block = "delivered"
    for line in text_of(name).splitlines():
        cells = [cell.strip().strip('"') for cell in line.replace("\xa0", " ").split(",")]
        if " to " in cells[0] and cells[0][:2] == "20":
            rows, kwh = totals[block]
            totals[block] = (rows + 1, kwh + Decimal(cells[1]))
        elif "Received" in line:
            block = "received"
        elif "Delivered" in line or "Energy Usage Data" in line:
            block = "delivered"
    return totals


def pge_totals(name: str) -> dict[str, tuple[int, Decimal]]:
    """Rows and kWh delivered/received: IMPORT/EXPORT columns, or USAGE split by sign."""
    rows = list(csv.reader(io.StringIO(text_of(name))))
    header = next(row for row in rows if row[:1] == ["TYPE"])
    data = [row for row in rows if row[:1] == ["Electric usage"]]
    delivered, received = Decimal(0), Decimal(0)
    for row in data:
        if header[4].startswith("IMPORT"):
            delivered += Decimal(row[4].replace(",", ""))
            received += Decimal(row[5].replace(",", ""))
        else:
            usage = Decimal(row[4])
            delivered += max(usage, Decimal(0))
            received += max(-usage, Decimal(0))
    return {"delivered": (len(data), delivered), "received": (len(data), received)}
