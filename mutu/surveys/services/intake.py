"""Every write of the SKM: periods, links, responses, quarantine. Validated, atomic, audited."""

import hashlib
from contextlib import nullcontext
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import BooleanField, Count, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mutu.core.db import retry_on_lock
from mutu.core.events import record_event
from mutu.core.models import User
from mutu.core.params import refuse_nul
from mutu.core.permissions import Action, require
from mutu.core.sql import case_exists, case_when, insert_with_children, row_exists
from mutu.indices.ikm import ANSWER_MAX, ANSWER_MIN, UNSUR_CODES
from mutu.organisations.models import Pemda, Service, Unit
from mutu.surveys.instrument import (
    EXTRA_CHOICES_MAX,
    EXTRA_TEXT_MAX,
    ExtraKind,
    ExtraQuestion,
    extra_questions_of,
    still_asked,
)
from mutu.surveys.models import (
    Answer,
    FkpRecord,
    KioskDevice,
    PeriodService,
    PeriodUnit,
    Response,
    ReviewRequest,
    RtlItem,
    SurveyLink,
    SurveyPeriod,
)

DUPLICATE_WINDOW = timedelta(minutes=30)


class PeriodClosed(ValidationError):
    """The period takes no more answers: the API and the kiosk answer 409, as when no open
    period was found before storing."""


# A kiosk tablet serves one citizen after another, and many give the same answers (all 4 is
# common): the same answers and profile again within two minutes is a double tap or a script,
# as a person needs at least half a minute to answer; a longer window would flag real people.
KIOSK_DUPLICATE_WINDOW = timedelta(minutes=2)


# --- periods and links -----------------------------------------------------------------------


def period_create(
    *,
    pemda: Pemda,
    actor: User | None,
    units: list[Unit],
    overlap_confirmed: bool = False,
    **fields: Any,
) -> SurveyPeriod:
    """A new draft period. One that overlaps another period of the same units needs
    `overlap_confirmed`: two results for the same days would confuse every report."""
    require(actor, Action.MANAGE_UNITS, pemda)
    if any(unit.pemda_id != pemda.pk for unit in units):
        raise ValidationError(_("Semua unit harus berada di Pemda ini."))
    with transaction.atomic():
        period = SurveyPeriod(pemda=pemda, **fields)
        period.full_clean()
        overlaps = overlapping_periods(period, [u.pk for u in units])
        if overlaps and not overlap_confirmed:
            raise _overlap_error(overlaps)
        period.save()
        carried = _last_extra_questions(pemda, [u.pk for u in units])
        PeriodUnit.objects.bulk_create(
            PeriodUnit(period=period, unit=u, extra_questions=carried.get(u.pk, [])) for u in units
        )
        data: dict[str, Any] = {"units": len(units), "weighting": period.weighting}
        if overlaps:  # confirmed: the audit trail says who chose to overlap which periods
            data["overlaps"] = [p.pk for p in overlaps]
        record_event(actor=actor, verb="survey_period.created", obj=period, pemda=pemda, data=data)
    return period


def overlapping_periods(period: SurveyPeriod, unit_ids: list[int]) -> list[SurveyPeriod]:
    """Other periods of the Pemda whose dates meet `period`'s and that share one of the units,
    each with `shared_units`, the number of units in both."""
    return list(
        SurveyPeriod.objects.filter(
            pemda_id=period.pemda_id, starts_on__lte=period.ends_on, ends_on__gte=period.starts_on
        )
        .exclude(pk=period.pk)
        .annotate(
            shared_units=Count("members", filter=Q(members__unit_id__in=unit_ids), distinct=True)
        )
        .filter(shared_units__gt=0)
        .order_by("starts_on", "pk")
    )


def _overlap_error(overlaps: list[SurveyPeriod]) -> ValidationError:
    lines = [
        _(
            "Periode ini tumpang tindih dengan periode lain untuk unit yang sama. "
            "Periksa tanggal dan unitnya; jika memang disengaja, centang konfirmasi di bawah."
        )
    ]
    lines += [
        _("%(name)s (%(start)s – %(end)s, %(status)s): %(n)s unit yang sama.")
        % {
            "name": p.name,
            "start": date_format(p.starts_on, "j F Y"),
            "end": date_format(p.ends_on, "j F Y"),
            "status": p.get_status_display(),
            "n": p.shared_units,  # type: ignore[attr-defined]
        }
        for p in overlaps
    ]
    return ValidationError([ValidationError(line, code="overlap") for line in lines])


