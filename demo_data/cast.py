"""Who is in the demo: customers, their premises, assets and portal users.

Plain data, no randomness and no database: the generator turns premises into
meter series and :mod:`demo_data.records` turns everything into rows. Names
and addresses are invented; e-mail domains are reserved ``example`` domains and
phone numbers use the fictional 555-01xx range.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from customer_model import (
    AssetKind,
    BillingMethod,
    Channel,
    CustomerKind,
    CustomerType,
    DwellingType,
    HeatingType,
    PaymentMethod,
    Role,
)

from .weather import CLIMATES

SMALL_SITE_TARIFF = "ontario-rpp-tou"
LARGE_SITE_TARIFF = "example-demand-business"
LARGE_SITE_M2 = 1_000
"""Sites this big or bigger leave the regulated price plan for general service.

Their tariff is ``example-demand-business``: ILLUSTRATIVE, invented prices with a
demand charge. No sourced Ontario general-service (> 50 kW) tariff is shipped
(those rates are set per distributor), so the demo does not pretend to one.
"""


@dataclasses.dataclass(frozen=True)
class AssetSpec:
    kind: AssetKind
    capacity_kw: Decimal
    capacity_kwh: Decimal | None
    description: str
    installed_days_before_end: int
    """Installed before the window starts, so the whole series shows it."""


@dataclasses.dataclass(frozen=True)
class PremiseSpec:
    """A premise with one service account and one 15-minute meter."""

    key: str
    """Stable name used by the generator's random streams and by tests."""
    name: str | None
    address_line: str
    city: str
    region: str
    postal_code: str
    climate_region: str
    dwelling_type: DwellingType
    heating_type: HeatingType
    floor_area_m2: int
    tariff_code: str
    load_model: str
    """Name of the load model in :mod:`demo_data.profiles`."""
    assets: tuple[AssetSpec, ...] = ()
    net_metered: bool = False
    billing_cycle_days: int = 30

    @property
    def tz(self) -> str:
        return CLIMATES[self.climate_region].tz

    def asset(self, kind: AssetKind) -> AssetSpec:
        return next(asset for asset in self.assets if asset.kind == kind)


@dataclasses.dataclass(frozen=True)
class UserSpec:
    email: str
    display_name: str
    role: Role
    sites: tuple[str, ...] = ()
    """Premise keys a ``site_manager`` may see."""


@dataclasses.dataclass(frozen=True)
class CustomerSpec:
    key: str
    kind: CustomerKind
    customer_type: CustomerType
    display_name: str
    language: str
    channel: Channel
    segment_tags: tuple[str, ...]
    email: str
    phone: str
    mailing_address: str
    premises: tuple[PremiseSpec, ...]
    users: tuple[UserSpec, ...]
    affordability: bool = False
    billing_method: BillingMethod = BillingMethod.EBILL
    payment_method: PaymentMethod = PaymentMethod.PREAUTHORISED_DEBIT
    budget_billing_cents: int | None = None


TREMBLAY = CustomerSpec(
    key="tremblay",
    kind=CustomerKind.PERSON,
    customer_type=CustomerType.RESIDENTIAL,
    display_name="Geneviève Tremblay",
    language="fr",
    channel=Channel.EMAIL,
    segment_tags=("residential", "electric-heating", "multi-premise", "winter-peak"),
    email="genevieve.tremblay@example.com",
    phone="+1 450 555 0142",
    mailing_address="1847, rue des Érables, Laval (Québec) H7N 3K4",
    budget_billing_cents=31_500,
    premises=(
        PremiseSpec(
            key="tremblay-home",
            name="Maison",
            address_line="1847, rue des Érables",
            city="Laval",
            region="QC",
            postal_code="H7N 3K4",
            climate_region="quebec-montreal",
            dwelling_type=DwellingType.DETACHED,
            heating_type=HeatingType.ELECTRIC_BASEBOARD,
            floor_area_m2=165,
            tariff_code="hydro-quebec-d",
            load_model="baseboard_home",
            billing_cycle_days=60,
        ),
        PremiseSpec(
            key="tremblay-cottage",
            name="Chalet du lac",
            address_line="212, chemin du Lac-Supérieur",
            city="Lac-Supérieur",
            region="QC",
            postal_code="J0T 1P0",
            climate_region="quebec-laurentides",
            dwelling_type=DwellingType.COTTAGE,
            heating_type=HeatingType.ELECTRIC_BASEBOARD,
            floor_area_m2=95,
            tariff_code="hydro-quebec-d",
            load_model="cottage",
            billing_cycle_days=60,
        ),
    ),
    users=(UserSpec("genevieve.tremblay@example.com", "Geneviève Tremblay", Role.CUSTOMER),),
)

