"""Reading values from a query string or a POST without trusting them.

A staff page given `?tahun=-5`, `?pemda=abc` or a NUL byte must never answer 500: a number
out of its range falls back to the page's default (a link with junk in it still opens the
page), an id that is not a number is simply "no such object", and a text with a NUL byte is
refused with a message (PostgreSQL cannot store NUL in text, and a form should say so rather
than silently change what was typed).
"""

import re
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext as _

# The largest id any of our tables can hold (a BigAutoField); anything larger is no id at all.
MAX_ID = 2**63 - 1
NUL = "\x00"


def int_param(query: QueryDict, name: str, default: int, *, min_value: int, max_value: int) -> int:
    """`query[name]` as an int within [min_value, max_value], else `default`. With a value
    given twice (`a=1&a=2`) the last counts, as QueryDict.get has it."""
    number = _as_int(query.get(name))
    if number is None or not min_value <= number <= max_value:
        return default
    return number


def id_param(query: QueryDict, name: str) -> int | None:
    """`query[name]` as a primary key, or None when it cannot be one (junk, 0, negative,
    larger than a bigint): the caller treats None as "not found"."""
    number = _as_int(query.get(name))
    return number if number is not None and 1 <= number <= MAX_ID else None


def ids_param(query: QueryDict, name: str, *, limit: int) -> list[int] | None:
    """Every `query[name]` as a primary key (checkboxes), or None when one of them cannot be
    one or there are more than `limit`: a bulk action then changes nothing."""
    values = query.getlist(name)
    ids = [_as_int(v) for v in values]
    if len(ids) > limit or any(i is None or not 1 <= i <= MAX_ID for i in ids):
        return None
    return sorted({i for i in ids if i is not None})


def _as_int(value: Any) -> int | None:
    text = str(value or "").strip()
    # isdigit() accepts "²" and other digits int() refuses; isascii() keeps to 0-9; the length
    # cap keeps int() away from Python's 4,300-digit limit.
    digits = text[1:] if text[:1] in "+-" else text
    if not digits or len(digits) > 30 or not (digits.isascii() and digits.isdigit()):
        return None
    return int(text)


# The canonical text form of a UUID, and nothing else: not 0, 1, true, false, a bare integer,
# 32 hex digits without dashes, braces or a urn:uuid: prefix (which uuid.UUID and DRF accept).
UUID_SHAPE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
NIL_UUID = UUID(int=0)


def strict_uuid(value: Any) -> UUID | None:
    """A client's id as a UUID when it is a string in the canonical form, else None. The nil
    UUID is refused too: a client sending it every time would have all but one answer taken
    for resends."""
    if not isinstance(value, str) or not UUID_SHAPE.fullmatch(value):
        return None
    parsed = UUID(value)
    return None if parsed == NIL_UUID else parsed


def refuse_nul(text: str, label: str = "") -> str:
    """`text` unchanged, or a ValidationError naming the field when it holds a NUL byte."""
    if NUL in text:
        raise ValidationError(nul_message(label))
    return text


def nul_message(label: str = "") -> str:
    if label:
        return _("%(field)s berisi karakter yang tidak diizinkan (NUL).") % {"field": label}
    return _("Isian berisi karakter yang tidak diizinkan (NUL).")
