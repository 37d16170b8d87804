"""A year of DEMO survey responses for the demo kabupaten (clearly marked; never real results).

Semester I is closed (published), Semester II is open. Each unit has its own level of
satisfaction; RSUD has too few responses for its sample target and Dinas Perhubungan falls by
more than the alert margin between the semesters. Seeded random numbers: the same every run.
"""

import random
from datetime import UTC, date, datetime, time, timedelta

from django.db import transaction

from mutu.indices.ikm import UNSUR_CODES
from mutu.organisations.models import Pemda, Unit
from mutu.surveys.instrument import ExtraKind, ExtraQuestion
from mutu.surveys.models import (
    Answer,
    FkpRecord,
    PeriodService,
    PeriodUnit,
    Response,
    RtlItem,
    SurveyLink,
    SurveyPeriod,
)

# Units whose demo story matters (by short name).
SHORT_OF_SAMPLE = "RSUD RAPB"
# Disdukcapil asks its own questions (never in the IKM) and knows the users of each service.
OWN_QUESTIONS_UNIT = "Disdukcapil"
OWN_QUESTIONS = [
    ExtraQuestion("q1", ExtraKind.SCALE, "Informasi antrean mudah dipahami."),
    ExtraQuestion(
        "q2",
        ExtraKind.CHOICE,
        "Dari mana Anda mengetahui persyaratan layanan ini?",
        ("Papan informasi", "Media sosial", "Teman/keluarga", "Petugas desa"),
    ),
    ExtraQuestion("q3", ExtraKind.TEXT, "Layanan apa yang sebaiknya bisa dilakukan daring?"),
]
ONLINE_WISHES = [
    "Cetak KK sendiri di rumah",
    "Pindah datang bisa daring",
    "Akta kelahiran daring",
    "Cek status KTP lewat WhatsApp",
]
FALLING = "Dishub"
# Unsur that citizens usually rate lower (waktu, sarana) or higher (biaya: many services free).
UNSUR_OFFSET = {"waktu": -0.25, "sarana": -0.2, "pengaduan": -0.15, "biaya": 0.3, "perilaku": 0.1}


def _periods(pemda: Pemda, year: int) -> tuple[SurveyPeriod, SurveyPeriod]:
    first, _ = SurveyPeriod.objects.get_or_create(
        pemda=pemda,
        name=f"Semester I {year}",
        defaults={
            "starts_on": date(year, 1, 1),
            "ends_on": date(year, 6, 30),
            "status": SurveyPeriod.Status.CLOSED,
        },
    )
    second, _ = SurveyPeriod.objects.get_or_create(
        pemda=pemda,
        name=f"Semester II {year}",
        defaults={
            "starts_on": date(year, 7, 1),
            "ends_on": date(year, 12, 31),
            "status": SurveyPeriod.Status.OPEN,
        },
    )
    return first, second


def _answer(rng: random.Random, level: float, code: str) -> int:
    value = rng.gauss(level + UNSUR_OFFSET.get(code, 0.0), 0.55)
    return min(4, max(1, round(value)))


SUGGESTIONS = (
    "Antrean terlalu panjang pada pagi hari, mohon tambah petugas loket.",
    "Petugas ramah dan cepat, pertahankan.",
    "Ruang tunggu panas, perlu kipas atau pendingin ruangan.",
    "Informasi persyaratan di papan pengumuman kurang jelas.",
    "Mohon sediakan layanan antrean daring agar tidak menunggu lama.",
    "Parkir sempit dan tidak ada peneduh.",
    "Proses cepat, tidak ada pungutan. Terima kasih.",
    "Jam buka loket sering terlambat dari jadwal.",
    "Perlu kursi roda dan jalur landai untuk lansia dan disabilitas.",
    "Toilet kurang bersih.",
    "Petugas menjelaskan persyaratan dengan sabar.",
    "Nomor pengaduan tidak pernah diangkat.",
)


def _profile(rng: random.Random) -> dict[str, object]:
    return {
        "gender": rng.choice("LLPPP"),
        "age_band": rng.choice(
            ["<20", "20-29", "20-29", "30-39", "30-39", "40-49", "50-59", "60+"]
        ),
        "education": rng.choice(
            ["SD", "SMP", "SMA", "SMA", "SMA", "D1-D3", "D4-S1", "D4-S1", "S2"]
        ),
        "occupation": rng.choice(
            [
                "PNS",
                "Swasta",
                "Swasta",
                "Wirausaha",
                "Wirausaha",
                "Lainnya",
                "Lainnya",
                "TNI",
                "POLRI",
            ]
        ),
        "trust": rng.choice([2, 3, 3, 3, 4, 4]),
        "suggestion": rng.choice(SUGGESTIONS) if rng.random() < 0.15 else "",
    }


