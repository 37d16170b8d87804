"""SKM: survey periods, public links, responses and their answers (docs/methodology.md §2)."""

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mutu.core.access import AccessManager, ScopePath
from mutu.core.models import TimeStampedModel
from mutu.indices.ikm import UNSUR_CODES, WEIGHTINGS
from mutu.organisations.models import Pemda, Service, Unit


class Unsur(models.TextChoices):
    PERSYARATAN = "persyaratan", _("Persyaratan")
    PROSEDUR = "prosedur", _("Sistem, mekanisme, dan prosedur")
    WAKTU = "waktu", _("Waktu penyelesaian")
    BIAYA = "biaya", _("Biaya/tarif")
    PRODUK = "produk", _("Produk spesifikasi jenis pelayanan")
    KOMPETENSI = "kompetensi", _("Kompetensi pelaksana")
    PERILAKU = "perilaku", _("Perilaku pelaksana")
    SARANA = "sarana", _("Sarana dan prasarana")
    PENGADUAN = "pengaduan", _("Penanganan pengaduan, saran dan masukan")


assert tuple(Unsur.values) == UNSUR_CODES  # one list of codes, owned by mutu.indices

# The weightings of mutu.indices in words: officers read "1/9 per unsur", not "exact".
WEIGHTING_LABELS = {
    "exact": _("1/9 per unsur (resmi)"),
    "0.111": _("0,111 per unsur (laporan lama)"),
    "0.11": _("0,11 per unsur (laporan lama)"),
}
assert set(WEIGHTING_LABELS) == set(WEIGHTINGS)


class SurveyPeriod(TimeStampedModel):
    """A survey round of a Pemda (e.g. "Semester I 2026") for some or all of its units."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        OPEN = "open", _("Dibuka")
        CLOSED = "closed", _("Ditutup")

    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="survey_periods")
    name = models.CharField(_("nama periode"), max_length=100)
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("selesai"))
    weighting = models.CharField(
        _("pembobotan"),
        max_length=8,
        choices=[(w, WEIGHTING_LABELS[w]) for w in WEIGHTINGS],
        default="exact",
        help_text=_("Bobot resmi 1/9 per unsur. 0,111 dan 0,11 hanya untuk meniru laporan lama."),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    # When it was closed (None while not closed): an answer a kiosk queued offline before this
    # moment and sent after it is kept, quarantined for review, instead of being refused.
    closed_at = models.DateTimeField(_("ditutup pada"), null=True, blank=True, editable=False)
    ask_trust = models.BooleanField(
        _("tanyakan kepercayaan"),
        default=True,
        help_text=_("“Saya percaya pada layanan ini” (1–4); tidak masuk IKM."),
    )
    drop_alert_margin = models.DecimalField(
        _("batas penurunan IKM untuk peringatan"), max_digits=5, decimal_places=2, default=2
    )
    units = models.ManyToManyField(Unit, through="PeriodUnit", related_name="survey_periods")
    history = HistoricalRecords(excluded_fields=["units"])

    scope_path = ScopePath(pemda="pemda")
    objects = AccessManager["SurveyPeriod"]()

    class Meta:
        verbose_name = _("periode survei")
        verbose_name_plural = _("periode survei")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="period_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.pemda}"


class PeriodUnit(models.Model):
    """A unit taking part in a period, with the population that sets its sample target."""

    period = models.ForeignKey(SurveyPeriod, on_delete=models.CASCADE, related_name="members")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="period_memberships")
    population = models.PositiveIntegerField(
        _("populasi (pengguna layanan dalam periode)"), null=True, blank=True
    )
    # Unsur a respondent may mark "does not apply" (e.g. biaya where the service is free).
    skippable = models.JSONField(_("unsur yang boleh dilewati"), default=list, blank=True)
    # The unit's own questions for this period (mutu.surveys.instrument.ExtraQuestion as JSON).
    extra_questions = models.JSONField(_("pertanyaan tambahan unit"), default=list, blank=True)

    scope_path = ScopePath(pemda="unit__pemda", unit="unit")
    objects = AccessManager["PeriodUnit"]()

    class Meta:
        verbose_name = _("unit peserta")
        verbose_name_plural = _("unit peserta")
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="period_unit_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.period.name}"


class PeriodService(models.Model):
    """The population (users served in the period) of one service of a participating unit,
    which gives that service its own Krejcie–Morgan target."""

    period = models.ForeignKey(
        SurveyPeriod, on_delete=models.CASCADE, related_name="service_populations"
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    population = models.PositiveIntegerField(_("populasi (pengguna layanan dalam periode)"))

    scope_path = ScopePath(pemda="service__unit__pemda", unit="service__unit")
    objects = AccessManager["PeriodService"]()

    class Meta:
        verbose_name = _("populasi layanan")
        verbose_name_plural = _("populasi layanan")
        constraints = [
            models.UniqueConstraint(fields=["period", "service"], name="period_service_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.service} · {self.period.name}: {self.population}"


def new_token() -> str:
    return secrets.token_urlsafe(12)


class SurveyLink(TimeStampedModel):
    """The address behind a printed QR code: one per unit, service or counter; rotatable."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="survey_links")
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="survey_links"
    )
    label = models.CharField(_("keterangan (mis. loket 2)"), max_length=100, blank=True)
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    is_active = models.BooleanField(_("aktif"), default=True)

    scope_path = ScopePath(pemda="unit__pemda", unit="unit")
    objects = AccessManager["SurveyLink"]()

    class Meta:
        verbose_name = _("tautan survei")
        verbose_name_plural = _("tautan survei")

    def __str__(self) -> str:
        parts = [str(self.unit), str(self.service or ""), self.label]
        return " · ".join(p for p in parts if p)


