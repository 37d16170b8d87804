"""Regions (Kemendagri codes), Pemda, units, services, memberships and the holiday calendar."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mutu.core.access import AccessManager, ScopePath
from mutu.core.jobs import no_worker_yet
from mutu.core.models import TimeStampedModel
from mutu.core.roles import PEMDA_SCOPED, UNIT_SCOPED, Role


class TimeZoneName(models.TextChoices):
    WIB = "Asia/Jakarta", "WIB (Asia/Jakarta)"
    WIB_PONTIANAK = "Asia/Pontianak", "WIB (Asia/Pontianak)"
    WITA = "Asia/Makassar", "WITA (Asia/Makassar)"
    WIT = "Asia/Jayapura", "WIT (Asia/Jayapura)"


TZ_ABBREVIATION = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


class Region(models.Model):
    """A province, kabupaten, kota or kecamatan, keyed by its Kemendagri code ("64.09")."""

    class Level(models.TextChoices):
        PROVINSI = "provinsi", _("Provinsi")
        KABUPATEN = "kabupaten", _("Kabupaten")
        KOTA = "kota", _("Kota")
        KECAMATAN = "kecamatan", _("Kecamatan")

    code = models.CharField(_("kode Kemendagri"), max_length=13, unique=True)
    name = models.CharField(_("nama"), max_length=120, db_index=True)
    level = models.CharField(_("tingkat"), max_length=10, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("induk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    timezone = models.CharField(_("zona waktu"), max_length=32, choices=TimeZoneName.choices)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    area_km2 = models.DecimalField(max_digits=10, decimal_places=3, null=True, blank=True)
    population = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def province_code(self) -> str:
        return self.code[:2]


class Pemda(TimeStampedModel):
    """A provincial, kabupaten or kota government: the tenant of the platform."""

    region = models.OneToOneField(
        Region, verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="pemda"
    )
    name = models.CharField(_("nama"), max_length=150)
    timezone = models.CharField(
        _("zona waktu"), max_length=32, choices=TimeZoneName.choices, editable=False
    )
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    address = models.TextField(_("alamat"), blank=True)
    website = models.URLField(_("situs web"), blank=True)
    is_demo = models.BooleanField(_("data demo"), default=False)
    history = HistoricalRecords()

    scope_path = ScopePath(pemda="")
    objects = AccessManager["Pemda"]()

    class Meta:
        verbose_name = _("Pemda")
        verbose_name_plural = _("Pemda")
        ordering = ["region__code"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        # The time zone always follows the region (its province); never typed by hand.
        self.timezone = self.region.timezone
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def tz_abbreviation(self) -> str:
        return TZ_ABBREVIATION.get(self.timezone, self.timezone)

    @property
    def is_province(self) -> bool:
        return self.region.level == Region.Level.PROVINSI


class Unit(TimeStampedModel):
    """A unit penyelenggara pelayanan: an OPD or a sub-unit of one (Dinas → UPT/Puskesmas)."""

    class Kind(models.TextChoices):
        SEKRETARIAT = "sekretariat", _("Sekretariat")
        DINAS = "dinas", _("Dinas")
        BADAN = "badan", _("Badan")
        KANTOR = "kantor", _("Kantor / Satuan")
        INSPEKTORAT = "inspektorat", _("Inspektorat")
        KECAMATAN = "kecamatan", _("Kecamatan")
        KELURAHAN = "kelurahan", _("Kelurahan")
        RSUD = "rsud", _("Rumah Sakit Umum Daerah")
        PUSKESMAS = "puskesmas", _("Puskesmas")
        UPT = "upt", _("UPT / UPTD")
        MPP = "mpp", _("Mal Pelayanan Publik")
        SAMSAT = "samsat", _("SAMSAT")
        SEKOLAH = "sekolah", _("Sekolah")
        LAINNYA = "lainnya", _("Lainnya")

    pemda = models.ForeignKey(
        Pemda, verbose_name=_("Pemda"), on_delete=models.PROTECT, related_name="units"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("unit induk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path ("12/57/") so that a subtree is one indexed prefix query.
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    name = models.CharField(_("nama unit"), max_length=200)
    short_name = models.CharField(_("singkatan"), max_length=40, blank=True)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    address = models.TextField(_("alamat"), blank=True)
    latitude = models.DecimalField(
        _("lintang"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(-90, _("Lintang harus antara -90 dan 90.")),
            MaxValueValidator(90, _("Lintang harus antara -90 dan 90.")),
        ],
    )
    longitude = models.DecimalField(
        _("bujur"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(-180, _("Bujur harus antara -180 dan 180.")),
            MaxValueValidator(180, _("Bujur harus antara -180 dan 180.")),
        ],
    )
    head_name = models.CharField(_("nama kepala"), max_length=150, blank=True)
    head_title = models.CharField(_("jabatan kepala"), max_length=150, blank=True)
    # The official who signs the Laporan SKM: often not a user of mutu, so kept on the unit.
    head_nip = models.CharField(
        _("NIP kepala"),
        max_length=21,
        blank=True,
        default="",
        # Also a database default: code that inserts units with the model of an older
        # migration state (migration tests, a rolling deploy) does not know this column.
        db_default="",
        validators=[
            RegexValidator(
                r"^\d{8} ?\d{6} ?\d ?\d{3}$",
                _("NIP terdiri dari 18 angka (boleh dengan spasi: 19800101 200501 1 001)."),
            )
        ],
    )
    phone = models.CharField(_("telepon"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    history = HistoricalRecords(excluded_fields=["path"])

    scope_path = ScopePath(pemda="pemda", unit="")
    objects = AccessManager["Unit"]()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("unit")
        ordering = ["pemda", "path"]
        constraints = [
            models.UniqueConstraint(fields=["pemda", "name"], name="unit_name_unique_in_pemda"),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True)
                | models.Q(latitude__gte=-90, latitude__lte=90),
                name="unit_latitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True)
                | models.Q(longitude__gte=-180, longitude__lte=180),
                name="unit_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        parent = self.parent
        if parent is None:
            return
        if parent.pemda_id != self.pemda_id:
            raise ValidationError({"parent": _("Unit induk harus berada di Pemda yang sama.")})
        if self.pk and parent.path.startswith(self.path):
            raise ValidationError({"parent": _("Unit induk tidak boleh unit ini atau bawahannya.")})

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1


class Service(TimeStampedModel):
    """A jenis layanan delivered by a unit."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="services"
    )
    name = models.CharField(_("nama layanan"), max_length=200)
    description = models.TextField(_("uraian"), blank=True)
    is_online = models.BooleanField(_("tersedia daring"), default=False)
    is_active = models.BooleanField(_("aktif"), default=True)
    history = HistoricalRecords()

    scope_path = ScopePath(pemda="unit__pemda", unit="unit")
    objects = AccessManager["Service"]()

    class Meta:
        verbose_name = _("layanan")
        verbose_name_plural = _("layanan")
        ordering = ["unit", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="service_name_unique_in_unit"),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(TimeStampedModel):
    """A role a user holds, scoped to a Pemda or a unit (or nothing, for national viewers)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pengguna"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("peran"), max_length=30, choices=Role.choices)
    pemda = models.ForeignKey(
        Pemda,
        verbose_name=_("Pemda"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("keanggotaan")
        verbose_name_plural = _("keanggotaan")
        constraints = [
            # Partial constraints instead of NULLS NOT DISTINCT: SQLite has no such clause.
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(pemda__isnull=True, unit__isnull=True),
                name="membership_unique_national",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "pemda"],
                condition=models.Q(pemda__isnull=False, unit__isnull=True),
                name="membership_unique_pemda",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "unit"],
                condition=models.Q(unit__isnull=False),
                name="membership_unique_unit",
            ),
        ]

    def __str__(self) -> str:
        scope = self.unit or self.pemda or _("nasional")
        return f"{self.user} · {self.get_role_display()} · {scope}"

    def save(self, *args: object, **kwargs: object) -> None:
        # A unit role also records the unit's Pemda, so "who works in this Pemda" is one filter.
        if self.unit is not None:
            self.pemda_id = self.unit.pemda_id
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def clean(self) -> None:
        if self.role in PEMDA_SCOPED and (self.pemda_id is None or self.unit_id is not None):
            raise ValidationError(_("Peran ini harus terkait dengan satu Pemda."))
        if self.role in UNIT_SCOPED and self.unit_id is None:
            raise ValidationError(_("Peran ini harus terkait dengan satu unit."))
        if self.role == Role.NATIONAL_VIEWER and (self.pemda_id or self.unit_id):
            raise ValidationError(_("Pemantau nasional tidak terkait Pemda atau unit."))
        if self.role == Role.PROVINCIAL_ADMIN and self.pemda and not self.pemda.is_province:
            raise ValidationError(_("Admin provinsi harus terkait dengan Pemda provinsi."))


class Holiday(TimeStampedModel):
    """A day off: national holidays and cuti bersama (pemda empty) or a Pemda's own holiday."""

    class Kind(models.TextChoices):
        LIBUR_NASIONAL = "libur_nasional", _("Libur nasional")
        CUTI_BERSAMA = "cuti_bersama", _("Cuti bersama")
        LIBUR_DAERAH = "libur_daerah", _("Libur daerah")

    date = models.DateField(_("tanggal"), db_index=True)
    name = models.CharField(_("nama"), max_length=150)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    pemda = models.ForeignKey(
        Pemda,
        verbose_name=_("Pemda"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="holidays",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hari libur")
        verbose_name_plural = _("hari libur")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["date"],
                condition=models.Q(pemda__isnull=True),
                name="holiday_unique_national_day",
            ),
            models.UniqueConstraint(
                fields=["date", "pemda"],
                condition=models.Q(pemda__isnull=False),
                name="holiday_unique_pemda_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class Invitation(TimeStampedModel):
    """A role offered to an account that already exists outside this Pemda: it becomes a
    Membership only when that person accepts it after signing in (issue 11, item 14)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu persetujuan")
        ACCEPTED = "accepted", _("Diterima")
        DECLINED = "declined", _("Ditolak")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pengguna"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    pemda = models.ForeignKey(
        Pemda, verbose_name=_("Pemda"), on_delete=models.CASCADE, related_name="invitations"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    role = models.CharField(_("peran"), max_length=30, choices=Role.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diundang oleh"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    responded_at = models.DateTimeField(_("dijawab pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("undangan")
        verbose_name_plural = _("undangan")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        # Shown in the Pemda's event log: the address the admin typed, never the person's name.
        return f"{self.user.email} · {self.get_role_display()} · {self.unit or self.pemda}"


class ImportJob(TimeStampedModel):
    """An upload being imported in the background (`manage.py db_worker`): its progress, what
    it wrote and every rejected row. Each batch of rows and the `written` count that records it
    commit together, so the page never claims more than is stored."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Dalam antrean")
        RUNNING = "running", _("Sedang diimpor")
        DONE = "done", _("Selesai")
        REJECTED = "rejected", _("Ditolak, tidak ada yang disimpan")
        FAILED = "failed", _("Gagal")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=20)  # see mutu.organisations.import_jobs.IMPORTERS
    pemda = models.ForeignKey(Pemda, on_delete=models.CASCADE, related_name="import_jobs")
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="import_jobs"
    )
    params = models.JSONField(default=dict, blank=True)  # e.g. {"period": 12}
    keep_valid = models.BooleanField(default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    upload_name = models.CharField(max_length=200, blank=True)  # staged file, removed when done
    upload_digest = models.CharField(max_length=64, db_index=True)  # SHA-256 of the file
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    written = models.PositiveIntegerField(default=0)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    errors = models.JSONField(default=list, blank=True)  # [[line, message], …]
    error = models.TextField(blank=True)  # why the job stopped, when it failed

    class Meta:
        verbose_name = _("impor")
        verbose_name_plural = _("impor")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status not in self.ACTIVE

    @property
    def waiting_for_worker(self) -> bool:
        """Still queued a minute after the upload: no task worker is running."""
        return no_worker_yet(queued=self.status == self.Status.QUEUED, created_at=self.created_at)
