"""Errors raised by the calculators.

Both are ``ValueError`` subclasses so that callers (forms, importers, the API) can catch bad input
with one ``except ValueError`` and still show *which* field was wrong.
"""

from __future__ import annotations

from pathlib import Path


class InputError(ValueError):
    """Invalid calculator input; ``field`` names the argument (or the key inside it) at fault."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


class DataFileError(ValueError):
    """A malformed data file (instrument, scheme table, holiday list) naming file and field."""

    def __init__(self, path: Path | str, field: str, message: str) -> None:
        self.path = Path(path)
        self.field = field
        self.message = message
        super().__init__(f"{self.path.name}: {field}: {message}")
