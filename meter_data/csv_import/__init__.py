"""CSV import: the SCE and PG&E Green Button downloads, and a generic interval CSV.

Pure (no web framework): :func:`parse_csv` turns a file into an
:class:`~meter_data.series.IntervalSeries` or refuses it with a
:class:`CsvImportError` naming the line and column; :func:`import_csv` stores
it for one meter, atomically and idempotently, and returns the
:class:`~meter_data.summary.ImportSummary` the CLI prints.
"""

from .importer import import_csv, parse_csv
from .options import LAYOUTS, UTILITY_TZ, CsvOptions
from .text import CsvImportError
from .utility_layouts import detect_layout

__all__ = [
    "LAYOUTS",
    "UTILITY_TZ",
    "CsvImportError",
    "CsvOptions",
    "detect_layout",
    "import_csv",
    "parse_csv",
]
