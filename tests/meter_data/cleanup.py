"""Removing meters that CLI tests created (the CLI commits through the app's own engine)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Engine, delete, select

from customer_model import Customer, DailyUsage, IntervalReading, Meter, Premise, ServiceAccount


def delete_imported_meters(engine: Engine, which: ColumnElement[bool]) -> None:
    """Delete the meters matching ``which``, their readings, placeholder premise and customer."""
    with engine.begin() as connection:
        meters = connection.execute(select(Meter.id, Meter.premise_id).where(which)).all()
        meter_ids = [meter.id for meter in meters]
        premise_ids = [meter.premise_id for meter in meters]
        customer_ids = connection.scalars(
            select(ServiceAccount.customer_id).where(ServiceAccount.premise_id.in_(premise_ids))
        ).all()
        for table, column, ids in (
            (IntervalReading, IntervalReading.meter_id, meter_ids),
            (DailyUsage, DailyUsage.meter_id, meter_ids),
            (Meter, Meter.id, meter_ids),
            (ServiceAccount, ServiceAccount.premise_id, premise_ids),
            (Premise, Premise.id, premise_ids),
            (Customer, Customer.id, customer_ids),
        ):
            connection.execute(delete(table).where(column.in_(ids)))
