"""Pages of a Pemda's profile, its units and their services."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mutu.core.access import can
from mutu.core.http import AuthedHttpRequest, form_page
from mutu.core.permissions import deny_unless
from mutu.organisations import selectors, services
from mutu.organisations.actions import OrgAction
from mutu.organisations.forms import PemdaForm, ServiceForm, UnitFilterForm, UnitForm
from mutu.organisations.permissions import pemdas_administered_by
from mutu.organisations.unit_page import panels_for


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
