"""Open-text suggestions grouped into themes that mean something (issue 12 item 8): phrases,
Indonesian stop words, courtesy is no theme, counts and quotes that never repeat."""

import pytest
from django.urls import reverse

from mutu.core.roles import Role
from mutu.indices.ikm import UNSUR_CODES
from mutu.surveys.themes import Theme, distinct, normalised, themes
from tests.factories import member
from tests.surveys.factories import PeriodUnitFactory, add_responses

# What citizens of a Disdukcapil actually write in the box (spelling as typed).
SUGGESTIONS = [
    "Antrean terlalu panjang, mohon ditambah loketnya",
    "antrian panjang sekali pagi hari",
    "Antriannya masih sangat panjang!",
    "Terima kasih, pelayanan sudah baik",
    "Terima kasih",
    "terima kasih.",
    "Terimakasih pelayanannya bagus",
    "Petugas ramah dan cepat",
    "petugasnya ramah, terima kasih",
    "Petugas sangat ramah",
    "Petugas kurang ramah",
    "petugas tidak ramah dan judes",
    "Parkir sempit, susah cari tempat",
    "parkiran sempit",
    "AC mati, ruang tunggu panas",
    "ruang tunggu panas sekali",
    "Semoga sukses selalu",
    "tidak ada",
    "Tingkatkan pelayanan",
    "tingkatkan pelayanan",
    "Petugas ramah dan cepat",
    "Petugas ramah dan cepat.",
]


def _by_label(found):
    return {theme.label: theme for theme in found}


def test_phrases_are_themes_and_courtesy_is_not():
    found = _by_label(themes(SUGGESTIONS))
    assert found["antrean panjang"].mentions == 3  # antrean / antrian / antriannya, one theme
    assert found["petugas ramah"].mentions == 5
    assert found["parkir sempit"].mentions == 2
    assert found["ruang tunggu"].mentions == 2
    # "tidak ramah" and "kurang ramah" are one complaint, apart from the praise
    assert found["petugas kurang ramah"].mentions == 2
    labels = " | ".join(found)
    for courtesy in ("terima", "kasih", "sukses", "semoga", "tingkatkan", "pelayanan", "ada"):
        assert courtesy not in labels.split(" "), labels
    # a phrase already says its words: "petugas" and "ramah" are no themes of their own
    assert "petugas" not in found and "ramah" not in found and "tunggu panas" not in found


def test_quotes_never_repeat_and_themes_are_ordered_by_count():
    found = themes(SUGGESTIONS)
    assert [t.mentions for t in found] == sorted((t.mentions for t in found), reverse=True)
    quotes = [normalised(q) for theme in found for q in theme.examples]
    assert len(quotes) == len(set(quotes))
    ramah = _by_label(found)["petugas ramah"]
    assert ramah.examples[0] == "Petugas ramah dan cepat" and len(ramah.examples) == 3


def test_one_answer_sent_many_times_is_not_a_theme():
    assert themes(["Toilet kotor sekali"] * 5 + ["Loket tutup cepat"]) == []
    assert themes(["Toilet kotor", "WC kotor!"]) == [
        Theme("toilet kotor", 2, ["Toilet kotor", "WC kotor!"])
    ]


def test_only_courtesy_gives_no_theme():
    assert themes(["Terima kasih", "terima kasih banyak", "Makasih", "Tidak ada", "-", ""]) == []


def test_words_stand_alone_when_no_phrase_holds_them():
    found = themes(["kursi kurang", "kursi rusak", "parkir sempit"])
    assert found == [Theme("kursi", 2, ["kursi kurang", "kursi rusak"])]


def test_distinct_keeps_the_first_of_each_normalised_answer():
    assert distinct(["Terima kasih", " terima  kasih. ", "Antrean lama", "", "antrean LAMA!"]) == [
        "Terima kasih",
        "Antrean lama",
    ]


@pytest.mark.django_db
def test_unit_page_shows_themes_with_counts_and_distinct_quotes(client):
    seat = PeriodUnitFactory()
    row = dict.fromkeys(UNSUR_CODES, 3)
    add_responses(seat.period, seat.unit, [{**row, "suggestion": s} for s in SUGGESTIONS])
    client.force_login(member(Role.UNIT_HEAD, unit=seat.unit))
    html = client.get(reverse("surveys:unit_result", args=[seat.period.pk, seat.unit.pk]))
    page = html.content.decode()
    assert "tema yang sering muncul" in page
    assert "<strong>antrean panjang</strong> — 3 saran" in page
    assert "<strong>petugas ramah</strong> — 5 saran" in page
    assert "<strong>terima" not in page and "<strong>kasih" not in page
    assert page.count("“Petugas ramah dan cepat") == 1  # three times in the answers
