from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mutu.core.access import CoreAction, can
from mutu.core.forms import ImportForm
from mutu.core.http import AuthedHttpRequest, form_page, run_with_message, save_through_service
from mutu.core.params import id_param, int_param
from mutu.core.permissions import deny_unless
from mutu.core.roles import Role
from mutu.core.tabular import TabularFileError
from mutu.organisations import import_jobs, imports, selectors, services
from mutu.organisations.actions import OrgAction
from mutu.organisations.forms import (
    HolidayForm,
    MemberInviteForm,
    PemdaForm,
    ServiceForm,
    UnitFilterForm,
    UnitForm,
)
from mutu.organisations.permissions import memberships_visible_to, pemdas_administered_by
from mutu.organisations.unit_page import panels_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def pemda_list(request: AuthedHttpRequest) -> HttpResponse:
    managed_ids = set(pemdas_administered_by(request.user).values_list("pk", flat=True))
    return render(
        request,
        "organisations/pemda_list.html",
        {"pemdas": selectors.pemda_list(request.user), "managed_ids": managed_ids},
    )


@login_required
def pemda_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    pemda = selectors.pemda_get(request.user, pk)
    deny_unless(can(request.user, OrgAction.MANAGE_UNITS, pemda))
    form = PemdaForm(request.POST or None, request.FILES or None, instance=pemda)
    return form_page(
        request,
        form,
        # The form mutated `pemda` while cleaning: the service gets the stored one.
        save=lambda data: services.pemda_update(
            pemda=selectors.pemda_get(request.user, pk), actor=request.user, **data
        ),
        success=_("Profil Pemda disimpan."),
        then=lambda _saved: redirect("organisations:pemda_list"),
        title=_("Profil Pemda — %(p)s") % {"p": pemda.name},
        multipart=True,
    )


@login_required
def unit_list(request: AuthedHttpRequest) -> HttpResponse:
    form = UnitFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    units = selectors.unit_list(
        request.user,
        pemda_id=filters.get("pemda"),
        kind=filters.get("kind", ""),
        q=filters.get("q", ""),
    )
    page = Paginator(units, 50).get_page(request.GET.get("page"))
    managed = list(pemdas_administered_by(request.user))
    template = (
        "organisations/_unit_rows.html"
        if request.htmx  # type: ignore[attr-defined]
        else "organisations/unit_list.html"
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "managed_pemdas": managed, "query": query.urlencode()}
    return render(request, template, context)


@login_required
def unit_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    unit = selectors.unit_get(request.user, pk)
    return render(
        request,
        "organisations/unit_detail.html",
        {
            "unit": unit,
            "services": selectors.unit_services(request.user, unit),
            "children": selectors.unit_list(request.user).filter(parent=unit),
            "can_edit": can(request.user, OrgAction.EDIT_UNIT, unit),
            "can_manage_services": can(request.user, OrgAction.MANAGE_SERVICES, unit),
            "panels": panels_for(request.user, unit),  # the SKM and the other domains
        },
    )


@login_required
def unit_create(request: AuthedHttpRequest, pemda_pk: int) -> HttpResponse:
    pemda = selectors.pemda_get(request.user, pemda_pk)
    deny_unless(can(request.user, OrgAction.MANAGE_UNITS, pemda))
    return form_page(
        request,
        UnitForm(request.POST or None, pemda=pemda),
        save=lambda data: services.unit_create(pemda=pemda, actor=request.user, **data),
        success=lambda unit: _("Unit %(name)s ditambahkan.") % {"name": unit.name},
        then=lambda unit: redirect("organisations:unit_detail", pk=unit.pk),
        title=_("Tambah unit — %(p)s") % {"p": pemda.name},
    )


@login_required
def unit_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    unit = selectors.unit_get(request.user, pk)
    deny_unless(can(request.user, OrgAction.EDIT_UNIT, unit))
    form = UnitForm(
        request.POST or None,
        instance=unit,
        pemda=unit.pemda,
        can_move=services.can_move_unit(request.user, unit),
    )
    return form_page(
        request,
        form,
        # The form mutated `unit` while cleaning: the service gets the stored one.
        save=lambda data: services.unit_update(
            unit=selectors.unit_get(request.user, pk), actor=request.user, **data
        ),
        success=_("Perubahan disimpan."),
        then=lambda _saved: redirect("organisations:unit_detail", pk=unit.pk),
        title=_("Ubah unit — %(n)s") % {"n": unit.name},
    )


@login_required
def service_create(request: AuthedHttpRequest, unit_pk: int) -> HttpResponse:
    unit = selectors.unit_get(request.user, unit_pk)
    deny_unless(can(request.user, OrgAction.MANAGE_SERVICES, unit))
    return form_page(
        request,
        ServiceForm(request.POST or None, unit=unit),
        save=lambda data: services.service_create(unit=unit, actor=request.user, **data),
        success=_("Layanan ditambahkan."),
        then=lambda _service: redirect("organisations:unit_detail", pk=unit.pk),
        title=_("Tambah layanan — %(n)s") % {"n": unit.name},
    )


