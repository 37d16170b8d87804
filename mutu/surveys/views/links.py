"""Survey links: listed, rotated, and their QR code and poster."""

import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutu.core.access import CoreAction, can
from mutu.core.http import AuthedHttpRequest
from mutu.core.permissions import deny_unless
from mutu.organisations import selectors as org_selectors
from mutu.surveys import selectors, services
from mutu.surveys.actions import SurveyAction
from mutu.surveys.forms import LinkForm
from mutu.surveys.models import SurveyLink
from mutu.surveys.poster import poster_pdf
from mutu.surveys.views.confirmation import confirmation_page, confirmed


@login_required
def link_list(request: AuthedHttpRequest, unit_pk: int) -> HttpResponse:
    unit = org_selectors.unit_get(request.user, unit_pk)
    can_manage = can(request.user, SurveyAction.MANAGE_LINKS, unit)
    form = LinkForm(request.POST or None, unit=unit)
    if request.method == "POST":
        deny_unless(can_manage)
        if form.is_valid():
            services.link_create(unit=unit, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Tautan survei dibuat."))
            return redirect("surveys:link_list", unit_pk=unit.pk)
    return render(
        request,
        "surveys/link_list.html",
        {
            "unit": unit,
            "links": selectors.links_of(request.user, unit.pk),
            "form": form,
            "can_manage": can_manage,
            "badge_embed": badge_embed(request, unit.pk),
        },
    )


def _link_for_staff(request: AuthedHttpRequest, pk: int) -> SurveyLink:
    link = SurveyLink.objects.filter(pk=pk).select_related("unit").first()
    if link is None or not can(request.user, CoreAction.VIEW, link.unit):
        raise Http404
    return link


@login_required
@require_POST
def link_rotate(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    link = _link_for_staff(request, pk)
    deny_unless(can(request.user, SurveyAction.MANAGE_LINKS, link.unit))
    if not confirmed(request):
        return confirmation_page(
            request,
            title=_("Ganti tautan %(link)s?") % {"link": link},
            consequences=[
                _("Semua poster QR yang sudah dicetak untuk tautan ini tidak akan berfungsi lagi."),
                _(
                    "Tautan yang sudah dibagikan (situs web, media sosial, pesan) juga tidak "
                    "berlaku lagi."
                ),
                _("Setelah diganti, cetak poster baru dan tempel di setiap loket."),
            ],
            button=_("Ya, ganti tautan"),
            cancel_url=reverse("surveys:link_list", args=[link.unit_id]),
        )
    services.link_rotate(link=link, actor=request.user)
    messages.success(request, _("Tautan lama dinonaktifkan; cetak poster baru."))
    return redirect("surveys:link_list", unit_pk=link.unit_id)


def badge_embed(request: HttpRequest, unit_pk: int) -> dict[str, str]:
    """The addresses in the badge's HTML snippet, shown to staff (citizens have no use for it)."""
    return {
        "badge_url": request.build_absolute_uri(reverse("surveys:badge", args=[unit_pk])),
        "page_url": request.build_absolute_uri(reverse("surveys:public_results", args=[unit_pk])),
    }


def public_url(request: HttpRequest, link: SurveyLink) -> str:
    return request.build_absolute_uri(reverse("surveys:form", args=[link.token])) + "?qr=1"


@login_required
def link_qr(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    link = _link_for_staff(request, pk)
    buffer = io.BytesIO()
    segno.make(public_url(request, link), error="q").save(
        buffer, kind="svg", scale=8, border=2, xmldecl=False, title=str(link)
    )
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@login_required
def link_poster(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """A printable A4/A5 poster: unit name, logo and the QR code (print from the browser)."""
    link = _link_for_staff(request, pk)
    return render(
        request,
        "surveys/poster.html",
        {
            "link": link,
            "url": public_url(request, link),
            "pemda": link.unit.pemda,
            "size": "A5" if request.GET.get("ukuran") == "a5" else "A4",
        },
    )


@login_required
def link_poster_pdf(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    link = _link_for_staff(request, pk)
    size = "A5" if request.GET.get("ukuran") == "a5" else "A4"
    content = poster_pdf(link=link, url=public_url(request, link), size=size)
    response = HttpResponse(content, content_type="application/pdf")
    name = slugify(f"poster-skm-{link.unit.short_name or link.unit.name}-{size}")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response