OKAFOR = CustomerSpec(
    key="okafor",
    kind=CustomerKind.PERSON,
    customer_type=CustomerType.RESIDENTIAL,
    display_name="Daniel Okafor",
    language="en",
    channel=Channel.SMS,
    segment_tags=("residential", "ev-owner", "ultra-low-overnight"),
    email="daniel.okafor@example.net",
    phone="+1 416 555 0187",
    mailing_address="58 Glenholme Avenue, Toronto ON M6E 3B9",
    premises=(
        PremiseSpec(
            key="okafor-home",
            name=None,
            address_line="58 Glenholme Avenue",
            city="Toronto",
            region="ON",
            postal_code="M6E 3B9",
            climate_region="ontario-toronto",
            dwelling_type=DwellingType.SEMI_DETACHED,
            heating_type=HeatingType.GAS,
            floor_area_m2=140,
            tariff_code="ontario-rpp-ulo",
            load_model="ev_home",
            assets=(
                AssetSpec(
                    AssetKind.EV,
                    Decimal("7.20"),
                    Decimal("75.00"),
                    "Battery electric SUV, 75 kWh pack; 7.2 kW level-2 charger, charges overnight",
                    900,
                ),
            ),
        ),
    ),
    users=(UserSpec("daniel.okafor@example.net", "Daniel Okafor", Role.CUSTOMER),),
)

MACLEOD = CustomerSpec(
    key="macleod",
    kind=CustomerKind.PERSON,
    customer_type=CustomerType.RESIDENTIAL,
    display_name="Sarah MacLeod",
    language="en",
    channel=Channel.EMAIL,
    segment_tags=("residential", "net-metering", "solar", "heat-pump"),
    email="sarah.macleod@example.org",
    phone="+1 613 555 0123",
    mailing_address="317 Sunnyside Avenue, Ottawa ON K1S 0S2",
    payment_method=PaymentMethod.CARD,
    premises=(
        PremiseSpec(
            key="macleod-home",
            name=None,
            address_line="317 Sunnyside Avenue",
            city="Ottawa",
            region="ON",
            postal_code="K1S 0S2",
            climate_region="ontario-ottawa",
            dwelling_type=DwellingType.DETACHED,
            heating_type=HeatingType.HEAT_PUMP,
            floor_area_m2=185,
            tariff_code="ontario-rpp-tou",
            load_model="solar_home",
            net_metered=True,
            assets=(
                AssetSpec(
                    AssetKind.SOLAR_PV,
                    Decimal("7.04"),
                    None,
                    "Rooftop array, 16 × 440 W, south-facing at 35°; net-metered",
                    1_000,
                ),
                AssetSpec(
                    AssetKind.HEAT_PUMP,
                    Decimal("10.50"),
                    None,
                    "Cold-climate air-source heat pump (3 tons), replaced a gas furnace",
                    820,
                ),
                AssetSpec(
                    AssetKind.BATTERY,
                    Decimal("5.00"),
                    Decimal("13.50"),
                    "Home battery in backup mode (not dispatched against prices)",
                    1_000,
                ),
            ),
        ),
    ),
    users=(UserSpec("sarah.macleod@example.org", "Sarah MacLeod", Role.CUSTOMER),),
)

HADDAD = CustomerSpec(
    key="haddad",
    kind=CustomerKind.PERSON,
    customer_type=CustomerType.RESIDENTIAL,
    display_name="Mariam Haddad",
    language="en",
    channel=Channel.PHONE,
    segment_tags=("residential", "tenant", "electric-heating", "affordability"),
    email="mariam.haddad@example.com",
    phone="+1 613 555 0175",
    mailing_address="407-285 Montreal Road, Ottawa ON K1L 6B9",
    affordability=True,
    billing_method=BillingMethod.PAPER,
    payment_method=PaymentMethod.ONLINE_BANKING,
    premises=(
        PremiseSpec(
            key="haddad-apartment",
            name=None,
            address_line="407-285 Montreal Road",
            city="Ottawa",
            region="ON",
            postal_code="K1L 6B9",
            climate_region="ontario-ottawa",
            dwelling_type=DwellingType.APARTMENT,
            heating_type=HeatingType.ELECTRIC_BASEBOARD,
            floor_area_m2=64,
            tariff_code="ontario-rpp-tou",
            load_model="apartment",
        ),
    ),
    users=(UserSpec("mariam.haddad@example.com", "Mariam Haddad", Role.CUSTOMER),),
)