@login_required
def service_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    service = selectors.service_get(request.user, pk)
    deny_unless(can(request.user, OrgAction.MANAGE_SERVICES, service))
    form = ServiceForm(request.POST or None, instance=service, unit=service.unit)
    return form_page(
        request,
        form,
        # The form mutated `service` while cleaning: the service layer gets the stored one.
        save=lambda data: services.service_update(
            service=selectors.service_get(request.user, pk), actor=request.user, **data
        ),
        success=_("Perubahan disimpan."),
        then=lambda _saved: redirect("organisations:unit_detail", pk=service.unit_id),
        title=_("Ubah layanan — %(n)s") % {"n": service.name},
    )


IMPORTERS = {
    "unit": (imports.units_import, imports.unit_template, gettext_lazy("unit")),
    "layanan": (imports.services_import, imports.service_template, gettext_lazy("layanan")),
}


@login_required
def import_view(request: AuthedHttpRequest, pemda_pk: int, kind: str) -> HttpResponse:
    pemda = selectors.pemda_get(request.user, pemda_pk)
    deny_unless(can(request.user, OrgAction.MANAGE_UNITS, pemda) and kind in IMPORTERS)
    _run, _template, label = IMPORTERS[kind]
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = queue_import(request, form, kind=kind, pemda=pemda)
        if job is not None:
            return redirect("organisations:import_job", pk=job.pk)
    return render(
        request,
        "organisations/import.html",
        {"form": form, "pemda": pemda, "kind": kind, "label": label},
    )


def queue_import(request: AuthedHttpRequest, form: ImportForm, **where: Any) -> Any:
    """Queue the import of the form's file; a file that cannot be imported is an error on the
    form (nothing queued, nothing stored)."""
    try:
        return save_through_service(
            form,
            lambda: import_jobs.import_request(
                upload=form.cleaned_data["file"],
                keep_valid=form.cleaned_data["keep_valid"],
                actor=request.user,
                **where,
            ),
        )
    except TabularFileError as error:
        form.add_error("file", str(error))
        return None


