"""Turn the cast, the events and the generated identifiers into ORM rows.

Everything except the readings, weather and rollups (which go in bulk) is
created here through the ORM, because there are only a few hundred rows and
the relationships keep the foreign keys straight.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy.orm import Session

from auth.passwords import hash_password
from customer_model import (
    AccountStatus,
    BehindMeterAsset,
    Channel,
    ContactKind,
    ContactPoint,
    Customer,
    EfficiencyProgram,
    Interaction,
    Meter,
    Outage,
    PortalUser,
    Premise,
    ProgramEnrolment,
    ServiceAccount,
    SystemSetting,
)
from meter_data import local_day_start

from .cast import AGENT, CUSTOMERS, CustomerSpec, PremiseSpec, UserSpec
from .events import ENROLMENTS, INTERACTIONS, PROGRAMS, InteractionSpec
from .generator import DemoData, OutageEvent
from .randomness import stream
from .users import END_KEY, SEED_KEY, VERSION_KEY, demo_password

DATA_VERSION = "1"
"""Bump when the generator changes what a given seed produces."""


def _instant(ts: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(ts, dt.UTC)


class _Builder:
    """Holds what later rows refer to (customers, premises, accounts by key)."""

    def __init__(self, session: Session, data: DemoData) -> None:
        self.session = session
        self.data = data
        self.window = data.window
        self.rng = stream(data.seed, "records")
        self.customers: dict[str, Customer] = {}
        self.premises: dict[str, Premise] = {}
        self.accounts: dict[str, ServiceAccount] = {}
        self.meters: dict[str, Meter] = {}
        self.verified_at = _instant(self.window.bounds("America/Toronto")[0])

    def days_before_end(self, days: int) -> dt.date:
        return self.window.end - dt.timedelta(days=days)

    def customer(self, spec: CustomerSpec) -> None:
        numbers = self.data.identifiers
        second_contact = ContactKind.MOBILE if spec.channel == Channel.SMS else ContactKind.PHONE
        customer = Customer(
            customer_number=numbers.customer_numbers[spec.key],
            kind=spec.kind,
            customer_type=spec.customer_type,
            display_name=spec.display_name,
            preferred_language=spec.language,
            preferred_channel=spec.channel,
            timezone=spec.premises[0].tz,
            segment_tags=list(spec.segment_tags),
            affordability_program=spec.affordability,
            contact_points=[
                ContactPoint(
                    kind=ContactKind.EMAIL, value=spec.email, is_primary=True, verified=True
                ),
                ContactPoint(kind=second_contact, value=spec.phone, verified=True),
                ContactPoint(kind=ContactKind.POSTAL, value=spec.mailing_address, verified=True),
            ],
        )
        self.session.add(customer)
        self.customers[spec.key] = customer
        since = self.window.start - dt.timedelta(days=int(self.rng.integers(400, 4_000)))
        for index, premise in enumerate(spec.premises):
            budget = spec.budget_billing_cents if index == 0 else None  # main home only
            self.premise(spec, customer, premise, since, budget)

    def premise(
        self,
        owner: CustomerSpec,
        customer: Customer,
        spec: PremiseSpec,
        since: dt.date,
        budget_billing_cents: int | None,
    ) -> None:
        numbers = self.data.identifiers
        premise = Premise(
            name=spec.name,
            address_line=spec.address_line,
            city=spec.city,
            region=spec.region,
            postal_code=spec.postal_code,
            timezone=spec.tz,
            dwelling_type=spec.dwelling_type,
            floor_area_m2=spec.floor_area_m2,
            heating_type=spec.heating_type,
            climate_region=spec.climate_region,
        )
        self.premises[spec.key] = premise
        self.accounts[spec.key] = ServiceAccount(
            account_number=numbers.account_numbers[spec.key],
            customer=customer,
            premise=premise,
            status=AccountStatus.ACTIVE,
            start_date=since,
            tariff_code=spec.tariff_code,
            billing_method=owner.billing_method,
            payment_method=owner.payment_method,
            budget_billing_cents=budget_billing_cents,
            billing_cycle_days=spec.billing_cycle_days,
        )
        self.meters[spec.key] = Meter(
            serial=numbers.serials[spec.key],
            premise=premise,
            interval_minutes=15,
            multiplier=Decimal(1),
            install_date=since - dt.timedelta(days=int(self.rng.integers(30, 2_000))),
            is_net_metered=spec.net_metered,
        )
        for asset in spec.assets:
            premise.assets.append(
                BehindMeterAsset(
                    kind=asset.kind,
                    capacity_kw=asset.capacity_kw,
                    capacity_kwh=asset.capacity_kwh,
                    installed_on=self.days_before_end(asset.installed_days_before_end),
                    description=asset.description,
                )
            )
        self.session.add(premise)

    def outage(self, event: OutageEvent) -> None:
        self.session.add(
            Outage(
                started_at=_instant(event.start_ts),
                ended_at=_instant(event.end_ts),
                cause=event.spec.cause,
                planned=event.spec.planned,
                premises=[self.premises[key] for key in event.spec.premises],
            )
        )

    def interaction(self, spec: InteractionSpec, outages: dict[str, OutageEvent]) -> None:
        resolved: dt.datetime | None
        if spec.outage is not None:
            outage = outages[spec.outage]
            opened = _instant(outage.start_ts + spec.after_minutes * 60)
            resolved = _instant(outage.end_ts)
        else:
            assert spec.days_before is not None
            tz = self.customers[spec.customer].timezone
            midnight = local_day_start(self.days_before_end(spec.days_before), tz)
            opened = _instant(midnight + spec.at.hour * 3600 + spec.at.minute * 60)
            resolved = None
        if spec.resolved_after_minutes is not None:
            resolved = opened + dt.timedelta(minutes=spec.resolved_after_minutes)
        self.session.add(
            Interaction(
                customer=self.customers[spec.customer],
                channel=spec.channel,
                kind=spec.kind,
                subject=spec.subject,
                detail=spec.detail,
                actor=spec.actor,
                opened_at=opened,
                resolved_at=resolved,
                csat=spec.csat,
                ces=spec.ces,
                data=dict(spec.data),
                **self._place(spec.premise),
            )
        )

    def _place(self, premise_key: str | None) -> dict[str, int | None]:
        """Premise and account ids (call after a flush)."""
        if premise_key is None:
            return {"premise_id": None, "account_id": None}
        return {
            "premise_id": self.premises[premise_key].id,
            "account_id": self.accounts[premise_key].id,
        }

    def programs(self) -> None:
        """Programs and enrolments (call after a flush: enrolments refer to ids)."""
        programs = {
            spec.code: EfficiencyProgram(
                code=spec.code,
                name=spec.name,
                description=spec.description,
                starts_on=spec.starts_on,
            )
            for spec in PROGRAMS
        }
        for spec in ENROLMENTS:
            completed = spec.completed_days_before
            self.session.add(
                ProgramEnrolment(
                    program=programs[spec.program],
                    customer_id=self.customers[spec.customer].id,
                    premise_id=None if spec.premise is None else self.premises[spec.premise].id,
                    status=spec.status,
                    enrolled_on=self.days_before_end(spec.days_before),
                    completed_on=None if completed is None else self.days_before_end(completed),
                    estimated_savings_kwh=spec.savings_kwh,
                )
            )

    def user(self, spec: UserSpec, customer: Customer | None) -> None:
        self.session.add(
            PortalUser(
                email=spec.email,
                password_hash=hash_password(demo_password(self.data.seed, spec.email)),
                role=spec.role,
                customer=customer,
                display_name=spec.display_name,
                is_active=True,
                is_demo=True,
                email_verified_at=self.verified_at,
                sites=[self.premises[key] for key in spec.sites],
            )
        )

    def settings(self) -> None:
        self.session.add_all(
            [
                SystemSetting(key=SEED_KEY, value=str(self.data.seed)),
                SystemSetting(key=END_KEY, value=self.window.end.isoformat()),
                SystemSetting(key=VERSION_KEY, value=DATA_VERSION),
            ]
        )


def add_records(session: Session, data: DemoData) -> dict[str, Meter]:
    """Add every demo row but the readings; flushes and returns meters by premise key."""
    builder = _Builder(session, data)
    for spec in CUSTOMERS:
        builder.customer(spec)
    for event in data.outages:
        builder.outage(event)
    for customer in CUSTOMERS:
        for user in customer.users:
            builder.user(user, builder.customers[customer.key])
    builder.user(AGENT, None)
    builder.settings()
    session.flush()

    outages = {event.spec.key: event for event in data.outages}
    for interaction in INTERACTIONS:
        builder.interaction(interaction, outages)
    builder.programs()
    session.flush()
    return builder.meters
