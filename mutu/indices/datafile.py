"""Reading package data files (instruments, Ombudsman schemes) with field-precise errors.

The files are meant to be copied and edited by administrators, so every mistake must be reported
with the file name and the path of the field (``aspects[2].indicators[0].weight``).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from mutu.indices.errors import DataFileError

DATA_DIR = Path(__file__).resolve().parent / "data"


class Node:
    """One JSON value with the file and field path it came from."""

    def __init__(self, value: object, path: Path, field: str) -> None:
        self.value = value
        self.path = path
        self.field = field

    def error(self, message: str, key: str | None = None) -> DataFileError:
        field = self._child_field(key) if key else self.field
        return DataFileError(self.path, field or "(root)", message)

    def _child_field(self, key: str) -> str:
        return f"{self.field}.{key}" if self.field else key

    def child(self, key: str) -> Node:
        if not isinstance(self.value, dict):
            raise self.error("expected an object")
        if key not in self.value:
            raise self.error("missing", key)
        return Node(self.value[key], self.path, self._child_field(key))

    def optional(self, key: str) -> Node | None:
        """The child, or None when it is absent or null."""
        if isinstance(self.value, dict) and self.value.get(key) is None:
            return None
        return self.child(key)

    def items(self) -> list[Node]:
        if not isinstance(self.value, list) or not self.value:
            raise self.error("expected a non-empty list")
        return [Node(item, self.path, f"{self.field}[{i}]") for i, item in enumerate(self.value)]

    def text(self) -> str:
        if not isinstance(self.value, str) or not self.value.strip():
            raise self.error("expected a non-empty string")
        return self.value

    def integer(self) -> int:
        if isinstance(self.value, bool) or not isinstance(self.value, int):
            raise self.error("expected an integer")
        return self.value

    def flag(self) -> bool:
        if not isinstance(self.value, bool):
            raise self.error("expected true or false")
        return self.value

    def decimal(self) -> Decimal:
        value = self.value
        if isinstance(value, str):
            try:
                value = Decimal(value)
            except ArithmeticError:
                raise self.error(f"not a number: {self.value!r}") from None
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            raise self.error("expected a number")
        if not Decimal(value).is_finite():
            raise self.error("expected a finite number")
        return Decimal(value)


def read_json(path: Path) -> Node:
    """Parse a JSON file; numbers with a fraction become Decimal, never float."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(path, "(file)", f"cannot read: {exc.strerror}") from None
    try:
        value = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise DataFileError(
            path, "(file)", f"invalid JSON at line {exc.lineno}: {exc.msg}"
        ) from None
    return Node(value, path, "")
