"""Bulk insertion of numeric columns straight through the DBAPI driver.

Millions of readings through the ORM (or even Core executemany) take minutes;
binary ``COPY`` on PostgreSQL and a raw ``executemany`` on SQLite take seconds.
The rows join the caller's transaction, so a failed import leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import struct
from collections.abc import Iterator, Mapping
from itertools import repeat
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import BigInteger, Connection, SmallInteger, String, Table
from sqlalchemy.schema import AddConstraint, DropConstraint

Values = npt.NDArray[np.integer[Any]] | int | str
"""An array (one value per row) or a scalar repeated on every row."""

_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack("!ii", 0, 0)
_COPY_TRAILER = struct.pack("!h", -1)


def bulk_insert(connection: Connection, table: Table, columns: Mapping[str, Values]) -> int:
    """Insert one row per array element into ``table``; returns the row count.

    Arrays must have equal lengths; scalars are repeated. Integer columns only,
    plus scalar strings (e.g. a region code shared by the whole batch). SQLite
    and PostgreSQL (psycopg 3) only.
    """
    lengths = {len(value) for value in columns.values() if isinstance(value, np.ndarray)}
    if len(lengths) != 1:
        raise ValueError(f"need arrays of one common length, got lengths {lengths}")
    count = lengths.pop()
    if count == 0:
        return 0
    driver = connection.connection.driver_connection
    if connection.dialect.name == "postgresql":
        _copy_binary(driver, table, columns, count)
    elif connection.dialect.name == "sqlite":
        _executemany(driver, table, columns, count)
    else:
        raise NotImplementedError(f"bulk insert on {connection.dialect.name}")
    return count


def _executemany(driver: Any, table: Table, columns: Mapping[str, Values], count: int) -> None:
    """``executemany`` with scalar integers written into the statement (fewer binds per row)."""
    names = ", ".join(columns)
    marks = ", ".join(
        str(int(value)) if _is_int_scalar(value) else "?" for value in columns.values()
    )
    values = [
        value.tolist() if isinstance(value, np.ndarray) else repeat(value, count)
        for value in columns.values()
        if not _is_int_scalar(value)
    ]
    statement = f"INSERT INTO {table.name} ({names}) VALUES ({marks})"  # noqa: S608 (names from metadata)
    cursor = driver.cursor()
    try:
        cursor.executemany(statement, zip(*values, strict=True))
    finally:
        cursor.close()


def _is_int_scalar(value: Values) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


def _wire_type(table: Table, name: str, value: Values) -> str:
    """Big-endian numpy type of the column's PostgreSQL binary representation."""
    kind = table.c[name].type
    if isinstance(kind, String):
        if not isinstance(value, str):
            raise TypeError(f"{table.name}.{name}: only scalar strings are supported")
        return f"S{len(value.encode())}"
    if isinstance(kind, BigInteger):
        return ">i8"
    if isinstance(kind, SmallInteger):
        return ">i2"
    return ">i4"


def _copy_binary(driver: Any, table: Table, columns: Mapping[str, Values], count: int) -> None:
    """One ``COPY … FROM STDIN (FORMAT BINARY)``; rows laid out by a numpy record."""
    layout: list[tuple[str, str]] = [("fields", ">i2")]
    for index, (name, value) in enumerate(columns.items()):
        layout += [(f"size{index}", ">i4"), (f"value{index}", _wire_type(table, name, value))]
    record = np.empty(count, dtype=layout)
    record["fields"] = len(columns)
    for index, value in enumerate(columns.values()):
        wire = record.dtype[f"value{index}"]
        if isinstance(value, np.ndarray | int) and wire.kind == "i":
            _check_range(value, wire)
        record[f"size{index}"] = wire.itemsize
        record[f"value{index}"] = value.encode() if isinstance(value, str) else value
    names = ", ".join(columns)
    statement = f"COPY {table.name} ({names}) FROM STDIN (FORMAT BINARY)"
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        copy.write(_COPY_HEADER)
        copy.write(record.tobytes())
        copy.write(_COPY_TRAILER)


def _check_range(value: npt.NDArray[np.integer[Any]] | int, wire: np.dtype[Any]) -> None:
    """numpy would wrap silently where PostgreSQL would refuse: refuse too."""
    limits = np.iinfo(wire)
    low, high = (int(np.min(value)), int(np.max(value)))
    if low < limits.min or high > limits.max:
        raise OverflowError(f"values {low}..{high} do not fit {wire}")


@contextlib.contextmanager
def foreign_keys_checked_once(connection: Connection, table: Table) -> Iterator[None]:
    """Check ``table``'s foreign keys once after a bulk load instead of once per row.

    PostgreSQL fires a trigger per inserted row for each foreign key, which
    costs more than the copy itself; dropping the constraints and adding them
    back validates every row in one join. Use it inside a transaction (a failure
    rolls the ALTERs back too); they lock the table until commit, so only where
    nobody else writes (an empty database). SQLite's checks are cheap: there it
    does nothing.
    """
    if connection.dialect.name != "postgresql":
        yield
        return
    constraints = list(table.foreign_key_constraints)
    for constraint in constraints:
        connection.execute(DropConstraint(constraint))
    yield
    for constraint in constraints:
        connection.execute(AddConstraint(constraint))
