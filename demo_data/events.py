"""What happened to the demo customers: outages, contacts, programs.

Dates are relative to the window (the latest such calendar date, or so many days
before its end), so the story stays recent whatever end date the demo is built for.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from customer_model import Channel, EnrolmentStatus, InteractionKind

from .window import Window


@dataclasses.dataclass(frozen=True)
class OutageSpec:
    key: str
    month: int
    day: int
    local_time: dt.time
    minutes: int
    cause: str
    planned: bool
    premises: tuple[str, ...]

    def date_in(self, window: Window) -> dt.date:
        return window.last(self.month, self.day)


OUTAGES: tuple[OutageSpec, ...] = (
    OutageSpec("ice-storm-laval", 1, 9, dt.time(3, 40), 560,
               "Freezing rain: ice-laden branches on the line", False, ("tremblay-home",)),
    OutageSpec("kenora-cable", 2, 20, dt.time(11, 5), 80,
               "Equipment failure: underground cable fault", False,
               ("store-kenora", "resto-kenora")),
    OutageSpec("hamilton-pole", 4, 3, dt.time(22, 15), 95, "Vehicle struck a utility pole",
               False, ("factory-hamilton", "resto-hamilton", "office-hamilton")),
    OutageSpec("toronto-lightning", 7, 17, dt.time(16, 20), 165,
               "Lightning strike on a pole-mounted transformer", False,
               ("okafor-home", "store-queen", "resto-king", "resto-danforth",
                "school-scarborough")),
    OutageSpec("ottawa-maintenance", 10, 8, dt.time(1, 0), 240,
               "Planned maintenance: feeder switch replacement", True,
               ("macleod-home", "haddad-apartment", "store-rideau", "resto-byward")),
    OutageSpec("laurentides-wind", 11, 24, dt.time(14, 30), 780,
               "High winds: tree on the line", False, ("tremblay-cottage",)),
)  # fmt: skip


@dataclasses.dataclass(frozen=True)
class InteractionSpec:
    """One contact; timed ``days_before`` the window's end, or after an outage starts."""

    customer: str
    channel: Channel
    kind: InteractionKind
    subject: str
    days_before: int | None = None
    at: dt.time = dt.time(10, 0)
    outage: str | None = None
    after_minutes: int = 0
    resolved_after_minutes: int | None = 0
    """``None`` leaves the contact open; an outage report resolves with the outage."""
    premise: str | None = None
    detail: str | None = None
    actor: str = "customer"
    csat: int | None = None
    ces: int | None = None
    data: dict[str, Any] = dataclasses.field(default_factory=dict)


_I = InteractionSpec
_PHONE, _EMAIL, _WEB, _CHAT, _SMS, _FIELD = (
    Channel.PHONE,
    Channel.EMAIL,
    Channel.WEB,
    Channel.CHAT,
    Channel.SMS,
    Channel.FIELD,
)
_K = InteractionKind

