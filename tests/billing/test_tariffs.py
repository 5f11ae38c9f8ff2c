"""Tariff files: every shipped one loads; broken ones fail naming the file and the field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from billing import TariffError, available, load_tariff
from billing.tariff_schema import TARIFF_DIR, parse_tariff

REQUIRED = {
    "hydro-quebec-d",
    "ontario-rpp-tou",
    "ontario-rpp-tiered",
    "ontario-rpp-ulo",
    "ofgem-cap-electricity",
}


def test_the_issue_tariff_ids_are_shipped_with_sources():
    assert set(available()) >= REQUIRED
    for tariff_id in available():
        tariff = load_tariff(tariff_id)
        assert tariff.id == tariff_id
        for version in tariff.versions:
            assert version.source.note
            if tariff_id in REQUIRED:
                assert version.source.url.startswith("https://"), (tariff_id, version.effective)


@pytest.mark.parametrize(
    ("tariff_id", "effective"),
    [
        ("hydro-quebec-d", [dt.date(2023, 4, 1), dt.date(2024, 4, 1), dt.date(2025, 4, 1)]),
        ("ontario-rpp-tou", [dt.date(2024, 11, 1), dt.date(2025, 11, 1)]),
        ("ontario-rpp-tiered", [dt.date(2024, 11, 1), dt.date(2025, 11, 1)]),
        ("ontario-rpp-ulo", [dt.date(2024, 11, 1), dt.date(2025, 11, 1)]),
        ("ofgem-cap-electricity", [dt.date(2025, 7, 1), dt.date(2025, 10, 1)]),
    ],
)
def test_versions_and_the_one_in_force(tariff_id, effective):
    tariff = load_tariff(tariff_id)
    assert [v.effective for v in tariff.versions] == effective
    for start in effective:
        assert tariff.version_on(start).effective == start
        assert tariff.version_on(start + dt.timedelta(days=40)).effective == start
    if tariff_id != "ofgem-cap-electricity":  # the latest stays in force until replaced
        assert tariff.version_on(dt.date(2030, 1, 1)).effective == effective[-1]


def test_prices_are_exact_decimals_in_the_published_unit():
    version = load_tariff("hydro-quebec-d").version_on(dt.date(2025, 4, 1))
    assert version.fixed[0].price.value == Decimal("46.154")
    assert version.fixed[0].price.unit == "¢/day"
    assert version.energy.prices["tier1"].value == Decimal("6.905")
    assert [str(t.percent) for t in version.taxes] == ["5", "9.975"]
    ulo = load_tariff("ontario-rpp-ulo").version_on(dt.date(2025, 11, 1))
    assert ulo.energy.prices["off_peak"].value == Decimal("9.8")
    assert [c.percent for c in ulo.credits] == [Decimal("23.5")]


def test_unknown_tariff_lists_the_known_ones():
    with pytest.raises(
        TariffError, match=r"unknown tariff 'nope'; known tariffs: .*hydro-quebec-d"
    ):
        load_tariff("nope")
    with pytest.raises(TariffError, match="unknown tariff"):
        load_tariff("../secrets")


GOOD = (TARIFF_DIR / "example-demand-business.yaml").read_text(encoding="utf-8")
NAME = "example-demand-business.yaml"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("price: 11.5", "price: eleven"), r"versions\[0\]\.energy\.price: 'eleven' is not"),
        (("price: 11.5", "price: -11.5"), r"versions\[0\]\.energy\.price: expected a zero or more"),
        (("unit: ¢/kWh", "unit: p/kWh"), r"versions\[0\]\.energy\.unit: 'p/kWh' is not a CAD"),
        (("unit: $/kW", "unit: $/kWh"), r"versions\[0\]\.demand\.unit: '\$/kWh' is not a CAD"),
        (("      price: 12.50\n", ""), r"versions\[0\]\.demand: missing field\(s\) price"),
        (("type: flat", "type: spot"), r"versions\[0\]\.energy\.type: 'spot' is not one of"),
        (("percent: 13", "percent: 130"), r"taxes\[0\]\.percent: 130 is more than 100"),
        (
            ('"on": [fixed', "on: [fixed"),
            r'taxes\[0\]: unknown field\(s\) True .*quote the key "on"',
        ),
        (('"on": [fixed', '"on": [fixd'), r"taxes\[0\]\.on\[0\]: 'fixd' is not one of"),
        (("currency: CAD", "currency: EUR"), r"currency: 'EUR' is not one of CAD"),
        (("timezone: America/Toronto", "timezone: Mars/Olympus"), "timezone: 'Mars/Olympus'"),
        (("effective: 2024-01-01", "effective: soon"), r"effective: expected a date YYYY-MM-DD"),
        (("id: example-demand-business", "id: other"), r"id: 'other' does not match the file"),
        (("customer_class: business", "customer_class: business\ncolour: red"), "unknown field"),
    ],
)
def test_errors_name_the_file_and_the_field(change, message):
    old, new = change
    assert old in GOOD
    with pytest.raises(TariffError, match=message) as caught:
        parse_tariff(GOOD.replace(old, new, 1), NAME)
    assert str(caught.value).startswith(NAME + ":")


def tariff_text(**parts: str) -> str:
    base = {
        "header": "id: t\nname: T\nutility: U\ncurrency: CAD\ntimezone: America/Toronto\n"
        "customer_class: residential\nnet_metering: {rule: none}\n",
        "calendar": "",
        "versions": "versions:\n"
        "  - effective: 2025-01-01\n"
        "    source: {url: https://example.org/, retrieved: 2026-01-01, note: n}\n"
        "    energy: {type: flat, unit: ¢/kWh, price: 10}\n",
    }
    base.update(parts)
    return base["header"] + base["calendar"] + base["versions"]


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (
            {"calendar": "seasons:\n  - {name: a, from: '01-01', to: '06-30'}\n"
             "  - {name: b, from: '07-02', to: '12-31'}\n"},
            r"t\.yaml: seasons: 07-01 is in no season",
        ),
        (
            {"calendar": "holidays: {country: CA, subdiv: ON, include: [Family Day]}\n"},
            r"holidays\.subdiv: expected a non-empty text, got True \(quote it",
        ),
        (
            {"calendar": "holidays: {country: CA, subdiv: 'ON', include: [Flag Day]}\n"},
            r"holidays: unknown holiday name\(s\) \['Flag Day'\]",
        ),
        (
            {"calendar": "time_of_use:\n  periods: [on_peak, off_peak]\n  windows:\n    all_year:\n"
             "      weekday: {on_peak: [[7, 19]], off_peak: [[19, 6]]}\n"
             "      weekend: {off_peak: [[0, 24]]}\n"},
            r"time_of_use\.windows\.all_year\.weekday: hours \[6\] belong to no period",
        ),
        (
            {"versions": "versions:\n"
             "  - effective: 2025-02-01\n"
             "    source: {url: https://example.org/, retrieved: 2026-01-01, note: n}\n"
             "    energy: {type: flat, unit: ¢/kWh, price: 10}\n"
             "  - effective: 2025-01-01\n"
             "    source: {url: https://example.org/, retrieved: 2026-01-01, note: n}\n"
             "    energy: {type: flat, unit: ¢/kWh, price: 11}\n"},
            r"versions\[1\]\.effective: versions must be listed by strictly increasing",
        ),
        (
            {"versions": "versions:\n"
             "  - effective: 2025-01-01\n"
             "    source: {retrieved: 2026-01-01, note: n}\n"
             "    energy: {type: flat, unit: ¢/kWh, price: 10}\n"},
            r"versions\[0\]\.source: expected url",
        ),
        (
            {"versions": "versions:\n"
             "  - effective: 2025-01-01\n"
             "    source: {url: https://example.org/, retrieved: 2026-01-01, note: n}\n"
             "    energy: {type: time_of_use, unit: ¢/kWh, prices: {on_peak: 1}}\n"},
            r"versions\[0\]\.energy: a time_of_use charge needs the tariff's time_of_use",
        ),
        ({"header": "id: [t\n"}, r"t\.yaml: not valid YAML"),
    ],
)  # fmt: skip
def test_calendar_and_version_errors(parts, message):
    with pytest.raises(TariffError, match=message):
        parse_tariff(tariff_text(**parts), "t.yaml")


def test_a_minimal_tariff_parses():
    tariff = parse_tariff(tariff_text(), "t.yaml")
    assert tariff.versions[0].energy.prices["flat"].value == Decimal(10)