@login_required
def import_job(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """An import's progress, then its report; reloads itself (no JavaScript) until finished."""
    job = import_jobs.import_job_get(request.user, pk)
    importer = import_jobs.importer_of(job.kind)
    return render(
        request,
        "organisations/import_job.html",
        {"job": job, "label": importer.label, "form_url": importer.form_url(job)},
    )


@login_required
def import_template(request: AuthedHttpRequest, kind: str) -> HttpResponse:
    deny_unless(kind in {*IMPORTERS, "libur"})
    make = imports.holiday_template if kind == "libur" else IMPORTERS[kind][1]
    response = HttpResponse(make(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="templat-impor-{kind}.xlsx"'
    return response


def _calendar_pemda(request: AuthedHttpRequest) -> Any:
    managed = pemdas_administered_by(request.user)
    query = request.GET if request.GET.get("pemda") else request.POST
    if not query.get("pemda"):
        pemda = managed.first()
    else:  # junk ("abc", -5) is an id nobody manages, like any other: refused below
        pemda_id = id_param(query, "pemda")
        pemda = managed.filter(pk=pemda_id).first() if pemda_id else None
    if pemda is None:
        raise PermissionDenied
    return pemda


@login_required
def holiday_list(request: AuthedHttpRequest) -> HttpResponse:
    pemda = _calendar_pemda(request)
    this_year = timezone.localdate().year
    year = int_param(request.GET, "tahun", this_year, min_value=1900, max_value=2999)
    holidays = selectors.holidays_of_year(request.user, pemda, year)
    return render(
        request,
        "organisations/holiday_list.html",
        {
            "pemda": pemda,
            "year": year,
            "holidays": holidays,
            "form": HolidayForm(),
            "import_form": ImportForm(),
            "can_edit_national": request.user.is_superuser,
        },
    )


@login_required
def holiday_edit(request: AuthedHttpRequest, pk: int | None = None) -> HttpResponse:
    pemda = _calendar_pemda(request)
    holiday = selectors.holiday_get(request.user, pemda, pk) if pk else None
    # National days are the platform admin's; a Pemda admin sees them but cannot open the form.
    deny_unless(holiday is None or holiday.pemda is not None or request.user.is_superuser)
    return form_page(
        request,
        HolidayForm(request.POST or None, instance=holiday),
        save=lambda data: services.holiday_save(
            actor=request.user,
            pemda=holiday.pemda if holiday else pemda,
            day=data["date"],
            name=data["name"],
            kind=data["kind"],
            holiday=selectors.holiday_get(request.user, pemda, pk) if pk else None,
        ),
        success=_("Hari libur disimpan."),
        then=lambda saved: redirect(f"{_holiday_url(pemda)}&tahun={saved.date.year}"),
        title=_("Hari libur — %(p)s") % {"p": pemda.name},
        hidden={"pemda": pemda.pk},
    )


def _holiday_url(pemda: Any) -> str:
    return f"{reverse('organisations:holiday_list')}?pemda={pemda.pk}"


@login_required
@require_POST
def holiday_delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    pemda = _calendar_pemda(request)
    holiday = selectors.holiday_get(request.user, pemda, pk)
    services.holiday_delete(actor=request.user, holiday=holiday)
    messages.success(request, _("Hari libur dihapus."))
    return redirect(f"{_holiday_url(pemda)}&tahun={holiday.date.year}")


@login_required
@require_POST
def holiday_import(request: AuthedHttpRequest) -> HttpResponse:
    pemda = _calendar_pemda(request)
    form = ImportForm(request.POST, request.FILES)
    report = None
    if form.is_valid():
        try:
            report = imports.holidays_import(
                upload=form.cleaned_data["file"],
                actor=request.user,
                pemda=pemda,
                keep_valid=form.cleaned_data["keep_valid"],
            )
        except TabularFileError as error:
            form.add_error("file", str(error))
    return render(
        request,
        "organisations/import.html",
        {
            "form": form,
            "report": report,
            "pemda": pemda,
            "kind": "libur",
            "label": _("hari libur daerah"),
        },
    )


@login_required
def member_list(request: AuthedHttpRequest, pemda_pk: int) -> HttpResponse:
    pemda = selectors.pemda_get(request.user, pemda_pk)
    deny_unless(can(request.user, CoreAction.VIEW_AUDIT, pemda))
    memberships = memberships_visible_to(request.user, pemda).order_by("user__full_name", "role")
    return render(
        request,
        "organisations/member_list.html",
        {
            "pemda": pemda,
            "memberships": memberships,
            "invitations": selectors.invitations_pending_in(request.user, pemda),
            "can_manage": can(request.user, OrgAction.MANAGE_MEMBERS, pemda),
        },
    )


@login_required
def member_add(request: AuthedHttpRequest, pemda_pk: int) -> HttpResponse:
    pemda = selectors.pemda_get(request.user, pemda_pk)
    deny_unless(can(request.user, OrgAction.MANAGE_MEMBERS, pemda))
    roles = sorted(services.ROLES_A_PEMDA_ADMIN_GRANTS, key=list(Role).index)
    form = MemberInviteForm(request.POST or None, pemda=pemda, roles=roles)
    return form_page(
        request,
        form,
        save=lambda data: services.member_invite(
            pemda=pemda,
            actor=request.user,
            invite_url_maker=_invite_url(request),
            invitations_url=request.build_absolute_uri(reverse("organisations:invitation_list")),
            **data,
        ),
        # One message whatever happened (new account, member, invitation): it names only the
        # address the admin typed, never the person behind an existing account.
        success=lambda _done: (
            _(
                "%(email)s diproses sebagai %(role)s. Akun baru langsung mendapat peran dan "
                "email untuk membuat kata sandi; akun yang sudah ada di luar Pemda ini "
                "mendapat undangan dan perannya berlaku setelah undangan diterima."
            )
            % {
                "email": form.cleaned_data["email"].lower(),
                "role": Role(form.cleaned_data["role"]).label,
            }
        ),
        then=lambda _done: redirect("organisations:member_list", pemda_pk=pemda.pk),
        title=_("Tambah pengguna — %(p)s") % {"p": pemda.name},
    )


@login_required
def invitation_list(request: AuthedHttpRequest) -> HttpResponse:
    """The signed-in person's open invitations, to accept or decline."""
    return render(
        request,
        "organisations/invitation_list.html",
        {"invitations": selectors.invitations_for(request.user)},
    )


@login_required
@require_POST
def invitation_respond(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    invitation = selectors.invitation_get(request.user, pk)
    match request.POST.get("answer"):
        case "accept":
            run_with_message(
                request,
                lambda: services.invitation_accept(invitation=invitation, actor=request.user),
                _("Undangan diterima: peran Anda di %(p)s sudah berlaku.")
                % {"p": invitation.pemda.name},
            )
        case "decline":
            run_with_message(
                request,
                lambda: services.invitation_decline(invitation=invitation, actor=request.user),
                _("Undangan ditolak."),
            )
        case _:
            messages.error(request, _("Pilih terima atau tolak."))
    return redirect("organisations:invitation_list")


def _invite_url(request: AuthedHttpRequest) -> Any:
    """A new account's password-set link (Django's reset token): it needs no extra table."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    def make(user: Any) -> str:
        path = reverse(
            "password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
        return request.build_absolute_uri(path)

    return make


@login_required
@require_POST
def member_revoke(request: AuthedHttpRequest, pemda_pk: int, pk: int) -> HttpResponse:
    pemda = selectors.pemda_get(request.user, pemda_pk)
    deny_unless(can(request.user, OrgAction.MANAGE_MEMBERS, pemda))
    membership = memberships_visible_to(request.user, pemda).filter(pk=pk).first()
    if membership is None:
        raise Http404
    run_with_message(
        request,
        lambda: services.membership_revoke(membership=membership, actor=request.user),
        _("Peran dicabut."),
    )
    return redirect("organisations:member_list", pemda_pk=pemda.pk)
