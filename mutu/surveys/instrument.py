"""The nine standard unsur: question and answer words exactly as in PermenPANRB 14/2017.

Keyed by code (spec/skm.md); the order here is the order of the printed questionnaire.
The texts are Bahasa Indonesia first and translated through gettext like the rest of the UI.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from mutu.indices.ikm import UNSUR_CODES

# Face pictures (static/img/face-N.svg) beside the words, never instead of them.
FACES = ("1", "2", "3", "4")


@dataclass(frozen=True)
class UnsurQuestion:
    code: str
    question: str | Promise
    answers: tuple[str | Promise, str | Promise, str | Promise, str | Promise]


STANDARD_QUESTIONS: tuple[UnsurQuestion, ...] = (
    UnsurQuestion(
        "persyaratan",
        _(
            "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis "
            "pelayanannya?"
        ),
        (_("Tidak sesuai"), _("Kurang sesuai"), _("Sesuai"), _("Sangat sesuai")),
    ),
    UnsurQuestion(
        "prosedur",
        _("Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?"),
        (_("Tidak mudah"), _("Kurang mudah"), _("Mudah"), _("Sangat mudah")),
    ),
    UnsurQuestion(
        "waktu",
        _("Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?"),
        (_("Tidak cepat"), _("Kurang cepat"), _("Cepat"), _("Sangat cepat")),
    ),
    UnsurQuestion(
        "biaya",
        _("Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?"),
        (_("Sangat mahal"), _("Cukup mahal"), _("Murah"), _("Gratis")),
    ),
    UnsurQuestion(
        "produk",
        _(
            "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum "
            "dalam standar pelayanan dengan hasil yang diberikan?"
        ),
        (_("Tidak sesuai"), _("Kurang sesuai"), _("Sesuai"), _("Sangat sesuai")),
    ),
    UnsurQuestion(
        "kompetensi",
        _("Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?"),
        (_("Tidak kompeten"), _("Kurang kompeten"), _("Kompeten"), _("Sangat kompeten")),
    ),
    UnsurQuestion(
        "perilaku",
        _(
            "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan "
            "dan keramahan?"
        ),
        (
            _("Tidak sopan dan ramah"),
            _("Kurang sopan dan ramah"),
            _("Sopan dan ramah"),
            _("Sangat sopan dan ramah"),
        ),
    ),
    UnsurQuestion(
        "sarana",
        _("Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?"),
        (_("Buruk"), _("Cukup"), _("Baik"), _("Sangat baik")),
    ),
    UnsurQuestion(
        "pengaduan",
        _("Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?"),
        (
            _("Tidak ada"),
            _("Ada tetapi tidak berfungsi"),
            _("Berfungsi kurang maksimal"),
            _("Dikelola dengan baik"),
        ),
    ),
)

assert tuple(q.code for q in STANDARD_QUESTIONS) == UNSUR_CODES
TRUST_QUESTION = _("Saya percaya pada layanan ini.")
TRUST_ANSWERS = (_("Tidak setuju"), _("Kurang setuju"), _("Setuju"), _("Sangat setuju"))