_SITES: tuple[tuple[str, str, str, str, str, str, DwellingType, int, HeatingType], ...] = (
    # key, name, address, city, postal code, climate region, kind, floor m², heating
    ("hq", "Head office", "155 Wellington Street West", "Toronto", "M5V 3H1",
     "ontario-toronto", DwellingType.OFFICE, 8_200, HeatingType.GAS),
    ("office-mississauga", "Mississauga office", "4900 Hurontario Street", "Mississauga",
     "L5B 3C2", "ontario-toronto", DwellingType.OFFICE, 2_400, HeatingType.GAS),
    ("office-markham", "Markham office", "3000 Steeles Avenue East", "Markham", "L3R 4T9",
     "ontario-toronto", DwellingType.OFFICE, 1_100, HeatingType.HEAT_PUMP),
    ("store-yonge", "Yonge Street store", "702 Yonge Street", "Toronto", "M4Y 2A6",
     "ontario-toronto", DwellingType.RETAIL, 420, HeatingType.GAS),
    ("store-queen", "Queen West store", "531 Queen Street West", "Toronto", "M5V 2B4",
     "ontario-toronto", DwellingType.RETAIL, 260, HeatingType.GAS),
    ("store-square-one", "Square One store", "100 City Centre Drive, Unit 2-310",
     "Mississauga", "L5B 2C9", "ontario-toronto", DwellingType.RETAIL, 1_800,
     HeatingType.HEAT_PUMP),
    ("store-oakville", "Oakville store", "240 Leighland Avenue", "Oakville", "L6H 3H6",
     "ontario-toronto", DwellingType.RETAIL, 950, HeatingType.GAS),
    ("resto-king", "King West restaurant", "420 King Street West", "Toronto", "M5V 1L3",
     "ontario-toronto", DwellingType.RESTAURANT, 310, HeatingType.GAS),
    ("resto-danforth", "Danforth restaurant", "612 Danforth Avenue", "Toronto", "M4K 1R1",
     "ontario-toronto", DwellingType.RESTAURANT, 180, HeatingType.GAS),
    ("resto-hamilton", "Hamilton restaurant", "88 James Street North", "Hamilton", "L8R 2K1",
     "ontario-toronto", DwellingType.RESTAURANT, 240, HeatingType.GAS),
    ("warehouse-brampton", "Brampton distribution centre", "2 Steelwell Road", "Brampton",
     "L6T 5J6", "ontario-toronto", DwellingType.WAREHOUSE, 20_000, HeatingType.GAS),
    ("factory-hamilton", "Hamilton assembly plant", "1330 Burlington Street East", "Hamilton",
     "L8H 3L3", "ontario-toronto", DwellingType.FACTORY, 4_500, HeatingType.GAS),
    ("school-scarborough", "Lakeshore Academy, Scarborough campus", "1450 Midland Avenue",
     "Toronto", "M1P 3C2", "ontario-toronto", DwellingType.SCHOOL, 6_200, HeatingType.GAS),
    ("kiosk-union", "Union Station coffee kiosk", "65 Front Street West, Kiosk 12", "Toronto",
     "M5J 1E6", "ontario-toronto", DwellingType.RESTAURANT, 80, HeatingType.NONE),
    ("office-hamilton", "Hamilton office", "21 King Street West", "Hamilton", "L8P 4W7",
     "ontario-toronto", DwellingType.OFFICE, 650, HeatingType.GAS),
    ("store-burlington", "Burlington store", "390 Brant Street", "Burlington", "L7R 4J4",
     "ontario-toronto", DwellingType.RETAIL, 300, HeatingType.GAS),
    ("office-ottawa", "Ottawa office", "155 Queen Street", "Ottawa", "K1P 6L1",
     "ontario-ottawa", DwellingType.OFFICE, 3_600, HeatingType.DISTRICT),
    ("office-kanata", "Kanata office", "555 Legget Drive", "Ottawa", "K2K 2X3",
     "ontario-ottawa", DwellingType.OFFICE, 1_500, HeatingType.HEAT_PUMP),
    ("store-rideau", "Rideau Street store", "50 Rideau Street, Unit 214", "Ottawa", "K1N 9J7",
     "ontario-ottawa", DwellingType.RETAIL, 520, HeatingType.GAS),
    ("resto-byward", "ByWard Market restaurant", "55 ByWard Market Square", "Ottawa",
     "K1N 9C3", "ontario-ottawa", DwellingType.RESTAURANT, 220, HeatingType.GAS),
    ("warehouse-ottawa", "Ottawa warehouse", "2450 Lancaster Road", "Ottawa", "K1B 5N3",
     "ontario-ottawa", DwellingType.WAREHOUSE, 6_500, HeatingType.GAS),
    ("store-kingston", "Kingston store", "212 Princess Street", "Kingston", "K7L 1B2",
     "ontario-ottawa", DwellingType.RETAIL, 380, HeatingType.ELECTRIC_BASEBOARD),
    ("resto-kingston", "Kingston restaurant", "34 Brock Street", "Kingston", "K7L 1R8",
     "ontario-ottawa", DwellingType.RESTAURANT, 150, HeatingType.GAS),
    ("office-kingston", "Kingston office", "366 King Street East", "Kingston", "K7K 6Y3",
     "ontario-ottawa", DwellingType.OFFICE, 420, HeatingType.ELECTRIC_BASEBOARD),
    ("store-kenora", "Kenora store", "301 Second Street South", "Kenora", "P9N 1G4",
     "ontario-northwest", DwellingType.RETAIL, 600, HeatingType.ELECTRIC_BASEBOARD),
    ("resto-kenora", "Kenora restaurant", "130 Main Street South", "Kenora", "P9N 1S9",
     "ontario-northwest", DwellingType.RESTAURANT, 200, HeatingType.GAS),
)  # fmt: skip