def _last_extra_questions(pemda: Pemda, unit_ids: list[int]) -> dict[int, list[Any]]:
    """Each unit's own questions of its latest earlier period, still asked ones only: a new
    period starts with the same instrument, so that the two can be compared."""
    carried: dict[int, list[Any]] = {}
    members = (
        PeriodUnit.objects.filter(period__pemda=pemda, unit_id__in=unit_ids)
        .exclude(extra_questions=[])
        .order_by("unit_id", "-period__starts_on")
        .values_list("unit_id", "extra_questions")
    )
    for unit_id, questions in members:
        if unit_id not in carried:
            carried[unit_id] = [q for q in questions if not q.get("retired")]
    return carried


def period_set_status(*, period: SurveyPeriod, status: str, actor: User | None) -> SurveyPeriod:
    require(actor, Action.MANAGE_UNITS, period.pemda)
    if status not in SurveyPeriod.Status.values:
        raise ValidationError(_("Status tidak dikenal."))
    with transaction.atomic():
        before = period.status
        period.status = status
        if status != SurveyPeriod.Status.CLOSED:
            period.closed_at = None
        elif before != SurveyPeriod.Status.CLOSED:
            period.closed_at = timezone.now()
        period.save(update_fields=["status", "closed_at", "updated_at"])
        record_event(
            actor=actor,
            verb="survey_period.status",
            obj=period,
            pemda=period.pemda,
            data={"from": before, "to": status},
        )
    return period


def population_set(*, member: PeriodUnit, population: int | None, actor: User | None) -> PeriodUnit:
    require(actor, Action.EDIT_UNIT, member.unit)
    if population is not None and population < 0:
        raise ValidationError(_("Populasi tidak boleh negatif."))
    with transaction.atomic():
        before = member.population
        member.population = population
        member.save(update_fields=["population"])
        record_event(
            actor=actor,
            verb="survey_population.set",
            obj=member.unit,
            pemda=member.period.pemda,
            data={"period": member.period_id, "from": before, "to": population},
        )
    return member


def link_create(
    *, unit: Unit, actor: User | None, service: Service | None = None, label: str = ""
) -> SurveyLink:
    require(actor, Action.MANAGE_SERVICES, unit)
    if service is not None and service.unit_id != unit.pk:
        raise ValidationError(_("Layanan harus milik unit ini."))
    with transaction.atomic():
        link = SurveyLink.objects.create(unit=unit, service=service, label=label)
        record_event(actor=actor, verb="survey_link.created", obj=link, pemda=unit.pemda)
    return link


def link_rotate(*, link: SurveyLink, actor: User | None) -> SurveyLink:
    """Retire a link (e.g. a poster was copied elsewhere) and issue a new token for it."""
    require(actor, Action.MANAGE_SERVICES, link.unit)
    with transaction.atomic():
        link.is_active = False
        link.save(update_fields=["is_active", "updated_at"])
        fresh = SurveyLink.objects.create(unit=link.unit, service=link.service, label=link.label)
        record_event(
            actor=actor,
            verb="survey_link.rotated",
            obj=fresh,
            pemda=link.unit.pemda,
            data={"retired": link.pk},
        )
    return fresh


# --- responses -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SurveyTarget:
    """Where a submission goes: resolved from a QR token or a unit's public address."""

    period: SurveyPeriod
    unit: Unit
    channel: str
    service: Service | None = None
    link: SurveyLink | None = None
    kiosk: KioskDevice | None = None
    skippable: frozenset[str] = frozenset()
    extra_questions: tuple[ExtraQuestion, ...] = ()
    # The unit's active services a citizen may pick from, on a unit-level link of a unit with
    # several (issue 12 item 9); empty otherwise.
    service_choices: tuple[Service, ...] = ()

    def with_service(self, service: Service | None) -> "SurveyTarget":
        """The target for the service the citizen picked (None: "Tidak tahu / lainnya")."""
        return replace(self, service=service) if service is not None else self


