"""Green Button (NAESB REQ.21 ESPI Atom XML) import.

``parse_greenbutton`` reads a file in one streaming pass (defusedxml: no DTD,
no entities) and links its entries into usage points, each with one
:class:`~meter_data.series.IntervalSeries` of electricity (delivered and
received apart, exact integer mWh) and a report of the series that are not
electricity (gas, water, temperature …). ``import_greenbutton`` stores them.
"""

from .errors import GreenButtonError, UnsafeXml
from .importer import import_greenbutton, meter_serials, store_greenbutton
from .model import GreenButtonFile, MeterReading, ReadingType, UsagePoint, UsageSummary
from .parse import parse_greenbutton
from .zones import LocalTime

__all__ = [
    "GreenButtonError",
    "GreenButtonFile",
    "LocalTime",
    "MeterReading",
    "ReadingType",
    "UnsafeXml",
    "UsagePoint",
    "UsageSummary",
    "import_greenbutton",
    "meter_serials",
    "parse_greenbutton",
    "store_greenbutton",
]
