"""The nine standard unsur: question and answer words exactly as in PermenPANRB 14/2017.

Keyed by code (docs/methodology.md §2); the order here is the order of the printed questionnaire.
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

# The 1–4 agreement scale of the trust question and of a unit's own "scale" questions.
AGREEMENT_ANSWERS = TRUST_ANSWERS


class ExtraKind:
    SCALE = "scale"  # a statement rated on the 1–4 agreement scale
    CHOICE = "choice"  # one of the unit's own options
    TEXT = "text"  # an open answer

    ALL = (SCALE, CHOICE, TEXT)


EXTRA_TEXT_MAX = 1000
EXTRA_CHOICES_MAX = 8


@dataclass(frozen=True)
class ExtraQuestion:
    """A unit's own question in one period. It is asked after the nine unsur and never enters
    the IKM. Kept as JSON on the period's unit (PeriodUnit.extra_questions): the form needs
    no further query, and the wording is frozen with the period like its weighting."""

    id: str
    kind: str
    text: str
    choices: tuple[str, ...] = ()
    required: bool = False
    retired: bool = False  # no longer asked; its answers stay in the results

    @classmethod
    def from_json(cls, data: dict[str, object]) -> "ExtraQuestion":
        return cls(
            id=str(data["id"]),
            kind=str(data["kind"]),
            text=str(data["text"]),
            choices=tuple(str(c) for c in data.get("choices") or ()),  # type: ignore[attr-defined]
            required=bool(data.get("required")),
            retired=bool(data.get("retired")),
        )

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "kind": self.kind,
            "text": self.text,
            "choices": list(self.choices),
            "required": self.required,
            "retired": self.retired,
        }

    def answer_words(self) -> tuple[str | Promise, ...]:
        """The words of answers 1, 2, …: the agreement scale or the unit's own options."""
        return AGREEMENT_ANSWERS if self.kind == ExtraKind.SCALE else self.choices


def extra_questions_of(raw: list[dict[str, object]] | None) -> tuple[ExtraQuestion, ...]:
    return tuple(ExtraQuestion.from_json(item) for item in raw or ())


def still_asked(questions: tuple[ExtraQuestion, ...]) -> tuple[ExtraQuestion, ...]:
    """The questions a form shows and accepts answers to (retired ones only stay in results)."""
    return tuple(q for q in questions if not q.retired)