@dataclass(frozen=True)
class SubmissionMeta:
    ip: str = ""
    user_agent: str = ""
    honeypot: str = ""
    over_rate_limit: bool = False
    client_id: Any = None
    entered_by: User | None = None
    pow_suspect: bool = False  # a proof-of-work that was forged, expired or used before
    answered_at: datetime | None = None  # when a queue (the kiosk) says the citizen answered


def validate_answers(
    answers: dict[str, Any], skippable: frozenset[str] = frozenset()
) -> dict[str, int]:
    """All nine unsur, each an integer 1–4, except those the unit lets respondents skip;
    the error names the unsur."""
    unknown = set(answers) - set(UNSUR_CODES)
    if unknown:
        raise ValidationError(_("Unsur tidak dikenal: %(codes)s") % {"codes": ", ".join(unknown)})
    clean: dict[str, int] = {}
    for code in UNSUR_CODES:
        value = answers.get(code)
        if code in skippable and value in (None, ""):
            continue  # "does not apply": this unsur's n is smaller, never a zero
        try:
            number = int(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise ValidationError({code: _("Pilih salah satu jawaban.")}) from None
        if not ANSWER_MIN <= number <= ANSWER_MAX or str(number) != str(value).strip():
            raise ValidationError({code: _("Jawaban harus 1 sampai 4.")})
        clean[code] = number
    return clean


def _digest(*parts: object, length: int) -> str:
    text = "|".join(str(p) for p in parts)
    return hashlib.sha256(f"{settings.SECRET_KEY}|{text}".encode()).hexdigest()[:length]


def validate_extra(questions: tuple[ExtraQuestion, ...], extra: dict[str, Any]) -> dict[str, Any]:
    """Answers to the unit's own questions: a number 1–4 on a scale, an option's number, or a
    text; unasked or retired questions are refused, empty optional answers left out."""
    asked = {q.id: q for q in still_asked(questions)}
    unknown = set(extra) - set(asked)
    if unknown:
        raise ValidationError(
            _("Pertanyaan tambahan tidak dikenal: %(ids)s") % {"ids": ", ".join(sorted(unknown))}
        )
    clean: dict[str, Any] = {}
    for qid, question in asked.items():
        value = extra.get(qid)
        if value is None or str(value).strip() == "":
            if question.required:
                raise ValidationError({f"x_{qid}": _("Pertanyaan ini wajib dijawab.")})
            continue
        clean[qid] = _extra_value(question, value)
    return clean


def _extra_value(question: ExtraQuestion, value: Any) -> int | str:
    if question.kind == ExtraKind.TEXT:
        text = str(value).strip()
        if len(text) > EXTRA_TEXT_MAX:
            message = _("Jawaban paling panjang %(n)s huruf.") % {"n": EXTRA_TEXT_MAX}
            raise ValidationError({f"x_{question.id}": message})
        return text
    count = len(question.answer_words())
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= count or str(number) != str(value).strip():
        raise ValidationError({f"x_{question.id}": _("Pilih salah satu jawaban.")})
    return number


def response_submit(
    *,
    target: SurveyTarget,
    answers: dict[str, Any],
    profile: dict[str, Any],
    meta: SubmissionMeta,
    extra: dict[str, Any] | None = None,
) -> Response:
    """Store one response: one INSERT for it, one bulk INSERT for its answers, all or nothing
    (on PostgreSQL both in one statement, see core.sql.insert_with_children).

    Nothing is silently dropped: a honeypot hit is stored quarantined, a likely duplicate or a
    burst over the rate limit is stored flagged for review.
    """
    if target.period.status != SurveyPeriod.Status.OPEN and not _answered_before_closing(
        target.period, meta.answered_at
    ):
        raise PeriodClosed(_("Periode survei ini sudah ditutup."))
    if target.service is not None and target.service.unit_id != target.unit.pk:
        raise ValidationError({"service": _("Layanan harus milik unit ini.")})
    values = validate_answers(answers, target.skippable)
    extra_values = validate_extra(target.extra_questions, extra or {})
    refuse_served_outside(target.period, profile.get("served_on"))
    paper_number = profile.get("paper_number", "")
    if paper_number and paper_number_taken(target.period, target.unit, paper_number):
        raise ValidationError({"paper_number": paper_number_taken_message(paper_number)})
    now = timezone.now()
    device = _device_of(target, meta)
    answers_key = _digest(sorted(values.items()), sorted(profile.items()), length=12)
    flag, quarantined, reason = _judge(target, meta, device, answers_key, now)
    response = Response(
        period=target.period,
        unit=target.unit,
        service=target.service,
        link=target.link,
        kiosk=target.kiosk,
        channel=target.channel,
        submitted_at=now,
        client_id=meta.client_id,
        device_hash=device,
        answers_key=answers_key,
        flag=flag,
        quarantined=quarantined,
        quarantine_reason=reason,
        entered_by=meta.entered_by,
        extra=extra_values,
        **profile,
    )
    answer_rows = [
        Answer(period_id=target.period.pk, unit_id=target.unit.pk, unsur=code, value=value)
        for code, value in values.items()
    ]
    accepting = _period_accepts(target.period, meta.answered_at)
    if not paper_number:
        return _store_or_resend(target, meta, response, answer_rows, accepting)
    try:  # a savepoint: the same number entered at the same moment elsewhere loses cleanly
        with transaction.atomic():
            return _store_or_resend(target, meta, response, answer_rows, accepting)
    except IntegrityError:
        if paper_number_taken(target.period, target.unit, paper_number):
            raise ValidationError(
                {"paper_number": paper_number_taken_message(paper_number)}
            ) from None
        raise


def _store_or_resend(
    target: SurveyTarget,
    meta: SubmissionMeta,
    response: Response,
    answer_rows: list[Answer],
    accepting: RawSQL,
) -> Response:
    if meta.client_id is None:
        _store(response, answer_rows, accepting)
        return response
    return _insert_once(target, response, answer_rows, accepting)


# --- paper forms: the service date and the questionnaire number ------------------------------


def refuse_served_outside(period: SurveyPeriod, served_on: date | None) -> None:
    """A paper form's service date lies in its period: a form from another period (or a typo
    in the year) would count in the wrong IKM."""
    if served_on is not None and not period.starts_on <= served_on <= period.ends_on:
        raise ValidationError({"served_on": served_outside_message(period, served_on)})


def served_outside_message(period: SurveyPeriod, served_on: date) -> str:
    return _(
        "Tanggal layanan %(date)s di luar periode %(period)s (%(start)s s.d. %(end)s): formulir "
        "ini milik periode lain atau tanggalnya salah ketik."
    ) % {
        "date": f"{served_on:%d-%m-%Y}",
        "period": period.name,
        "start": f"{period.starts_on:%d-%m-%Y}",
        "end": f"{period.ends_on:%d-%m-%Y}",
    }


def paper_number_clean(raw: str) -> str:
    """The questionnaire number as compared: spaces dropped, upper case, and a plain number
    without its leading zeros (a spreadsheet turns "007" into 7; both are form 7)."""
    text = "".join(str(raw).split()).upper()
    return str(int(text)) if text.isdigit() else text


def paper_number_taken(period: SurveyPeriod, unit: Unit, number: str) -> bool:
    return Response.objects.filter(period=period, unit=unit, paper_number=number).exists()


def paper_numbers_taken(period: SurveyPeriod, unit: Unit) -> set[str]:
    """Every questionnaire number already stored for this unit and period (an import checks
    its rows against them with one query)."""
    return set(
        Response.objects.filter(period=period, unit=unit)
        .exclude(paper_number="")
        .values_list("paper_number", flat=True)
    )


def paper_number_taken_message(number: str) -> str:
    return _(
        "Nomor kuesioner %(number)s sudah dientri untuk unit ini pada periode ini: formulir yang "
        "sama tidak dihitung dua kali. Periksa nomor pada kertasnya."
    ) % {"number": number}


def _store(response: Response, answer_rows: list[Answer], accepting: RawSQL) -> None:
    """One INSERT that also checks the period still accepts answers (another worker may have
    closed it); on SQLite a "database is locked" is tried again rather than lost."""
    stored = retry_on_lock(
        lambda: insert_with_children(response, answer_rows, link="response", only_if=accepting)
    )
    if not stored:
        raise PeriodClosed(_("Periode survei ini sudah ditutup."))


def _insert_once(
    target: SurveyTarget, response: Response, answer_rows: list[Answer], accepting: RawSQL
) -> Response:
    """Store a response that carries a client id, or give back the one stored before with that
    id on the same link or kiosk: a resend (kiosk queue, app retry, a citizen pressing twice)
    is never counted twice. The unique constraint decides, so the usual path costs no query of
    its own (decision 0004). Inside a transaction (an import, a test) a savepoint keeps the
    refused INSERT from spoiling the rest of it; in autocommit the statement stands alone."""
    guard = transaction.atomic() if connection.in_atomic_block else nullcontext()
    try:
        with guard:
            _store(response, answer_rows, accepting)
    except IntegrityError:
        stored = resend_of(target, response.client_id)
        if stored is None:
            raise
        stored.resent = True  # type: ignore[attr-defined]  # the API answers it 409 duplicate
        return stored
    return response


def was_resent(response: Response) -> bool:
    """Whether response_submit gave back an answer stored before instead of storing one."""
    return bool(getattr(response, "resent", False))


def resend_of(target: SurveyTarget, client_id: Any) -> Response | None:
    """The response stored before with this client id through the same link or kiosk, or
    entered by staff for the same unit (a paper import run twice)."""
    if target.link is not None:
        return Response.objects.filter(link=target.link, client_id=client_id).first()
    if target.kiosk is not None:
        return Response.objects.filter(kiosk=target.kiosk, client_id=client_id).first()
    return Response.objects.filter(
        unit=target.unit, link=None, kiosk=None, client_id=client_id
    ).first()


def _period_accepts(period: SurveyPeriod, answered_at: datetime | None) -> RawSQL:
    """The rule of _answered_before_closing, read from the database by the INSERT itself: the
    period may have been closed in another worker since `period` was read (or cached)."""
    closed_since: list[dict[str, Any]] = []
    if answered_at is not None:
        closed_since = [{"status": SurveyPeriod.Status.CLOSED, "closed_at__gt": answered_at}]
    return row_exists(
        SurveyPeriod, pk=period.pk, any_of=[{"status": SurveyPeriod.Status.OPEN}, *closed_since]
    )


def _device_of(target: SurveyTarget, meta: SubmissionMeta) -> str:
    """Who sent it, for the duplicate flag: the address and browser of a citizen's phone; for
    a kiosk the tablet itself plus the address it sends from (its answers had none before)."""
    if target.kiosk is not None:
        return _digest("kiosk", target.kiosk.pk, meta.ip, length=16)
    return _digest(meta.ip, meta.user_agent, length=16) if meta.ip else ""


def _answered_before_closing(period: SurveyPeriod, answered_at: datetime | None) -> bool:
    """A closed period still keeps an answer given before it was closed (a kiosk's offline
    queue): the citizen saw the thank-you screen, so it is never lost."""
    return (
        period.status == SurveyPeriod.Status.CLOSED
        and period.closed_at is not None
        and answered_at is not None
        and answered_at < period.closed_at
    )


def _judge(
    target: SurveyTarget, meta: SubmissionMeta, device: str, answers_key: str, now: Any
) -> tuple[str | RawSQL, bool | RawSQL, str | RawSQL]:
    """The response's review flag, quarantine and reason. Whether it repeats a recent one
    (same device, same answers), and whether the period was closed meanwhile, is decided by
    the INSERT itself: no query of its own."""
    if meta.honeypot:
        return "honeypot", True, _("Kolom jebakan terisi (kemungkinan bot).")
    flag = _review_flag(target, meta, device, answers_key, now)
    if meta.answered_at is None:  # only a queued answer (the kiosk's) is kept after closing
        return flag, False, ""
    # Queued while open, sent after closing: kept, quarantined. Asked of the period's row at
    # the INSERT, as the period may have closed (or reopened) since `target` was resolved.
    still_open = row_exists(
        SurveyPeriod, pk=target.period.pk, any_of=[{"status": SurveyPeriod.Status.OPEN}]
    )
    late_reason = _("Dijawab saat periode dibuka, terkirim setelah ditutup (antrean kios).")
    return (
        case_when(still_open, flag, "late"),
        case_when(still_open, False, True, BooleanField()),
        case_when(still_open, "", late_reason),
    )


def _review_flag(
    target: SurveyTarget, meta: SubmissionMeta, device: str, answers_key: str, now: Any
) -> str | RawSQL:
    otherwise = "pow" if meta.pow_suspect else "rate" if meta.over_rate_limit else ""
    if not device:
        return otherwise
    return case_exists(
        Response,
        equal={"unit": target.unit.pk, "device_hash": device, "answers_key": answers_key},
        since=(
            "submitted_at",
            now - (KIOSK_DUPLICATE_WINDOW if target.kiosk else DUPLICATE_WINDOW),
        ),
        then="duplicate",
        otherwise=otherwise,
    )


def response_quarantine(*, response: Response, actor: User | None, reason: str) -> Response:
    responses_quarantine(responses=[response], actor=actor, reason=reason)
    return response


def response_release(*, response: Response, actor: User | None, reason: str = "") -> Response:
    responses_release(responses=[response], actor=actor, reason=reason)
    return response


def responses_quarantine(
    *, responses: list[Response], actor: User | None, reason: str
) -> list[Response]:
    """Take responses out of the official IKM, with one reason for all. Only the Pemda admin:
    a unit (its head or operator) never quarantines its own responses."""
    reason = _moderation_reason(reason, _("Alasan karantina"))
    if not reason:
        raise ValidationError(_("Alasan karantina wajib diisi."))
    return _moderate(responses, actor, quarantine=True, reason=reason)


def responses_release(
    *, responses: list[Response], actor: User | None, reason: str = ""
) -> list[Response]:
    """Count quarantined responses again; the reason, if given, goes to the event log."""
    return _moderate(
        responses, actor, quarantine=False, reason=_moderation_reason(reason, _("Alasan"))
    )


def _moderation_reason(reason: str, label: str) -> str:
    return refuse_nul(reason or "", label).strip()[:255]


def _moderate(
    responses: list[Response], actor: User | None, *, quarantine: bool, reason: str
) -> list[Response]:
    if not responses:
        raise ValidationError(_("Pilih minimal satu respons."))
    for unit in {r.unit_id: r.unit for r in responses}.values():
        require(actor, Action.MODERATE_RESPONSES, unit)
    verb = "survey_response.quarantined" if quarantine else "survey_response.released"
    with transaction.atomic():
        for response in responses:
            response.quarantined = quarantine
            fields = ["quarantined"]
            if quarantine:
                response.quarantine_reason = reason
                fields.append("quarantine_reason")
            response.save(update_fields=fields)
            record_event(
                actor=actor,
                verb=verb,
                obj=response,
                pemda=response.unit.pemda,
                data={"reason": reason or response.quarantine_reason},
            )
        # The admin has decided: the unit's requests for a review of these are answered.
        ReviewRequest.objects.filter(response__in=responses, closed_at=None).update(
            closed_at=timezone.now()
        )
    return responses


def review_request(*, responses: list[Response], actor: User, reason: str) -> list[ReviewRequest]:
    """A unit head asks the Pemda admin to review responses of the unit, with a reason; the
    requests are listed on the admin's flagged-responses page."""
    reason = _moderation_reason(reason, _("Alasan tinjauan"))
    if not reason:
        raise ValidationError(_("Alasan permintaan tinjauan wajib diisi."))
    if not responses:
        raise ValidationError(_("Pilih minimal satu respons."))
    for unit in {r.unit_id: r.unit for r in responses}.values():
        require(actor, Action.REQUEST_REVIEW, unit)
    with transaction.atomic():
        requests = ReviewRequest.objects.bulk_create(
            ReviewRequest(response=r, requested_by=actor, reason=reason) for r in responses
        )
        for response in responses:
            record_event(
                actor=actor,
                verb="survey_response.review_requested",
                obj=response,
                pemda=response.unit.pemda,
                data={"reason": reason},
            )
    return requests


def today_in(tz_name: str) -> date:
    """The calendar day in the Pemda's own time zone: periods open and close by it."""
    return timezone.localtime(timezone.now(), ZoneInfo(tz_name)).date()


def kiosk_register(*, unit: Unit, name: str, actor: User | None) -> KioskDevice:
    """A new tablet. Its plain token is on the returned instance (`kiosk.token`) only: show it
    once; the database keeps its hash."""
    require(actor, Action.MANAGE_SERVICES, unit)
    if not refuse_nul(name, _("Nama perangkat")).strip():
        raise ValidationError(_("Nama perangkat wajib diisi."))
    with transaction.atomic():
        kiosk = KioskDevice.objects.create(unit=unit, name=name.strip()[:100])
        record_event(actor=actor, verb="kiosk.registered", obj=kiosk, pemda=unit.pemda)
    return kiosk


def kiosk_rotate(*, kiosk: KioskDevice, actor: User | None) -> KioskDevice:
    """A new address for an active tablet (the old one is lost or was seen by someone): the
    old token stops at once; the new one is on the returned instance only."""
    require(actor, Action.MANAGE_SERVICES, kiosk.unit)
    if not kiosk.is_active:
        raise ValidationError(_("Perangkat kios ini sudah dicabut."))
    with transaction.atomic():
        kiosk.issue_token()
        kiosk.save(update_fields=["token_hash", "token_prefix", "updated_at"])
        record_event(actor=actor, verb="kiosk.rotated", obj=kiosk, pemda=kiosk.unit.pemda)
    return kiosk


def kiosk_revoke(*, kiosk: KioskDevice, actor: User | None) -> KioskDevice:
    require(actor, Action.MANAGE_SERVICES, kiosk.unit)
    with transaction.atomic():
        kiosk.is_active = False
        kiosk.save(update_fields=["is_active", "updated_at"])
        record_event(actor=actor, verb="kiosk.revoked", obj=kiosk, pemda=kiosk.unit.pemda)
    return kiosk


def rtl_save(
    *,
    period: SurveyPeriod,
    unit: Unit,
    actor: User | None,
    item: RtlItem | None = None,
    **fields: Any,
) -> RtlItem:
    """Create or update a follow-up item of a unit (unit head/operator or the Pemda admin)."""
    require(actor, Action.MANAGE_SERVICES, unit)
    with transaction.atomic():
        target = item or RtlItem(period=period, unit=unit)
        before = target.status if item else None
        for name, value in fields.items():
            setattr(target, name, value)
        target.full_clean()
        target.save()
        record_event(
            actor=actor,
            verb="rtl.saved",
            obj=target,
            pemda=unit.pemda,
            data={"period": period.pk, "status_from": before, "status": target.status},
        )
    return target


def rtl_carry_over(*, period: SurveyPeriod, unit: Unit, actor: User | None) -> int:
    """Copy the unit's unfinished items of its previous period into this one (once each)."""
    require(actor, Action.MANAGE_SERVICES, unit)
    unfinished = (
        RtlItem.objects.filter(
            unit=unit,
            period__pemda_id=period.pemda_id,
            period__ends_on__lt=period.starts_on,
        )
        .exclude(status=RtlItem.Status.DONE)
        .exclude(carried_to__period=period)
    )
    with transaction.atomic():
        copies = [
            RtlItem(
                period=period,
                unit=unit,
                unsur=i.unsur,
                program=i.program,
                schedule=i.schedule,
                responsible=i.responsible,
                status=i.status,
                evidence=i.evidence,
                carried_from=i,
            )
            for i in unfinished
        ]
        RtlItem.objects.bulk_create(copies)
        if copies:
            record_event(
                actor=actor,
                verb="rtl.carried_over",
                obj=unit,
                pemda=unit.pemda,
                data={"period": period.pk, "items": len(copies)},
            )
    return len(copies)


def fkp_record(*, period: SurveyPeriod, unit: Unit, actor: User | None, **fields: Any) -> FkpRecord:
    require(actor, Action.MANAGE_SERVICES, unit)
    with transaction.atomic():
        record = FkpRecord(period=period, unit=unit, **fields)
        record.full_clean()
        record.save()
        record_event(
            actor=actor,
            verb="fkp.recorded",
            obj=record,
            pemda=unit.pemda,
            data={"period": period.pk, "held_on": str(record.held_on)},
        )
    return record


def skippable_set(*, member: PeriodUnit, codes: list[str], actor: User | None) -> PeriodUnit:
    require(actor, Action.EDIT_UNIT, member.unit)
    unknown = set(codes) - set(UNSUR_CODES)
    if unknown:
        raise ValidationError(_("Unsur tidak dikenal: %(codes)s") % {"codes": ", ".join(unknown)})
    with transaction.atomic():
        before = list(member.skippable)
        member.skippable = [code for code in UNSUR_CODES if code in codes]
        member.save(update_fields=["skippable"])
        record_event(
            actor=actor,
            verb="survey_skippable.set",
            obj=member.unit,
            pemda=member.period.pemda,
            data={"period": member.period_id, "from": before, "to": member.skippable},
        )
    return member


def extra_question_add(
    *,
    member: PeriodUnit,
    actor: User | None,
    kind: str,
    text: str,
    choices: list[str] | None = None,
    required: bool = False,
) -> ExtraQuestion:
    """Add a unit's own question to a period (asked after the nine unsur, never in the IKM)."""
    require(actor, Action.MANAGE_SERVICES, member.unit)
    text, options = text.strip(), [c.strip() for c in choices or [] if c.strip()]
    if kind not in ExtraKind.ALL:
        raise ValidationError({"kind": _("Jenis pertanyaan tidak dikenal.")})
    if not text:
        raise ValidationError({"text": _("Teks pertanyaan wajib diisi.")})
    if kind == ExtraKind.CHOICE and not 2 <= len(options) <= EXTRA_CHOICES_MAX:
        raise ValidationError(
            {"choices": _("Isi 2 sampai %(n)s pilihan, satu per baris.") % {"n": EXTRA_CHOICES_MAX}}
        )
    existing = extra_questions_of(member.extra_questions)
    question = ExtraQuestion(
        id=f"q{len(existing) + 1}",  # ids are never reused: retired questions stay in the list
        kind=kind,
        text=text[:300],
        choices=tuple(o[:100] for o in options) if kind == ExtraKind.CHOICE else (),
        required=required,
    )
    _save_extra(member, actor, [*existing, question], "survey_extra_question.added", question)
    return question


def extra_question_retire(*, member: PeriodUnit, actor: User | None, question_id: str) -> None:
    """Stop asking a question; the answers already given stay in the results."""
    require(actor, Action.MANAGE_SERVICES, member.unit)
    existing = extra_questions_of(member.extra_questions)
    match = [q for q in existing if q.id == question_id and not q.retired]
    if not match:
        raise ValidationError(_("Pertanyaan tidak ditemukan."))
    updated = [replace(q, retired=True) if q.id == question_id else q for q in existing]
    _save_extra(member, actor, updated, "survey_extra_question.retired", match[0])


def _save_extra(
    member: PeriodUnit,
    actor: User | None,
    questions: list[ExtraQuestion],
    verb: str,
    question: ExtraQuestion,
) -> None:
    with transaction.atomic():
        member.extra_questions = [q.to_json() for q in questions]
        member.save(update_fields=["extra_questions"])
        record_event(
            actor=actor,
            verb=verb,
            obj=member.unit,
            pemda=member.period.pemda,
            data={"period": member.period_id, "question": question.to_json()},
        )


def service_populations_set(
    *, period: SurveyPeriod, populations: list[tuple[Service, int | None]], actor: User | None
) -> None:
    """Several services' populations at once: all are saved or none."""
    with transaction.atomic():
        for service, population in populations:
            service_population_set(
                period=period, service=service, population=population, actor=actor
            )


def service_population_set(
    *, period: SurveyPeriod, service: Service, population: int | None, actor: User | None
) -> PeriodService | None:
    """Set (or clear, with None) the users served by one service in the period."""
    require(actor, Action.EDIT_UNIT, service.unit)
    if not period.members.filter(unit_id=service.unit_id).exists():
        raise ValidationError(_("Unit layanan ini bukan peserta periode ini."))
    if population is not None and population < 0:
        raise ValidationError(_("Populasi tidak boleh negatif."))
    with transaction.atomic():
        current = PeriodService.objects.filter(period=period, service=service).first()
        before = current.population if current else None
        if population is None:
            PeriodService.objects.filter(period=period, service=service).delete()
            current = None
        else:
            current, _created = PeriodService.objects.update_or_create(
                period=period, service=service, defaults={"population": population}
            )
        record_event(
            actor=actor,
            verb="survey_population.set",
            obj=service,
            pemda=period.pemda,
            data={"period": period.pk, "service": service.pk, "from": before, "to": population},
        )
    return current