INTERACTIONS: tuple[InteractionSpec, ...] = (
    # Geneviève Tremblay (French-speaking, Quebec)
    _I("tremblay", _PHONE, _K.OUTAGE_REPORT, "Panne de courant – verglas", outage="ice-storm-laval",
       after_minutes=25, resolved_after_minutes=None, premise="tremblay-home", csat=4, ces=2,
       detail="Plus de courant depuis 3 h 40; branches couvertes de glace sur la ligne."),
    _I("tremblay", _EMAIL, _K.INQUIRY, "Hausse de la facture d'hiver", days_before=290,
       at=dt.time(19, 12), resolved_after_minutes=1_440, premise="tremblay-home", csat=4, ces=3,
       detail="Pourquoi ma facture de janvier a-t-elle doublé?"),
    _I("tremblay", _WEB, _K.REQUEST, "Inscription au crédit hivernal (heures de pointe)",
       days_before=330, at=dt.time(20, 45), resolved_after_minutes=60, premise="tremblay-home",
       csat=5, ces=1),
    _I("tremblay", _CHAT, _K.INQUIRY, "Consommation au chalet pendant l'absence",
       days_before=45, at=dt.time(12, 5), resolved_after_minutes=18, premise="tremblay-cottage",
       csat=5, ces=2),
    _I("tremblay", _PHONE, _K.OUTAGE_REPORT, "Panne au chalet – vents violents",
       outage="laurentides-wind", after_minutes=90, resolved_after_minutes=None,
       premise="tremblay-cottage"),
    # Daniel Okafor (EV, Toronto)
    _I("okafor", _WEB, _K.REQUEST, "Switch to the Ultra-Low Overnight price plan",
       days_before=700, at=dt.time(21, 30), resolved_after_minutes=2_880, premise="okafor-home",
       csat=5, ces=1, data={"from": "ontario-rpp-tou", "to": "ontario-rpp-ulo"}),
    _I("okafor", _SMS, _K.NOTIFICATION, "Outage in your area: crews are on their way",
       outage="toronto-lightning", after_minutes=6, premise="okafor-home", actor="system"),
    _I("okafor", _CHAT, _K.INQUIRY, "Why is my overnight usage so high?", days_before=200,
       at=dt.time(8, 40), resolved_after_minutes=12, premise="okafor-home", csat=4, ces=2),
    _I("okafor", _PHONE, _K.COMPLAINT, "Estimated reading on my last bill", days_before=120,
       at=dt.time(13, 15), resolved_after_minutes=4_320, premise="okafor-home", csat=2, ces=4),
    _I("okafor", _EMAIL, _K.ALERT, "High usage: 38% above your usual week", days_before=30,
       at=dt.time(7, 0), premise="okafor-home", actor="system"),
    # Sarah MacLeod (solar, Ottawa)
    _I("macleod", _EMAIL, _K.INQUIRY, "Net-metering: annual credit true-up", days_before=690,
       at=dt.time(9, 30), resolved_after_minutes=30_240, premise="macleod-home", csat=4, ces=3),
    _I("macleod", _WEB, _K.INQUIRY, "How are my solar export credits calculated?",
       days_before=150, at=dt.time(18, 20), resolved_after_minutes=1_440, premise="macleod-home",
       csat=5, ces=2),
    _I("macleod", _PHONE, _K.REQUEST, "Heat pump rebate: final documents", days_before=720,
       at=dt.time(11, 0), resolved_after_minutes=20_160, premise="macleod-home", csat=4, ces=3),
    _I("macleod", _SMS, _K.NOTIFICATION, "Planned outage on your street, 01:00–05:00",
       outage="ottawa-maintenance", after_minutes=-7 * 1_440, premise="macleod-home",
       actor="system"),
    _I("macleod", _CHAT, _K.PAYMENT, "Update the card used for automatic payments",
       days_before=60, at=dt.time(17, 50), resolved_after_minutes=9, csat=5, ces=1),
    # Mariam Haddad (apartment, affordability program)
    _I("haddad", _PHONE, _K.REQUEST, "Energy affordability program application",
       days_before=500, at=dt.time(10, 10), resolved_after_minutes=14_400,
       premise="haddad-apartment", csat=5, ces=2),
    _I("haddad", _FIELD, _K.REQUEST, "Home energy assessment visit", days_before=470,
       at=dt.time(14, 0), resolved_after_minutes=90, premise="haddad-apartment",
       actor="agent:demo", detail="Weather-stripping, LED bulbs and a smart power bar installed."),
    _I("haddad", _PHONE, _K.PAYMENT, "Payment arrangement for the winter balance",
       days_before=270, at=dt.time(15, 30), resolved_after_minutes=25, csat=4, ces=3,
       data={"instalments": 6}),
    _I("haddad", _SMS, _K.NOTIFICATION, "Reminder: planned outage tonight, 01:00–05:00",
       outage="ottawa-maintenance", after_minutes=-1_440 + 600, premise="haddad-apartment",
       actor="system"),
    _I("haddad", _WEB, _K.INQUIRY, "What are the time-of-use periods?", days_before=40,
       at=dt.time(20, 5), resolved_after_minutes=5, csat=4, ces=2),
    # Lakeshore Property Group (organisation, 26 sites)
    _I("lakeshore", _EMAIL, _K.REQUEST, "Add the new Kenora store to our portfolio",
       days_before=650, resolved_after_minutes=7_200, premise="store-kenora", csat=4, ces=3),
    _I("lakeshore", _PHONE, _K.OUTAGE_REPORT, "Hamilton plant down: production stopped",
       outage="hamilton-pole", after_minutes=10, resolved_after_minutes=None,
       premise="factory-hamilton", csat=3, ces=4),
    _I("lakeshore", _WEB, _K.INQUIRY, "Interval data export for our energy audit",
       days_before=210, at=dt.time(9, 15), resolved_after_minutes=2_880, csat=5, ces=2),
    _I("lakeshore", _CHAT, _K.COMPLAINT, "Demand charge on the Brampton DC bill",
       days_before=95, at=dt.time(14, 40), resolved_after_minutes=5_760,
       premise="warehouse-brampton", csat=2, ces=5),
    _I("lakeshore", _EMAIL, _K.REQUEST, "Retrofit incentive: LED lighting at Brampton",
       days_before=520, at=dt.time(8, 55), resolved_after_minutes=43_200,
       premise="warehouse-brampton", csat=4, ces=3),
    _I("lakeshore", _PHONE, _K.INQUIRY, "When will power be back at the Kenora sites?",
       outage="kenora-cable", after_minutes=20, resolved_after_minutes=15, premise="store-kenora",
       csat=3, ces=3),
)  # fmt: skip


