"""Why a Green Button file is refused: one domain error, always with the place."""

from __future__ import annotations


class GreenButtonError(ValueError):
    """A file that cannot be imported as it is; the message names the element and line.

    ``line`` is the 1-based line of the offending element (``None`` when the
    problem is the file as a whole) and ``element`` its path, e.g.
    ``IntervalReading/value``.
    """

    def __init__(self, message: str, *, line: int | None = None, element: str | None = None):
        self.reason = message
        self.line = line
        self.element = element
        super().__init__(f"line {line}: {message}" if line is not None else message)


class UnsafeXml(GreenButtonError):
    """The file declares a DTD or entities (billion laughs, XXE): never parsed further."""
