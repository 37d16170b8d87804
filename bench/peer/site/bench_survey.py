"""Create the benchmark survey, or count stored responses.

Usage (from the site folder, with the peer venv's python):
  python bench_survey.py create   -> prints the survey id
  python bench_survey.py count ID -> prints "<responses> <answers>" stored for that survey
"""

import datetime
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchsite.settings")
import django

django.setup()

from django.db import transaction  # noqa: E402
from survey.models import Answer, Question, Response, Survey  # noqa: E402

NAME = "SKM bench (9 unsur + 3 demografi)"
# The 9 SKM unsur (PermenPANRB 14/2017), each answered on a 1-4 scale.
UNSUR = [
    "Persyaratan",
    "Sistem, mekanisme, dan prosedur",
    "Waktu penyelesaian",
    "Biaya/tarif",
    "Produk spesifikasi jenis pelayanan",
    "Kompetensi pelaksana",
    "Perilaku pelaksana",
    "Penanganan pengaduan, saran dan masukan",
    "Sarana dan prasarana",
]
SCALE = "Tidak baik, Kurang baik, Baik, Sangat baik"
DEMOGRAPHICS = [
    ("Jenis kelamin", "Laki-laki, Perempuan"),
    ("Pendidikan terakhir", "SD, SMP, SMA, D1-D3, S1, S2 ke atas"),
    ("Pekerjaan", "PNS, TNI-POLRI, Pegawai swasta, Wirausaha, Lainnya"),
]


def create():
    with transaction.atomic():
        survey = Survey.objects.create(
            name=NAME,
            description="Survei Kepuasan Masyarakat - benchmark",
            is_published=True,
            need_logged_user=False,
            editable_answers=True,
            display_method=Survey.ALL_IN_ONE_PAGE,
            publish_date=datetime.date(2000, 1, 1),
            expire_date=datetime.date(2099, 12, 31),
        )
        order = 0
        for text in UNSUR:
            order += 1
            Question.objects.create(
                survey=survey,
                text=text,
                order=order,
                required=True,
                type=Question.RADIO,
                choices=SCALE,
            )
        for text, choices in DEMOGRAPHICS:
            order += 1
            Question.objects.create(
                survey=survey,
                text=text,
                order=order,
                required=True,
                type=Question.SELECT,
                choices=choices,
            )
    print(survey.pk)


def count(survey_id):
    responses = Response.objects.filter(survey_id=survey_id).count()
    answers = Answer.objects.filter(response__survey_id=survey_id).count()
    print(responses, answers)


if __name__ == "__main__":
    if sys.argv[1:2] == ["create"]:
        create()
    elif sys.argv[1:2] == ["count"] and len(sys.argv) == 3:
        count(int(sys.argv[2]))
    else:
        sys.exit(__doc__)
