"""The schema is built by the real migrations, and they agree with the models."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from app import create_app
from customer_model import Base, Customer, CustomerKind, CustomerType, make_engine, schema
from tests.databases import temporary_database


def test_session_database_is_at_head(engine):
    assert schema.current_revision(engine) == schema.head_revision()


def test_models_and_migrations_agree(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_every_model_table_exists(engine):
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_migrations_go_down_to_empty_and_back_up(tmp_path):
    with temporary_database(tmp_path) as url:
        eng = make_engine(url)
        schema.upgrade(eng)
        schema.downgrade(eng, "base")
        assert set(inspect(eng).get_table_names()) <= {"alembic_version"}
        schema.upgrade(eng)
        assert schema.current_revision(eng) == schema.head_revision()
        eng.dispose()


def test_init_db_command_migrates_an_empty_database_and_is_idempotent(tmp_path):
    with temporary_database(tmp_path) as url:
        cli_app = create_app({"DATABASE_URL": url, "DASHBOARDS_ENABLED": False})
        runner = cli_app.test_cli_runner()
        first = runner.invoke(args=["init-db"])
        second = runner.invoke(args=["init-db"])
        assert first.exit_code == 0, first.output
        assert "migrated from empty" in first.output
        assert second.exit_code == 0, second.output
        assert "already at revision" in second.output
        eng = cli_app.extensions["db_engine"]
        assert schema.current_revision(eng) == schema.head_revision()
        eng.dispose()


def test_naive_datetimes_are_refused(db_session):
    customer = Customer(
        customer_number="C-NAIVE",
        kind=CustomerKind.PERSON,
        customer_type=CustomerType.RESIDENTIAL,
        display_name="Naive Time",
        created_at=dt.datetime(2025, 1, 1, 12, 0),  # no tzinfo
    )
    db_session.add(customer)
    with pytest.raises(Exception, match="naive datetime refused"):
        db_session.flush()


def test_instants_come_back_as_utc(db_session):
    montreal = dt.timezone(dt.timedelta(hours=-5))
    customer = Customer(
        customer_number="C-UTC",
        kind=CustomerKind.PERSON,
        customer_type=CustomerType.RESIDENTIAL,
        display_name="Utc Back",
        created_at=dt.datetime(2025, 1, 1, 7, 0, tzinfo=montreal),
    )
    db_session.add(customer)
    db_session.commit()
    db_session.expire_all()
    stored = db_session.get(Customer, customer.id)
    assert stored.created_at == dt.datetime(2025, 1, 1, 12, 0, tzinfo=dt.UTC)
    assert stored.created_at.utcoffset() == dt.timedelta(0)


def test_enum_columns_reject_unknown_values(db_session):
    from sqlalchemy import text

    with pytest.raises(Exception, match="(?i)check|constraint"):
        db_session.execute(
            text(
                "INSERT INTO customer (customer_number, kind, customer_type, display_name,"
                " preferred_language, preferred_channel, timezone, segment_tags,"
                " affordability_program, created_at) VALUES ('C-BAD', 'alien', 'residential',"
                " 'X', 'en', 'web', 'UTC', '[]', false, CURRENT_TIMESTAMP)"
            )
        )
