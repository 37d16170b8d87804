"""A year of DEMO survey responses for the demo kabupaten (clearly marked; never real results).

Semester I is closed (published), Semester II is open. The story a visitor should see: each unit
has its own level of satisfaction; most units reach their sample target, three do not (RSUD far
from it, a puskesmas and a kecamatan close); in Semester II a few responses are flagged for review
(a repeat from one device, a kiosk burst, a failed anti-bot check) and the Pemda admin has
quarantined one of them with a reason; Dinas Perhubungan falls by more than the alert margin
between the semesters and has filled in its follow-up plan (RTL). Seeded random numbers: the
same every run.
"""

import random
from datetime import UTC, date, datetime, time, timedelta

from django.db import transaction

from mutu.core.models import User
from mutu.indices.ikm import UNSUR_CODES
from mutu.indices.sampling import krejcie_morgan
from mutu.organisations.demo import DEMO_DOMAIN
from mutu.organisations.models import Pemda, Unit
from mutu.surveys import selectors
from mutu.surveys import services as survey_services
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
# Short of their target too, but by a little: the sample table is not all green or all red.
# Every other unit gets a few more responses than its Krejcie–Morgan target.
NEARLY_AT_SAMPLE = {"PKM Waru": 0.8, "Kec. Sepaku": 0.9}
# Responses flagged for review in the open semester, with the flag the app itself would give
# (shown to staff in words): one device sending the same answers twice, a kiosk burst, a failed
# anti-bot check. The Pemda admin quarantined one of the repeats.
FLAGGED = {"Disdukcapil": "duplicate", "MPP": "rate", "DPMPTSP": "pow"}
FLAGGED_PER_UNIT = 3
QUARANTINE_REASON = (
    "Jawaban ganda: perangkat yang sama mengirim jawaban yang sama empat menit setelah "
    "respons sebelumnya. Diperiksa dan dikarantina oleh admin Pemda."
)
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
    period: SurveyPeriod,
    unit: Unit,
    rng: random.Random,
    level: float,
    count: int,
    today: date,
    flag: str = "",
) -> None:
    last_day = min(period.ends_on, today)
    services = list(unit.services.filter(is_active=True))
    span = max((last_day - period.starts_on).days, 1)
    responses, values = [], []
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
        values.append({code: _answer(rng, level, code) for code in UNSUR_CODES})
    if flag:
        _flag_some(responses, values, flag, rng)
    Response.objects.bulk_create(responses, batch_size=500)
    # Ids, not objects: 70,000 answers skip the related-object checks (a third of the time).
    Answer.objects.bulk_create(
        (
            Answer(response_id=r.pk, period_id=period.pk, unit_id=unit.pk, unsur=code, value=value)
            for r, answers in zip(responses, values, strict=True)
            for code, value in answers.items()
        ),
        batch_size=5000,
    )


def _flag_some(
    responses: list[Response], values: list[dict[str, int]], flag: str, rng: random.Random
) -> None:
    """Flag a few responses as the app would have: a "duplicate" repeats the answers and the
    profile of the response before it, from the same device, four minutes later; a "rate" one
    came from a kiosk sending faster than people answer."""
    # Odd places only: a flagged response never copies another flagged one.
    for index in rng.sample(range(1, len(responses), 2), FLAGGED_PER_UNIT):
        response = responses[index]
        response.flag = flag
        if flag == "duplicate":
            original = responses[index - 1]
            for field in ("service", "served_on", *PROFILE_FIELDS, "extra"):
                setattr(response, field, getattr(original, field))
            response.channel = original.channel = "web"
            response.submitted_at = original.submitted_at + timedelta(minutes=4)
            original.device_hash = response.device_hash = f"demo{index:012d}"
            original.answers_key = response.answers_key = f"demo{index:08d}"
            values[index] = dict(values[index - 1])
        elif flag == "rate":
            response.channel = "kiosk"


PROFILE_FIELDS = ("gender", "age_band", "education", "occupation", "trust", "suggestion")


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


def _population_and_counts(unit: Unit, rng: random.Random) -> tuple[int, tuple[int, int]]:
    """The unit's users per semester and its responses in each: a few more than the target,
    except for the units of the story that stay short of it."""
    if unit.short_name == SHORT_OF_SAMPLE:
        return rng.randrange(2400, 4000), (25, 25)
    served = rng.randrange(100, 200)
    target = krejcie_morgan(served)
    share = NEARLY_AT_SAMPLE.get(unit.short_name)
    if share:
        return served, (int(target * share), int(target * share))
    return served, (target + rng.randrange(2, 20), target + rng.randrange(2, 20))