@dataclasses.dataclass(frozen=True)
class ProgramSpec:
    code: str
    name: str
    description: str
    starts_on: dt.date


PROGRAMS: tuple[ProgramSpec, ...] = (
    ProgramSpec("QC-SMART-THERMOSTAT", "Thermostats intelligents",
                "Rebate on communicating thermostats for electric baseboards.",
                dt.date(2020, 1, 1)),
    ProgramSpec("QC-WINTER-CREDIT", "Crédit hivernal",
                "Credit for every kWh saved during announced winter peak events.",
                dt.date(2020, 12, 1)),
    ProgramSpec("ON-PEAK-SAVER", "Summer peak saver",
                "Smart-thermostat demand response on hot summer afternoons.",
                dt.date(2020, 6, 1)),
    ProgramSpec("ON-HOME-RENO", "Home renovation savings",
                "Rebates on heat pumps, insulation and windows.", dt.date(2021, 1, 1)),
    ProgramSpec("ON-AFFORDABILITY", "Energy affordability program",
                "Free efficiency upgrades for income-qualified households.",
                dt.date(2018, 1, 1)),
    ProgramSpec("ON-BUSINESS-RETROFIT", "Business retrofit incentives",
                "Incentives for efficient lighting, HVAC and controls at business sites.",
                dt.date(2019, 1, 1)),
)  # fmt: skip


@dataclasses.dataclass(frozen=True)
class EnrolmentSpec:
    program: str
    customer: str
    premise: str | None
    status: EnrolmentStatus
    days_before: int
    completed_days_before: int | None = None
    savings_kwh: Decimal | None = None


ENROLMENTS: tuple[EnrolmentSpec, ...] = (
    EnrolmentSpec("QC-SMART-THERMOSTAT", "tremblay", "tremblay-home", EnrolmentStatus.COMPLETED,
                  800, 780, Decimal("1450.00")),
    EnrolmentSpec("QC-WINTER-CREDIT", "tremblay", "tremblay-home", EnrolmentStatus.ENROLLED,
                  330),
    EnrolmentSpec("ON-PEAK-SAVER", "okafor", "okafor-home", EnrolmentStatus.ENROLLED, 400),
    EnrolmentSpec("ON-HOME-RENO", "macleod", "macleod-home", EnrolmentStatus.COMPLETED, 840, 700,
                  Decimal("2800.00")),
    EnrolmentSpec("ON-AFFORDABILITY", "haddad", "haddad-apartment", EnrolmentStatus.COMPLETED,
                  500, 470, Decimal("900.00")),
    EnrolmentSpec("ON-BUSINESS-RETROFIT", "lakeshore", "warehouse-brampton",
                  EnrolmentStatus.COMPLETED, 520, 490, Decimal("185000.00")),
    EnrolmentSpec("ON-BUSINESS-RETROFIT", "lakeshore", "hq", EnrolmentStatus.APPLIED, 20),
)  # fmt: skip
