"""Storing a citizen's response: one INSERT, judged for duplicates, bursts and bots (with the
public intake toolkit of mutu.core.intake; what is survey-specific stays here: what an answer
is, the period check and the survey's duplicate key)."""

from contextlib import nullcontext
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from mutu.core.db import retry_on_lock
from mutu.core.intake.admission import IntakeLimits
from mutu.core.intake.duplicates import flag_if_repeated
from mutu.core.intake.meta import ReviewFlag, SubmissionMeta, keyed_digest
from mutu.core.sql import case_when, insert_with_children, row_exists
from mutu.indices.ikm import ANSWER_MAX, ANSWER_MIN, UNSUR_CODES
from mutu.organisations.models import Service, Unit
from mutu.surveys.instrument import EXTRA_TEXT_MAX, ExtraKind, ExtraQuestion, still_asked
from mutu.surveys.models import Answer, KioskDevice, Response, SurveyLink, SurveyPeriod
from mutu.surveys.services.paper import (
    paper_number_taken,
    paper_number_taken_message,
    refuse_served_outside,
)

DUPLICATE_WINDOW = timedelta(minutes=30)

# The public form and the API (settings.RATELIMITS keys): accepted answers per address, and
# refused requests per address.
PUBLIC_LIMITS = IntakeLimits(accepted="survey", junk="survey_junk")


class PeriodClosed(ValidationError):
    """The period takes no more answers: the API and the kiosk answer 409, as when no open
    period was found before storing."""


# A kiosk tablet serves one citizen after another, and many give the same answers (all 4 is
# common): the same answers and profile again within two minutes is a double tap or a script,
# as a person needs at least half a minute to answer; a longer window would flag real people.
KIOSK_DUPLICATE_WINDOW = timedelta(minutes=2)


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
    answers_key = keyed_digest(sorted(values.items()), sorted(profile.items()), length=12)
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
        return keyed_digest("kiosk", target.kiosk.pk, meta.ip, length=16)
    return meta.device_hash()


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
    if meta.is_bot:
        return ReviewFlag.HONEYPOT.value, True, _("Kolom jebakan terisi (kemungkinan bot).")
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
    if not device:
        return meta.suspicion()
    window = KIOSK_DUPLICATE_WINDOW if target.kiosk else DUPLICATE_WINDOW
    return flag_if_repeated(
        Response,
        same={"unit": target.unit.pk, "device_hash": device, "answers_key": answers_key},
        since=("submitted_at", now - window),
        otherwise=meta.suspicion(),
    )