def seed(pemda: Pemda, *, year: int, today: date) -> None:
    """Create the two demo periods with responses; skipped when they already have responses."""
    first, second = _periods(pemda, year)
    if Response.objects.filter(period__in=[first, second]).exists():
        return
    rng = random.Random(6409)  # noqa: S311 - reproducible demo data, not a secret
    with transaction.atomic():
        for unit in pemda.units.filter(is_active=True).order_by("path"):
            level = rng.uniform(2.8, 3.5)
            served, counts = _population_and_counts(unit, rng)
            # Only the story's unit falls past the alert margin; the others hold or improve.
            drift = -0.45 if unit.short_name == FALLING else rng.uniform(0.0, 0.15)
            for period, shift, count in ((first, 0.0, counts[0]), (second, drift, counts[1])):
                PeriodUnit.objects.get_or_create(
                    period=period,
                    unit=unit,
                    defaults={"population": served, "extra_questions": _own_questions(unit)},
                )
                _seed_service_populations(period, unit, served)
                flag = FLAGGED.get(unit.short_name, "") if period == second else ""
                _seed_period(period, unit, rng, level + shift, count, today, flag)
            SurveyLink.objects.get_or_create(unit=unit, service=None, label="")
        _seed_follow_up(pemda, first)
        _seed_follow_up_of_the_fall(pemda, first, second)
        _quarantine_one_repeat(pemda, second)


def _quarantine_one_repeat(pemda: Pemda, period: SurveyPeriod) -> None:
    """The Pemda admin looked at the flagged repeats and quarantined one, through the service
    (so that the audit log shows who and why, as for a real decision)."""
    admin = User.objects.get(email=f"admin@{DEMO_DOMAIN}")
    repeat = (
        Response.objects.filter(period=period, unit__pemda=pemda, flag="duplicate")
        .order_by("submitted_at", "id")
        .first()
    )
    if repeat is not None:
        survey_services.response_quarantine(response=repeat, actor=admin, reason=QUARANTINE_REASON)


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


def _seed_follow_up_of_the_fall(pemda: Pemda, first: SurveyPeriod, second: SurveyPeriod) -> None:
    """Semester II shows the fall: the unit carries its unfinished action over and plans one
    for its weakest unsur of this semester (read through the app's own result)."""
    unit = pemda.units.get(short_name=FALLING)
    unfinished = RtlItem.objects.get(period=first, unit=unit, status=RtlItem.Status.IN_PROGRESS)
    RtlItem.objects.create(
        period=second,
        unit=unit,
        unsur=unfinished.unsur,
        program=unfinished.program,
        schedule="Oktober–Desember",
        responsible=unfinished.responsible,
        status=RtlItem.Status.IN_PROGRESS,
        evidence="Uji coba antrean daring di loket KIR sejak November.",
        carried_from=unfinished,
    )
    member = PeriodUnit.objects.get(period=second, unit=unit)
    weakest = next(
        code
        for code, _nrr in selectors.unit_result(second, member).lowest
        if code != unfinished.unsur
    )
    RtlItem.objects.create(
        period=second,
        unit=unit,
        unsur=weakest,
        program=WEAKEST_PLANS.get(weakest, "Evaluasi unsur terendah bersama petugas loket"),
        schedule="Januari–Maret tahun depan",
        responsible="Kepala Bidang Lalu Lintas dan Angkutan",
        status=RtlItem.Status.PLANNED,
    )


# The follow-up planned for the falling unit's weakest unsur, whichever it turns out to be.
WEAKEST_PLANS = {
    "persyaratan": "Papan dan brosur persyaratan uji KIR yang baru, juga di media sosial dinas",
    "prosedur": "Alur layanan uji KIR disederhanakan dan dipasang di ruang tunggu",
    "waktu": "Target waktu uji KIR 60 menit, dipantau harian oleh kepala UPT",
    "biaya": "Tarif retribusi uji KIR dipasang di loket dan laman dinas",
    "produk": "Kartu uji dan tanda lulus uji diserahkan pada hari yang sama",
    "kompetensi": "Pelatihan penguji kendaraan bermotor bersertifikat",
    "perilaku": "Pelatihan pelayanan prima untuk petugas loket dan penguji",
    "pengaduan": "Nomor WhatsApp pengaduan dijawab paling lambat satu hari kerja",
    "sarana": "Perbaikan ruang tunggu: kipas angin, air minum, toilet bersih",
}
