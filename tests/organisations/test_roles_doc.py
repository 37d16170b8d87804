"""The role table in docs/panduan-admin-pemda.md is what the apps' action tables allow (issue 11,
item 16; mutu/<app>/actions.py through mutu.core.access). Its rows come from those tables and its
cells from `can()`; when the code changes, this test fails and prints the new table (or rewrites
the document with MUTU_WRITE_DOCS=1)."""

import os
from pathlib import Path

import pytest

from mutu.core.access import CoreAction, action_tables, can
from mutu.core.roles import Role
from mutu.organisations.models import Region
from tests.factories import PemdaFactory, RegionFactory, UnitFactory, UserFactory, member

DOC = Path(__file__).resolve().parents[2] / "docs" / "panduan-admin-pemda.md"
START, END = "<!-- tabel-peran:mulai -->", "<!-- tabel-peran:selesai -->"


def _rows(kind: str) -> dict[str, str]:
    """{action: verb} of every declared action done to a `kind` ("pemda" or "unit"), the core's
    first, then each app's in its table's order."""
    return {
        action: grant.doc
        for table in action_tables().values()
        for action, grant in table.items()
        if kind in grant.on
    }


PEMDA_ACTIONS = _rows("pemda")
UNIT_ACTIONS = _rows("unit")
PEMDA_TARGETS = {"home": "Pemda-nya", "neighbour": "Pemda lain di provinsinya", "far": "Pemda lain"}
UNIT_TARGETS = {
    "unit": "unitnya",
    "child": "unit di bawahnya",
    "sibling": "unit lain di Pemda-nya",
    "far": "unit Pemda lain",
}
COLUMNS = [
    (Role.PEMDA_ADMIN, "Admin Pemda"),
    (Role.INSPECTOR, "Inspektorat"),
    (Role.UNIT_HEAD, "Kepala unit"),
    (Role.UNIT_OPERATOR, "Operator unit"),
    (Role.EVALUATOR, "Evaluator"),
    (Role.PROVINCIAL_ADMIN, "Admin provinsi"),
    (Role.NATIONAL_VIEWER, "Pemantau nasional"),
]


def _pemda_with_units(region):
    pemda = PemdaFactory(region=region)
    unit = UnitFactory(pemda=pemda, name="Dinas Kesehatan")
    return {
        "pemda": pemda,
        "unit": unit,
        "child": UnitFactory(pemda=pemda, name="Puskesmas", parent=unit),
        "sibling": UnitFactory(pemda=pemda, name="Dinas Pendidikan"),
    }


def _world():
    """For every role a home Pemda (a province for the provincial admin, a regency for the
    others), another Pemda in the same province and one in another province."""
    kaltim = RegionFactory(code="64", name="Kalimantan Timur", level=Region.Level.PROVINSI)
    kalteng = RegionFactory(code="62", name="Kalimantan Tengah", level=Region.Level.PROVINSI)
    province = _pemda_with_units(kaltim)
    regency = _pemda_with_units(RegionFactory(code="64.09", parent=kaltim))
    neighbour = _pemda_with_units(RegionFactory(code="64.01", parent=kaltim))
    far = _pemda_with_units(RegionFactory(code="62.10", parent=kalteng))
    return province, regency, neighbour, far


def _user(role, home):
    if role == Role.NATIONAL_VIEWER:
        return member(role)
    if role in (Role.UNIT_HEAD, Role.UNIT_OPERATOR, Role.EVALUATOR):
        return member(role, pemda=home["pemda"], unit=home["unit"])
    return member(role, pemda=home["pemda"])


def _mark(allowed: bool) -> str:
    return "ya" if allowed else "–"


def role_table() -> str:
    province, regency, neighbour, far = _world()
    users = {}
    for role, _ in COLUMNS:
        home = province if role == Role.PROVINCIAL_ADMIN else regency
        users[role] = (_user(role, home), home, regency if home is province else neighbour)
    header = "| tindakan | " + " | ".join(name for _, name in COLUMNS) + " |"
    rows = [header, "|---|" + "---|" * len(COLUMNS)]
    for action, verb in PEMDA_ACTIONS.items():
        for target, label in PEMDA_TARGETS.items():
            cells = []
            for role, _ in COLUMNS:
                user, home, near = users[role]
                obj = {"home": home, "neighbour": near, "far": far}[target]["pemda"]
                cells.append(_mark(can(user, action, obj)))
            rows.append(f"| {verb}: {label} | " + " | ".join(cells) + " |")
    for action, verb in UNIT_ACTIONS.items():
        for target, label in UNIT_TARGETS.items():
            cells = []
            for role, _ in COLUMNS:
                user, home, _near = users[role]
                obj = far["unit"] if target == "far" else home[target]
                cells.append(_mark(can(user, action, obj)))
            rows.append(f"| {verb}: {label} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def _documented() -> str:
    text = DOC.read_text()
    return text.split(START, 1)[1].split(END, 1)[0].strip()


def test_every_action_has_a_row_in_the_table_with_words():
    # A new action must reach the documented table, or the docs stop saying what the code does.
    declared = {action for table in action_tables().values() for action in table}
    assert declared == set(PEMDA_ACTIONS) | set(UNIT_ACTIONS)
    assert CoreAction.VIEW in PEMDA_ACTIONS and CoreAction.VIEW in UNIT_ACTIONS
    assert all(PEMDA_ACTIONS.values()) and all(UNIT_ACTIONS.values())


@pytest.mark.django_db
def test_the_documented_role_table_is_what_the_code_allows():
    UserFactory()  # ids past the fixtures of other tests do not matter here
    expected = role_table()
    if os.environ.get("MUTU_WRITE_DOCS") and _documented() != expected:
        head, rest = DOC.read_text().split(START, 1)
        DOC.write_text(f"{head}{START}\n{expected}\n{END}{rest.split(END, 1)[1]}")
    assert _documented() == expected, (
        f"docs/panduan-admin-pemda.md disagrees with the action tables. The table "
        f"from the code (MUTU_WRITE_DOCS=1 writes it):\n{expected}"
    )
