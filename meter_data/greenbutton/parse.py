"""``parse_greenbutton``: a Green Button (NAESB REQ.21 ESPI) file to usage points and series."""

from __future__ import annotations

import os
from typing import IO

from .link import link
from .model import GreenButtonFile
from .reader import read_feed

Source = str | os.PathLike[str] | IO[bytes]


def parse_greenbutton(source: Source, name: str | None = None) -> GreenButtonFile:
    """Read and check the whole file; nothing about it is trusted before this returns.

    ``source`` is a path or a binary file object (an upload). Raises
    :class:`~.errors.GreenButtonError` (a ``ValueError``) naming the element and
    line of the first problem: malformed or truncated XML, a DTD or entities,
    a root that is not an Atom feed, a value that is not an integer, a negative
    duration, a multiplier finer than a milliwatt-hour, overlapping readings …
    """
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as stream:
            return link(read_feed(stream), name or os.path.basename(os.fspath(source)))
    return link(read_feed(source), name or str(getattr(source, "name", "")))