def _site(
    key: str,
    name: str,
    address: str,
    city: str,
    postal_code: str,
    climate_region: str,
    kind: DwellingType,
    area_m2: int,
    heating: HeatingType,
) -> PremiseSpec:
    return PremiseSpec(
        key=key,
        name=name,
        address_line=address,
        city=city,
        region="ON",
        postal_code=postal_code,
        climate_region=climate_region,
        dwelling_type=kind,
        heating_type=heating,
        floor_area_m2=area_m2,
        tariff_code=LARGE_SITE_TARIFF if area_m2 >= LARGE_SITE_M2 else SMALL_SITE_TARIFF,
        load_model=str(kind),
    )


SITE_MANAGER_SITES = ("office-ottawa", "store-rideau", "resto-byward")

LAKESHORE = CustomerSpec(
    key="lakeshore",
    kind=CustomerKind.ORGANISATION,
    customer_type=CustomerType.COMMERCIAL,
    display_name="Lakeshore Property Group Inc.",
    language="en",
    channel=Channel.EMAIL,
    segment_tags=("commercial", "multi-site", "key-account"),
    email="accounts.payable@lakeshore.example.com",
    phone="+1 416 555 0100",
    mailing_address="155 Wellington Street West, Suite 2200, Toronto ON M5V 3H1",
    payment_method=PaymentMethod.ONLINE_BANKING,
    premises=tuple(_site(*site) for site in _SITES),
    users=(
        UserSpec("olivia.chen@lakeshore.example.com", "Olivia Chen", Role.ORG_ADMIN),
        UserSpec(
            "raj.patel@lakeshore.example.com",
            "Raj Patel",
            Role.SITE_MANAGER,
            sites=SITE_MANAGER_SITES,
        ),
        UserSpec("emma.wilson@lakeshore.example.com", "Emma Wilson", Role.VIEWER),
        UserSpec("luc.bouchard@lakeshore.example.com", "Luc Bouchard", Role.BILLING),
    ),
)

CUSTOMERS: tuple[CustomerSpec, ...] = (TREMBLAY, OKAFOR, MACLEOD, HADDAD, LAKESHORE)

AGENT = UserSpec("agent@utility.example.com", "Demo Agent", Role.AGENT)
"""Utility staff: no customer."""


def all_premises() -> tuple[PremiseSpec, ...]:
    return tuple(premise for customer in CUSTOMERS for premise in customer.premises)


def premise(key: str) -> PremiseSpec:
    return next(p for p in all_premises() if p.key == key)
