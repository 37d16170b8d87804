"""English is complete and the committed .mo matches the .po (make messages was not forgotten)."""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _entries(text: str) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, is_plural) of a .po file; enough of the format for our own file."""
    entries, current, key = [], {}, None
    for line in [*text.splitlines(), ""]:
        if line.startswith(("msgid ", "msgid_plural ", "msgstr ", "msgstr[0] ")):
            key, _, literal = line.partition(" ")
            if key == "msgid" and current:
                entries.append(current)
                current = {}
            current[key] = ast.literal_eval(literal)
        elif line.startswith('"') and key:
            current[key] += ast.literal_eval(line)
        elif line.startswith("msgstr["):
            key = None
    if current:
        entries.append(current)
    return [
        (e["msgid"], e.get("msgstr", e.get("msgstr[0]", "")), "msgid_plural" in e)
        for e in entries
        if e.get("msgid")
    ]


def test_every_message_has_an_english_translation():
    missing = [msgid for msgid, msgstr, _ in _entries(PO.read_text("utf-8")) if not msgstr]
    assert not missing, missing


def test_compiled_catalogue_matches_the_po_file():
    stale = []
    with translation.override("en"):
        for msgid, msgstr, plural in _entries(PO.read_text("utf-8")):
            if not plural and translation.gettext(msgid) != msgstr:
                stale.append(msgid)
    assert not stale, f"run `make messages`: {stale[:5]}"


@pytest.mark.django_db
def test_english_switch_translates_the_interface(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Sign in" in html
    assert "Masuk" not in html