def token_digest(token: str) -> str:
    """How a kiosk token is stored and looked up. The token is 96 random bits, so a plain
    SHA-256 is enough: there is nothing to guess that a slow hash would protect."""
    return hashlib.sha256(token.encode()).hexdigest()


class KioskDevice(TimeStampedModel):
    """A tablet at a counter. Its token is shown once, when registered or rotated, to those
    who manage the unit; only its SHA-256 is stored (issue 11), and it can be revoked."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="kiosks")
    name = models.CharField(_("nama perangkat"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters, so that staff can tell the addresses apart; not enough to use one.
    token_prefix = models.CharField(max_length=8, editable=False)
    is_active = models.BooleanField(_("aktif"), default=True)

    # The plain token: only on the instance that issued it (issue_token), never stored.
    token = ""

    scope_path = ScopePath(pemda="unit__pemda", unit="unit")
    objects = AccessManager["KioskDevice"]()

    class Meta:
        verbose_name = _("perangkat kios")
        verbose_name_plural = _("perangkat kios")

    def __str__(self) -> str:
        return f"{self.name} · {self.unit}"

    def issue_token(self) -> str:
        """A new token for this tablet: the old one stops working once this is saved."""
        self.token = new_token()
        self.token_hash = token_digest(self.token)
        self.token_prefix = self.token[:4]
        return self.token

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.token_hash:
            self.issue_token()
        super().save(*args, **kwargs)


PAPER_NUMBER_MAX = 20


class Response(models.Model):
    """One citizen's answers. Never deleted: suspicious ones are quarantined with a reason."""

    class Flag(models.TextChoices):
        # Why a response waits for the Pemda admin's review; officers read the words.
        POW = "pow", _("bukti kerja mencurigakan")
        DUPLICATE = "duplicate", _("kemungkinan ganda")
        RATE = "rate", _("terlalu banyak dari satu alamat")
        HONEYPOT = "honeypot", _("jebakan bot terisi")
        LATE = "late", _("terkirim setelah periode ditutup")

    class Channel(models.TextChoices):
        QR = "qr", _("Kode QR")
        WEB = "web", _("Tautan web")
        KIOSK = "kiosk", _("Kios")
        PAPER = "paper", _("Kuesioner kertas")

    class Gender(models.TextChoices):
        L = "L", _("Laki-laki")
        P = "P", _("Perempuan")

    class Education(models.TextChoices):
        SD = "SD", "SD"
        SMP = "SMP", "SMP"
        SMA = "SMA", "SMA/SMK"
        D3 = "D1-D3", "D1–D3"
        S1 = "D4-S1", "D4/S1"
        S2 = "S2", "S2"
        S3 = "S3", "S3"

    class Occupation(models.TextChoices):
        PNS = "PNS", "PNS"
        TNI = "TNI", "TNI"
        POLRI = "POLRI", "POLRI"
        SWASTA = "Swasta", _("Swasta")
        WIRAUSAHA = "Wirausaha", _("Wirausaha")
        LAINNYA = "Lainnya", _("Lainnya")

    class AgeBand(models.TextChoices):
        UNDER_20 = "<20", _("di bawah 20 tahun")
        A20 = "20-29", _("20–29 tahun")
        A30 = "30-39", _("30–39 tahun")
        A40 = "40-49", _("40–49 tahun")
        A50 = "50-59", _("50–59 tahun")
        OVER_60 = "60+", _("60 tahun ke atas")

    period = models.ForeignKey(SurveyPeriod, on_delete=models.PROTECT, related_name="responses")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="survey_responses")
    service = models.ForeignKey(
        Service,
        verbose_name=_("layanan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="survey_responses",
    )
    link = models.ForeignKey(SurveyLink, null=True, blank=True, on_delete=models.SET_NULL)
    kiosk = models.ForeignKey(KioskDevice, null=True, blank=True, on_delete=models.SET_NULL)
    channel = models.CharField(_("saluran"), max_length=6, choices=Channel.choices)
    submitted_at = models.DateTimeField(db_index=True)
    served_on = models.DateField(_("tanggal layanan"), null=True, blank=True)
    # The number the officer writes on each paper form (per unit and period): a form typed in
    # or imported twice is refused by it (see the constraint below). Empty for other channels.
    paper_number = models.CharField(_("nomor kuesioner"), max_length=PAPER_NUMBER_MAX, blank=True)
    gender = models.CharField(_("jenis kelamin"), max_length=1, choices=Gender.choices, blank=True)
    age_band = models.CharField(_("usia"), max_length=6, choices=AgeBand.choices, blank=True)
    education = models.CharField(
        _("pendidikan"), max_length=6, choices=Education.choices, blank=True
    )
    occupation = models.CharField(
        _("pekerjaan"), max_length=10, choices=Occupation.choices, blank=True
    )
    trust = models.PositiveSmallIntegerField(_("kepercayaan (1–4)"), null=True, blank=True)
    suggestion = models.TextField(_("saran dan masukan"), blank=True, max_length=2000)
    # Answers to the unit's own questions, {question id: 1–4 / option number / text}; never IKM.
    extra = models.JSONField(_("jawaban pertanyaan tambahan"), default=dict, blank=True)
    # A browser/kiosk/app id per submission: a resend of the same id is never counted twice.
    # Unique per link (web form, API) and per kiosk, not across the installation: one Pemda's
    # ids say nothing about another's (see the constraints below).
    client_id = models.UUIDField(null=True, blank=True)
    device_hash = models.CharField(max_length=16, blank=True)
    answers_key = models.CharField(max_length=12, blank=True)
    flag = models.CharField(
        _("tanda"), max_length=12, choices=Flag.choices, blank=True, db_index=True
    )
    quarantined = models.BooleanField(default=False)
    quarantine_reason = models.CharField(max_length=255, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    scope_path = ScopePath(pemda="unit__pemda", unit="unit")
    objects = AccessManager["Response"]()

    class Meta:
        verbose_name = _("respons survei")
        verbose_name_plural = _("respons survei")
        indexes = [
            models.Index(fields=["period", "unit"]),
            # The duplicate check looks up one device's same answers: many citizens share a
            # device hash (one office, one carrier NAT), so the answers must be in the key too.
            models.Index(fields=["device_hash", "answers_key"], name="response_duplicate_idx"),
            models.Index(
                fields=["period", "unit"],
                condition=models.Q(quarantined=True),
                name="response_quarantined_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(trust__isnull=True) | models.Q(trust__gte=1, trust__lte=4),
                name="response_trust_range",
            ),
            models.UniqueConstraint(
                fields=["link", "client_id"],
                condition=models.Q(link__isnull=False, client_id__isnull=False),
                name="response_client_id_per_link",
            ),
            models.UniqueConstraint(
                fields=["kiosk", "client_id"],
                condition=models.Q(kiosk__isnull=False, client_id__isnull=False),
                name="response_client_id_per_kiosk",
            ),
            # Typed up by staff (paper): an import run twice stores each form once.
            models.UniqueConstraint(
                fields=["unit", "client_id"],
                condition=models.Q(link__isnull=True, kiosk__isnull=True, client_id__isnull=False),
                name="response_client_id_entered",
            ),
            models.UniqueConstraint(
                fields=["period", "unit", "paper_number"],
                condition=~models.Q(paper_number=""),
                name="response_paper_number_once",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.unit} {self.submitted_at:%Y-%m-%d}"


class ReviewRequest(models.Model):
    """A unit head asks the Pemda admin to look at one of the unit's responses, with a reason:
    the unit never quarantines its own responses. Closed when the admin decides."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="reviews")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("alasan"), max_length=255)
    created_at = models.DateTimeField(_("diminta"), auto_now_add=True)
    closed_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)

    scope_path = ScopePath(pemda="response__unit__pemda", unit="response__unit")
    objects = AccessManager["ReviewRequest"]()

    class Meta:
        verbose_name = _("permintaan tinjauan respons")
        verbose_name_plural = _("permintaan tinjauan respons")
        indexes = [
            models.Index(
                fields=["response"], condition=models.Q(closed_at=None), name="review_open_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.response_id}: {self.reason}"


class Answer(models.Model):
    """One answer (1–4) to one unsur. Period and unit are copied here so that the IKM is one
    GROUP BY over this table alone (no join), which is what keeps results fast at scale."""

    # No index of its own: the unique (response, unsur) index serves lookups by response, and
    # every index here costs nine writes per submission.
    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, db_index=False, related_name="answers"
    )
    period = models.ForeignKey(
        SurveyPeriod, on_delete=models.PROTECT, db_index=False, related_name="+"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, db_index=False, related_name="+")
    unsur = models.CharField(max_length=12, choices=Unsur.choices)
    value = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("jawaban")
        verbose_name_plural = _("jawaban")
        # Holds value too, so that an IKM (SUM and COUNT of value per unsur) is read from the
        # index alone, without touching the table.
        indexes = [
            models.Index(fields=["period", "unit", "unsur", "value"], name="answer_ikm_covering")
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value__gte=1, value__lte=4), name="answer_value_1_to_4"
            ),
            models.UniqueConstraint(fields=["response", "unsur"], name="answer_one_per_unsur"),
        ]

    def __str__(self) -> str:
        return f"{self.unsur}={self.value}"


class RtlItem(TimeStampedModel):
    """Rencana tindak lanjut: one planned improvement for a weak unsur, tracked to the end and
    carried into the next period while unfinished."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Direncanakan")
        IN_PROGRESS = "in_progress", _("Sedang berjalan")
        DONE = "done", _("Selesai")

    period = models.ForeignKey(SurveyPeriod, on_delete=models.CASCADE, related_name="rtl_items")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="rtl_items")
    unsur = models.CharField(_("prioritas unsur"), max_length=12, choices=Unsur.choices)
    program = models.TextField(_("program/kegiatan"), max_length=1000)
    schedule = models.CharField(_("waktu"), max_length=100)
    responsible = models.CharField(_("penanggung jawab"), max_length=150)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    evidence = models.TextField(_("bukti / catatan"), blank=True, max_length=2000)
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_to"
    )
    history = HistoricalRecords()

    scope_path = ScopePath(pemda="unit__pemda", unit="unit")
    objects = AccessManager["RtlItem"]()

    class Meta:
        verbose_name = _("rencana tindak lanjut")
        verbose_name_plural = _("rencana tindak lanjut")
        ordering = ["period", "unit", "id"]

    def __str__(self) -> str:
        return f"{self.get_unsur_display()}: {self.program[:60]}"


class FkpRecord(TimeStampedModel):
    """Forum konsultasi publik held to discuss the survey result with citizens."""

    period = models.ForeignKey(SurveyPeriod, on_delete=models.CASCADE, related_name="fkp_records")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="fkp_records")
    held_on = models.DateField(_("tanggal"))
    participants = models.TextField(_("peserta"), max_length=2000)
    agreed_actions = models.TextField(_("kesepakatan"), max_length=4000)

    scope_path = ScopePath(pemda="unit__pemda", unit="unit")
    objects = AccessManager["FkpRecord"]()

    class Meta:
        verbose_name = _("forum konsultasi publik")
        verbose_name_plural = _("forum konsultasi publik")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"FKP {self.unit} {self.held_on:%Y-%m-%d}"