def _seed_period(
    period: SurveyPeriod, unit: Unit, rng: random.Random, level: float, count: int, today: date
) -> None:
    last_day = min(period.ends_on, today)
    services = list(unit.services.filter(is_active=True))
    span = max((last_day - period.starts_on).days, 1)
    responses = []
    for _ in range(count):
        day = period.starts_on + timedelta(days=rng.randrange(span))
        moment = datetime.combine(day, time(1 + rng.randrange(7), rng.randrange(60)), tzinfo=UTC)
        responses.append(
            Response(
                period=period,
                unit=unit,
                extra=_own_answers(rng) if unit.short_name == OWN_QUESTIONS_UNIT else {},
                service=rng.choice(services) if services else None,
                channel=rng.choice(["qr", "qr", "qr", "web", "paper"]),
                submitted_at=moment,
                served_on=day,
                **_profile(rng),
            )
        )
    Response.objects.bulk_create(responses, batch_size=500)
    Answer.objects.bulk_create(
        (
            Answer(
                response=r, period=period, unit=unit, unsur=code, value=_answer(rng, level, code)
            )
            for r in responses
            for code in UNSUR_CODES
        ),
        batch_size=5000,
    )


def _own_questions(unit: Unit) -> list[dict[str, object]]:
    if unit.short_name != OWN_QUESTIONS_UNIT:
        return []
    return [q.to_json() for q in OWN_QUESTIONS]


def _own_answers(rng: random.Random) -> dict[str, object]:
    answers: dict[str, object] = {"q1": rng.choice([2, 3, 3, 3, 4])}
    if rng.random() < 0.8:
        answers["q2"] = rng.choice([1, 1, 2, 2, 2, 3, 4])
    if rng.random() < 0.2:
        answers["q3"] = rng.choice(ONLINE_WISHES)
    return answers


def _seed_service_populations(period: SurveyPeriod, unit: Unit, served: int) -> None:
    """Split the unit's users over its services (the demo unit with its own questions only)."""
    if unit.short_name != OWN_QUESTIONS_UNIT:
        return
    services = list(unit.services.filter(is_active=True).order_by("name"))
    for index, service in enumerate(services):
        share = served // (2 ** (index + 1)) or 1
        PeriodService.objects.get_or_create(
            period=period, service=service, defaults={"population": share}
        )


def seed(pemda: Pemda, *, year: int, today: date) -> None:
    """Create the two demo periods with responses; skipped when they already have responses."""
    first, second = _periods(pemda, year)
    if Response.objects.filter(period__in=[first, second]).exists():
        return
    rng = random.Random(6409)  # noqa: S311 - reproducible demo data, not a secret
    with transaction.atomic():
        for unit in pemda.units.filter(is_active=True).order_by("path"):
            level = rng.uniform(2.8, 3.5)
            served = rng.randrange(600, 6000)
            for period, drift in ((first, 0.0), (second, rng.uniform(-0.1, 0.15))):
                if unit.short_name == FALLING and period == second:
                    drift = -0.45
                count = 25 if unit.short_name == SHORT_OF_SAMPLE else rng.randrange(60, 170)
                PeriodUnit.objects.get_or_create(
                    period=period,
                    unit=unit,
                    defaults={
                        "population": served * (4 if unit.short_name == SHORT_OF_SAMPLE else 1),
                        "extra_questions": _own_questions(unit),
                    },
                )
                _seed_service_populations(period, unit, served)
                _seed_period(period, unit, rng, level + drift, count, today)
            SurveyLink.objects.get_or_create(unit=unit, service=None, label="")
        _seed_follow_up(pemda, first)


def _seed_follow_up(pemda: Pemda, period: SurveyPeriod) -> None:
    """The falling unit planned two actions after Semester I; one is done, one is not."""
    unit = pemda.units.get(short_name=FALLING)
    RtlItem.objects.create(
        period=period,
        unit=unit,
        unsur="waktu",
        program="Antrean daring untuk uji berkala kendaraan (KIR)",
        schedule="Juli–September",
        responsible="Kepala UPT Pengujian",
        status=RtlItem.Status.IN_PROGRESS,
    )
    RtlItem.objects.create(
        period=period,
        unit=unit,
        unsur="sarana",
        program="Ruang tunggu beratap dan kursi tambahan",
        schedule="Agustus",
        responsible="Sekretaris Dinas",
        status=RtlItem.Status.DONE,
        evidence="Berita acara serah terima",
    )
    FkpRecord.objects.create(
        period=period,
        unit=unit,
        held_on=period.ends_on,
        participants="Asosiasi angkutan, perwakilan sopir, Ombudsman perwakilan (undangan)",
        agreed_actions="Jam buka loket KIR 07.30; antrean daring.",
    )
