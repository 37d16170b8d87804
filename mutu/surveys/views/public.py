import hashlib
import io
import json
import uuid
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import get_template, render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from mutu.core import ratelimit
from mutu.core.http import AuthedHttpRequest, run_with_message, save_through_service
from mutu.core.params import id_param, ids_param, strict_uuid
from mutu.core.permissions import Action, can, deny_unless, pemdas_administered_by
from mutu.core.ratelimit import client_ip
from mutu.indices.ikm import UNSUR_CODES
from mutu.indices.trust import TrustSummary
from mutu.organisations import selectors as org_selectors
from mutu.organisations.forms import ImportForm
from mutu.organisations.views import XLSX, queue_import
from mutu.surveys import admission, pow, selectors, services
from mutu.surveys.charts import nrr_bars
from mutu.surveys.forms import (
    ExtraQuestionForm,
    FkpForm,
    LinkForm,
    PaperEntryForm,
    PeriodForm,
    PopulationForm,
    RtlForm,
    ServicePopulationForm,
    SurveyForm,
    json_survey_form,
)
from mutu.surveys.imports import paper_template_xlsx
from mutu.surveys.instrument import TRUST_ANSWERS, TRUST_QUESTION, extra_questions_of
from mutu.surveys.models import Response, SurveyLink, SurveyPeriod, Unsur

# --- public ------------------------------------------------------------------------------


def survey_form(request: HttpRequest, token: str) -> HttpResponse:
    """The citizen's questionnaire behind a QR code or link. Works without JavaScript."""
    link, target = selectors.public_target(token)
    if link is None:
        return _retired_or_unknown(request, token)
    if target is None:
        return render(request, "surveys/public_closed.html", {"link": link, "unit": link.unit})
    channel = (
        Response.Channel.QR
        if request.GET.get("qr") or request.POST.get("qr")
        else Response.Channel.WEB
    )
    if request.method != "POST":
        return _blank_form_page(request, link, target, channel)
    form = _survey_form(request, target)
    ip = client_ip(request)
    # Counted apart (mutu.surveys.admission): a valid form in the address's and the link's
    # buckets, a form with errors in the junk bucket, so that junk never turns away answers.
    if form.is_valid():
        admitted = admission.admit(link.pk, ip)
        if not admitted.admitted:
            return _too_many(request)
        # Checked only for a valid form, so that a proof is not spent on a form with errors.
        proof = pow.judge(request.POST.get(pow.FIELD_NAME, ""))
        meta = services.SubmissionMeta(
            ip=ip,
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
            honeypot=form.cleaned_data.get("website", ""),
            # Many citizens share one address (mobile carrier NAT, office Wi-Fi): a solved
            # proof-of-work as hard as the address's volume asks lifts the soft rate flag, up
            # to a ceiling; the hard limit still applies.
            over_rate_limit=admitted.over_rate_limit(proof),
            pow_suspect=proof.verdict.is_suspect,
            # The page's hidden id (see _blank_form_page); a page without one (an old cached
            # copy, a hand-made POST) is stored without, as before.
            client_id=strict_uuid(request.POST.get("client_id")),
        )
        stored = save_through_service(
            form,
            lambda: services.response_submit(
                target=replace(target, channel=channel).with_service(form.chosen_service()),
                answers=form.answers(),
                profile=form.profile(),
                meta=meta,
                extra=form.extra_answers(),
            ),
        )
        if stored:
            return redirect("surveys:thanks", token=token)
    elif not admission.count_junk(ip):
        return _too_many(request)
    context = _form_context(form, link, target, channel)
    context["pow_challenge"] = pow.new_challenge(admission.recent_volume(ip))
    # A form sent back with errors keeps its id: it is still the same attempt.
    context["client_id"] = strict_uuid(request.POST.get("client_id")) or uuid.uuid4()
    return render(request, "surveys/public_form.html", context)


def _too_many(request: HttpRequest) -> HttpResponse:
    message = _("Terlalu banyak kiriman dari jaringan ini. Coba lagi nanti.")
    return render(request, "429.html", {"message": message}, status=429)


def _form_context(
    form: SurveyForm, link: SurveyLink, target: services.SurveyTarget, channel: str
) -> dict[str, Any]:
    return {
        "form": form,
        "target": target,
        "link": link,
        "unit": link.unit,
        "period": target.period,
        "channel": channel,
    }


def _survey_form(request: HttpRequest, target: services.SurveyTarget) -> SurveyForm:
    return SurveyForm(
        request.POST or None,
        ask_trust=target.period.ask_trust,
        skippable=target.skippable,
        extra_questions=target.extra_questions,
        service_choices=target.service_choices,
    )


CSRF_PLACEHOLDER = "__mutu_csrf_token__"
CLIENT_ID_PLACEHOLDER = "__mutu_client_id__"


def _blank_form_page(
    request: HttpRequest, link: SurveyLink, target: services.SurveyTarget, channel: str
) -> HttpResponse:
    """The empty questionnaire is the same for every citizen of a link: render it once per
    link, period, language and channel, and put each visitor's CSRF token into the copy.
    Building and rendering the form is most of the cost of a request.

    The key holds only what changes the page: not the query string, which anyone can vary
    (3,000 `?utm=N` made 3,000 copies, issue 11). The page's own address is the canonical one."""
    period = target.period
    # The unit's instrument for the period (skippable unsur, own questions, the services to
    # pick from) is in the key, so a change shows at once.
    services_offered = [(s.pk, s.name) for s in target.service_choices]
    instrument = hashlib.md5(
        repr((sorted(target.skippable), target.extra_questions, services_offered)).encode(),
        usedforsecurity=False,
    ).hexdigest()[:12]
    key = (
        f"skm:form:{link.pk}:{link.updated_at.timestamp()}:{period.pk}:"
        f"{period.updated_at.timestamp()}:{link.unit.updated_at.timestamp()}:{instrument}:"
        f"{get_language()}:{channel}"
    )
    html = cache.get(key)
    if html is None:
        placeholders = {
            "csrf_token": CSRF_PLACEHOLDER,
            "pow_challenge": pow.PLACEHOLDER,
            "page_path": request.path + ("?qr=1" if channel == Response.Channel.QR else ""),
            "client_id": CLIENT_ID_PLACEHOLDER,
        }
        context = _form_context(_survey_form(request, target), link, target, channel)
        html = render_to_string("surveys/public_form.html", {**context, **placeholders}, request)
        cache.set(key, html, timeout=3600)
    page = html.replace(CSRF_PLACEHOLDER, get_token(request))
    challenge = pow.new_challenge(admission.recent_volume(client_ip(request)))
    # Each visitor's page gets its own answer id, like its CSRF token: the cached copy is shared.
    page = page.replace(CLIENT_ID_PLACEHOLDER, str(uuid.uuid4()))
    return HttpResponse(page.replace(pow.PLACEHOLDER, challenge))


def _retired_or_unknown(request: HttpRequest, token: str) -> HttpResponse:
    """A rotated link's old QR code (a poster still on a wall) is Gone, on a page that names
    the unit and sends the citizen to the counter; an unknown token stays a plain 404 that
    names nothing. The new code is not linked: a link is rotated when its poster was misused."""
    retired = selectors.retired_link_for_token(token)
    if retired is None:
        raise Http404
    context = {"link": retired, "unit": retired.unit}
    return render(request, "surveys/link_retired.html", context, status=410)


def survey_thanks(request: HttpRequest, token: str) -> HttpResponse:
    link = selectors.link_for_token(token)
    if link is None:
        return _retired_or_unknown(request, token)
    return render(
        request,
        "surveys/public_thanks.html",
        {"link": link, "unit": link.unit, "published": selectors.latest_published(link.unit_id)},
    )


# --- staff -------------------------------------------------------------------------------


@login_required
def period_list(request: AuthedHttpRequest) -> HttpResponse:
    return render(
        request,
        "surveys/period_list.html",
        {
            "periods": selectors.periods_visible_to(request.user),
            "managed_pemdas": list(pemdas_administered_by(request.user)),
        },
    )


@login_required
def period_create(request: AuthedHttpRequest, pemda_pk: int) -> HttpResponse:
    pemda = org_selectors.pemda_get(request.user, pemda_pk)
    deny_unless(can(request.user, Action.MANAGE_UNITS, pemda))
    form = PeriodForm(request.POST or None, pemda=pemda)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        units = list(data.pop("units"))
        period = save_through_service(
            form,
            lambda: services.period_create(pemda=pemda, actor=request.user, units=units, **data),
        )
        if period:
            messages.success(request, _("Periode survei dibuat sebagai draf."))
            return redirect("surveys:period_detail", pk=period.pk)
        form.ask_to_confirm_overlap()
    return render(
        request,
        "organisations/form.html",
        {"form": form, "title": _("Periode survei baru — %(p)s") % {"p": pemda.name}},
    )


@login_required
def period_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    period = selectors.period_get(request.user, pk)
    members = list(selectors.period_members(request.user, period))
    summaries = selectors.period_summaries(period, members)
    rows = [(m, summaries[m.unit_id]) for m in members]
    pemda_ikm = selectors.pemda_result(period)
    return render(
        request,
        "surveys/period_detail.html",
        {
            "period": period,
            "rows": rows,
            "pemda_ikm": pemda_ikm,
            "can_manage": can(request.user, Action.MANAGE_UNITS, period.pemda),
            "can_request_recap": can(request.user, Action.REQUEST_REPORT, period.pemda),
        },
    )


@login_required
@require_POST
def period_status(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    period = selectors.period_get(request.user, pk)
    deny_unless(can(request.user, Action.MANAGE_UNITS, period.pemda))
    status = request.POST.get("status", "")
    if not _confirmed(request) and (confirmation := _status_confirmation(request, period, status)):
        return confirmation
    run_with_message(
        request,
        lambda: services.period_set_status(period=period, status=status, actor=request.user),
    )
    return redirect("surveys:period_detail", pk=period.pk)


def _confirmed(request: HttpRequest) -> bool:
    """Whether the POST comes from a confirmation page (not from the first button)."""
    return request.POST.get("confirm") == "yes"


def _confirmation(
    request: HttpRequest,
    *,
    title: str,
    consequences: list[str],
    button: str,
    cancel_url: str,
    hidden: dict[str, str] | None = None,
) -> HttpResponse:
    """A page that states what an action will do and repeats the POST with `confirm=yes`.
    Plain HTML, so that it works without JavaScript."""
    return render(
        request,
        "surveys/confirm.html",
        {
            "title": title,
            "consequences": consequences,
            "button": button,
            "cancel_url": cancel_url,
            "hidden": hidden or {},
        },
    )


def _status_confirmation(
    request: AuthedHttpRequest, period: Any, status: str
) -> HttpResponse | None:
    """Closing publishes the results; reopening withdraws them: both ask first."""
    closed = SurveyPeriod.Status.CLOSED
    if status == closed and period.status != closed:
        title = _("Tutup dan terbitkan %(name)s?") % {"name": period.name}
        consequences = _closing_consequences(request, period)
        button = _("Ya, tutup dan terbitkan")
    elif period.status == closed and status in SurveyPeriod.Status.values and status != closed:
        title = _("Buka kembali %(name)s yang sudah diterbitkan?") % {"name": period.name}
        consequences = [
            _(
                "Hasil periode ini ditarik dari halaman hasil publik dan lencana IKM sampai "
                "periode ditutup kembali."
            ),
            _(
                "Respons baru dapat masuk dan nilai IKM dapat berubah: laporan yang sudah "
                "dicetak atau ditandatangani tidak lagi sama dengan angka di aplikasi."
            ),
        ]
        button = _("Ya, buka kembali")
    else:
        return None
    return _confirmation(
        request,
        title=title,
        consequences=consequences,
        button=button,
        cancel_url=reverse("surveys:period_detail", args=[period.pk]),
        hidden={"status": status},
    )


def _closing_consequences(request: AuthedHttpRequest, period: Any) -> list[str]:
    consequences = [
        _("Warga tidak dapat lagi mengisi survei periode ini lewat kode QR, tautan, maupun kios."),
        _("Nilai IKM setiap unit langsung diterbitkan di halaman hasil publik dan lencana IKM."),
    ]
    members = list(selectors.period_members(request.user, period))
    summaries = selectors.period_summaries(period, members)
    short = [m.unit.name for m in members if summaries[m.unit_id].short_of_target]
    if short:
        consequences.append(
            _("%(n)s unit belum mencapai target sampel: %(names)s.")
            % {"n": len(short), "names": ", ".join(short)}
        )
    return consequences


@login_required
def unit_result(request: AuthedHttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    period = selectors.period_get(request.user, pk)
    member = selectors.member_get(request.user, period, unit_pk)
    action = request.POST.get("action", "population") if request.method == "POST" else ""
    form = PopulationForm(
        request.POST if action == "population" else None,
        initial={"population": member.population},
    )
    samples = selectors.service_samples(period, member.unit_id)
    service_form = ServicePopulationForm(
        request.POST if action == "service_populations" else None, samples=samples
    )
    can_edit = can(request.user, Action.EDIT_UNIT, member.unit)
    if request.method == "POST":
        deny_unless(can_edit)
        if action == "service_populations":
            if service_form.is_valid():
                changed = service_form.populations()
                save_through_service(
                    service_form,
                    lambda: services.service_populations_set(
                        period=period, populations=changed, actor=request.user
                    ),
                )
            if not service_form.errors:
                messages.success(request, _("Populasi per layanan disimpan."))
                return redirect("surveys:unit_result", pk=period.pk, unit_pk=unit_pk)
        elif action == "skippable":
            codes = request.POST.getlist("skippable")
            run_with_message(
                request,
                lambda: services.skippable_set(member=member, codes=codes, actor=request.user),
                _("Unsur yang boleh dilewati disimpan."),
            )
            return redirect("surveys:unit_result", pk=period.pk, unit_pk=unit_pk)
        elif form.is_valid():
            services.population_set(
                member=member, population=form.cleaned_data["population"], actor=request.user
            )
            messages.success(request, _("Populasi disimpan."))
            return redirect("surveys:unit_result", pk=period.pk, unit_pk=unit_pk)
    page = selectors.unit_page(period, member)
    result = page.result
    return render(
        request,
        "surveys/unit_result.html",
        {
            "period": period,
            "member": member,
            "result": result,
            "form": form,
            "can_edit": can_edit,
            "chart": nrr_bars(result),
            "breakdowns": page.breakdowns,
            "keywords": page.keywords,
            "extra_results": page.extras,
            "trust": _trust_card(period, page.trust),
            "samples": samples,
            "service_form": service_form,
            "dropped": result.dropped_more_than(period.drop_alert_margin),
            "unsur_choices": [
                (code, label, code in member.skippable) for code, label in Unsur.choices
            ],
            "can_enter_paper": can(request.user, Action.MANAGE_SERVICES, member.unit),
            "can_request_report": can(request.user, Action.REQUEST_REPORT, member.unit),
            "badge_embed": badge_embed(request, member.unit_id),
        },
    )


def _trust_card(period: SurveyPeriod, trust: TrustSummary | None) -> dict[str, Any] | None:
    """The trust question's card (never part of the IKM), when the period asks it or asked it."""
    if trust is None or not (period.ask_trust or trust.answered):
        return None
    rows = [(TRUST_ANSWERS[answer - 1], n, share) for answer, n, share in trust.distribution]
    return {"summary": trust, "question": TRUST_QUESTION, "rows": rows}


@login_required
def extra_questions(request: AuthedHttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    """The unit's own questions in this period: added, listed and retired (never deleted)."""
    period = selectors.period_get(request.user, pk)
    member = selectors.member_get(request.user, period, unit_pk)
    can_manage = can(request.user, Action.MANAGE_SERVICES, member.unit)
    form = ExtraQuestionForm(request.POST if request.POST.get("action") == "add" else None)
    if request.method == "POST":
        deny_unless(can_manage)
        if request.POST.get("action") == "retire":
            question_id = request.POST.get("question", "")
            run_with_message(
                request,
                lambda: services.extra_question_retire(
                    member=member, actor=request.user, question_id=question_id
                ),
                _("Pertanyaan tidak lagi ditanyakan."),
            )
            return redirect("surveys:extra_questions", pk=period.pk, unit_pk=unit_pk)
        if form.is_valid():
            added = save_through_service(
                form,
                lambda: services.extra_question_add(
                    member=member, actor=request.user, **form.cleaned_data
                ),
            )
            if added:
                messages.success(request, _("Pertanyaan ditambahkan."))
                return redirect("surveys:extra_questions", pk=period.pk, unit_pk=unit_pk)
    return render(
        request,
        "surveys/extra_questions.html",
        {
            "period": period,
            "member": member,
            "questions": extra_questions_of(member.extra_questions),
            "form": form,
            "can_manage": can_manage,
        },
    )


@login_required
def link_list(request: AuthedHttpRequest, unit_pk: int) -> HttpResponse:
    unit = org_selectors.unit_get(request.user, unit_pk)
    can_manage = can(request.user, Action.MANAGE_SERVICES, unit)
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
    if link is None or not can(request.user, Action.VIEW, link.unit):
        raise Http404
    return link


@login_required
@require_POST
def link_rotate(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    link = _link_for_staff(request, pk)
    deny_unless(can(request.user, Action.MANAGE_SERVICES, link.unit))
    if not _confirmed(request):
        return _confirmation(
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


# --- public results ------------------------------------------------------------------------


def public_results(request: HttpRequest, unit_pk: int) -> HttpResponse:
    """The unit's published IKM, period by period (closed periods only)."""
    unit = selectors.public_unit(unit_pk)
    history = selectors.published_history(unit.pk)
    return render(
        request,
        "surveys/public_results.html",
        {
            "unit": unit,
            "history": history,
        },
    )


def badge(request: HttpRequest, unit_pk: int) -> HttpResponse:
    """An SVG badge with the latest published IKM, for the unit's own website."""
    unit = selectors.public_unit(unit_pk)
    published = selectors.latest_published_result(unit.pk)
    result = published[1] if published else None
    response = render(
        request,
        "surveys/badge.svg",
        {
            "unit": unit,
            "published": (published[0], result.ikm) if published and result else None,
            "result": result,
        },
        content_type="image/svg+xml",
    )
    response["Cache-Control"] = "public, max-age=3600"
    # The badge is meant to be embedded in other sites: no frame/CSP restriction applies to it.
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


@login_required
def response_list(request: AuthedHttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    """Responses of one unit, with the flags. The Pemda admin quarantines or releases many at
    once with one reason; the unit head may only ask the admin for a review."""
    period = selectors.period_get(request.user, pk)
    member = selectors.member_get(request.user, period, unit_pk)
    can_moderate = can(request.user, Action.MODERATE_RESPONSES, member.unit)
    can_request_review = can(request.user, Action.REQUEST_REVIEW, member.unit)
    if request.method == "POST":
        _act_on_responses(request, period, member.unit_id, can_moderate, can_request_review)
        return redirect(request.get_full_path())
    flagged = request.GET.get("tanda") == "1"
    page = Paginator(selectors.responses_of(period, unit_pk, flagged_only=flagged), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "surveys/response_list.html",
        {
            "period": period,
            "member": member,
            "page": page,
            "flagged": flagged,
            "can_moderate": can_moderate,
            "can_request_review": can_request_review,
            "open_reviews": selectors.open_review_count(period, unit_pk) if can_moderate else 0,
            "codes": UNSUR_CODES,
            "query": "tanda=1" if flagged else "",
        },
    )


MODERATION_LIMIT = 200  # ticked boxes one POST may carry: a page shows 50


def _act_on_responses(
    request: AuthedHttpRequest,
    period: Any,
    unit_id: int,
    can_moderate: bool,
    can_request_review: bool,
) -> None:
    action = request.POST.get("action", "")
    deny_unless(can_request_review if action == "review" else can_moderate)
    ids = ids_param(request.POST, "response", limit=MODERATION_LIMIT)
    if ids is None:
        raise Http404  # junk or a localized id ("1.000.001"): no such response
    chosen = selectors.responses_chosen(period, unit_id, ids)
    if len(chosen) != len(ids):
        raise Http404  # an id of another unit or period: as if it did not exist
    reason = request.POST.get("reason", "")
    service: Any
    service, done = {
        "review": (services.review_request, _("Permintaan tinjauan dikirim ke admin Pemda.")),
        "release": (services.responses_release, _("Respons dikembalikan ke perhitungan.")),
    }.get(action, (services.responses_quarantine, _("Respons dikarantina.")))
    user = request.user
    run_with_message(request, lambda: service(responses=chosen, actor=user, reason=reason), done)


PENDING_KEY = "paper-first-entry"


@login_required
def paper_entry(request: AuthedHttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    """Keyboard-only entry of paper forms; with double entry a form is stored only once two
    keyings agree, and the fields that differ are shown."""
    period = selectors.period_get(request.user, pk)
    member = selectors.member_get(request.user, period, unit_pk)
    deny_unless(can(request.user, Action.MANAGE_SERVICES, member.unit))
    double = request.POST.get("double", request.GET.get("ganda")) in {"1", "on"}
    form = PaperEntryForm(
        request.POST or None,
        period=period,
        skippable=frozenset(member.skippable),
        extra_questions=extra_questions_of(member.extra_questions),
    )
    mismatch: list[str] = []
    if request.method == "POST" and form.is_valid():
        pending = request.session.pop(PENDING_KEY, None)
        if double and pending is None:
            request.session[PENDING_KEY] = form.digest()
            messages.info(
                request,
                _(
                    "Entri pertama tersimpan sementara. Ketik ulang formulir "
                    "yang sama untuk pemeriksaan."
                ),
            )
            return redirect(f"{request.path}?ganda=1")
        if double and pending != form.digest():
            mismatch = _differences(pending, form)
        elif _store_paper(request, period, member.unit, form):
            return redirect(f"{request.path}{'?ganda=1' if double else ''}")
    return render(
        request,
        "surveys/paper_entry.html",
        {
            "period": period,
            "member": member,
            "form": form,
            "double": double,
            "mismatch": mismatch,
            "awaiting_second": PENDING_KEY in request.session,
            "entered": Response.objects.filter(
                period=period, unit=member.unit, channel=Response.Channel.PAPER
            ).count(),
        },
    )


def _differences(first: list[list[str]], form: PaperEntryForm) -> list[str]:
    before = {name: value for name, value in first}
    return [
        str(form.fields[name].label)
        for name, value in form.digest()
        if before.get(name) != value and name in form.fields
    ]


def _store_paper(request: AuthedHttpRequest, period: Any, unit: Any, form: PaperEntryForm) -> bool:
    """Store the keyed form; a refusal (its number entered before, the period closed) becomes
    an error on the form, which is shown again as typed."""
    target = services.SurveyTarget(
        period=period,
        unit=unit,
        channel=Response.Channel.PAPER,
        skippable=form.skippable,
        extra_questions=form.extra_questions,
    )
    try:
        services.response_submit(
            target=target,
            answers=form.answers(),
            profile=form.profile(),
            meta=services.SubmissionMeta(entered_by=request.user),
            extra=form.extra_answers(),
        )
    except ValidationError as error:
        for name, problems in getattr(error, "error_dict", {None: error.messages}).items():
            form.add_error(name if name in form.fields else None, problems)
        return False
    messages.success(request, _("Formulir tersimpan. Lanjutkan formulir berikutnya."))
    return True


@login_required
def paper_import(request: AuthedHttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    period = selectors.period_get(request.user, pk)
    member = selectors.member_get(request.user, period, unit_pk)
    deny_unless(can(request.user, Action.MANAGE_SERVICES, member.unit))
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = queue_import(
            request,
            form,
            kind="kertas",
            pemda=period.pemda,
            unit=member.unit,
            params={"period": period.pk},
        )
        if job is not None:
            return redirect("organisations:import_job", pk=job.pk)
    return render(
        request, "surveys/paper_import.html", {"period": period, "member": member, "form": form}
    )


@login_required
def paper_template(request: AuthedHttpRequest) -> HttpResponse:
    """The general template (no unit's own questions): the upload page links each unit's."""
    return _xlsx_download(paper_template_xlsx(None, ask_trust=True), "templat-kuesioner-kertas")


@login_required
def paper_template_unit(request: AuthedHttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    """The template of one unit in one period: its own questions and, if asked, the trust
    question, as columns."""
    period = selectors.period_get(request.user, pk)
    member = selectors.member_get(request.user, period, unit_pk)
    deny_unless(can(request.user, Action.MANAGE_SERVICES, member.unit))
    name = slugify(f"templat-kuesioner-kertas-{member.unit.short_name or member.unit.name}")
    return _xlsx_download(paper_template_xlsx(member, ask_trust=period.ask_trust), name)


def _xlsx_download(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@login_required
def paper_blank_pdf(request: AuthedHttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    """The unit's blank questionnaire for this period, to print and hand out (A4 PDF)."""
    from mutu.surveys.blank_form import blank_questionnaire_pdf

    period = selectors.period_get(request.user, pk)
    member = selectors.member_get(request.user, period, unit_pk)
    deny_unless(can(request.user, Action.MANAGE_SERVICES, member.unit))
    response = HttpResponse(blank_questionnaire_pdf(member), content_type="application/pdf")
    name = slugify(f"kuesioner-skm-{member.unit.short_name or member.unit.name}-{period.name}")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


# --- kiosk -------------------------------------------------------------------------------

KIOSK_MAX_BYTES = 8 * 1024


def _kiosk_or_refusal(token: str) -> tuple[Any, HttpResponse | None]:
    kiosk = selectors.kiosk_for_token(token)
    if kiosk is None:
        raise Http404
    if not kiosk.is_active:
        page = render_to_string("surveys/kiosk_revoked.html", {"unit": kiosk.unit})
        return kiosk, HttpResponse(page, status=403)
    return kiosk, None


def kiosk_page(request: HttpRequest, token: str) -> HttpResponse:
    """The counter tablet: the same questionnaire, full screen, resetting itself; kiosk.js
    queues answers in the browser while the network is down. Without JavaScript it still
    works as an ordinary form."""
    kiosk, refusal = _kiosk_or_refusal(token)
    if refusal:
        return refusal
    target = selectors.target_for_kiosk(kiosk)
    if target is None:
        return render(request, "surveys/public_closed.html", {"unit": kiosk.unit})
    form = _survey_form(request, target)
    if request.method == "POST" and form.is_valid():
        meta = _kiosk_meta(request, kiosk, None)
        stored = save_through_service(
            form,
            lambda: services.response_submit(
                target=target,
                answers=form.answers(),
                profile=form.profile(),
                meta=meta,
                extra=form.extra_answers(),
            ),
        )
        if stored:
            return redirect(f"{request.path}?terima=1")
    return render(
        request,
        "surveys/kiosk.html",
        {
            "form": form,
            "unit": kiosk.unit,
            "kiosk": kiosk,
            "period": target.period,
            "thanked": request.GET.get("terima") == "1",
            "endpoint": reverse("surveys:kiosk_submit", args=[token]),
        },
    )


# What a kiosk needs to show its form with no network: kept by its service worker.
KIOSK_ASSETS = (
    "css/survey.css",
    "js/kiosk.js",
    "img/favicon.svg",
    "img/face-1.svg",
    "img/face-2.svg",
    "img/face-3.svg",
    "img/face-4.svg",
)
KIOSK_SW_TEMPLATE = "surveys/kiosk_sw.js"


def _kiosk_assets_version(asset_urls: list[str]) -> str:
    """A digest of the assets (their addresses and bytes) and of the worker's own source: a
    deploy that changes any of them gives the worker a new cache, which replaces the old."""
    digest = hashlib.sha256("\n".join(asset_urls).encode())
    digest.update(get_template(KIOSK_SW_TEMPLATE).template.source.encode())  # type: ignore[attr-defined]
    for name in KIOSK_ASSETS:
        found = finders.find(name)
        if found:
            digest.update(Path(str(found)).read_bytes())
    return digest.hexdigest()[:16]


def kiosk_service_worker(request: HttpRequest) -> HttpResponse:
    """The kiosk's service worker, served under /kios/ so that its scope covers the kiosk pages
    and nothing else (a worker controls only pages under its own path). It holds no token."""
    asset_urls = [static(name) for name in KIOSK_ASSETS]
    scope = reverse("surveys:kiosk_service_worker").rsplit("/", 1)[0] + "/"
    config = {
        "version": _kiosk_assets_version(asset_urls),
        "assets": asset_urls,
        "scope": scope,
        "static": settings.STATIC_URL,
        "submit_suffix": "/kirim/",
    }
    response = render(
        request,
        KIOSK_SW_TEMPLATE,
        {"config": json.dumps(config)},
        content_type="text/javascript; charset=utf-8",
    )
    response["Cache-Control"] = "no-cache"  # a deploy must reach the tablets at once
    return response


def _json_error(status: int, message: str, fields: dict[str, Any] | None = None) -> JsonResponse:
    return JsonResponse({"error": message, "fields": fields or {}}, status=status)


@csrf_exempt  # the device token in the address authenticates the tablet; no cookie is used
@require_POST
def kiosk_submit(request: HttpRequest, token: str) -> JsonResponse:
    """JSON endpoint of the kiosk queue. A resent client_id answers 200 and stores nothing."""
    kiosk = selectors.kiosk_for_token(token)
    if kiosk is None:
        return _json_error(404, _("Perangkat kios tidak dikenal."))
    if not kiosk.is_active:
        return _json_error(403, _("Perangkat kios ini sudah dicabut."))
    if len(request.body) > KIOSK_MAX_BYTES:
        return _json_error(413, _("Kiriman terlalu besar."))
    try:
        payload = json.loads(request.body)
        client_id = strict_uuid(payload["client_id"])
    except (ValueError, KeyError, TypeError, RecursionError):
        return _json_error(400, _("Format kiriman tidak valid."))
    if client_id is None:
        return _json_error(
            400, _("Format kiriman tidak valid."), {"client_id": [_("Harus berupa UUID.")]}
        )
    # A resend after a lost reply: already counted, whatever happened since.
    if selectors.kiosk_answer_received(kiosk, client_id):
        return JsonResponse({"status": "duplicate"}, status=200)
    answered_at = _kiosk_answered_at(payload.get("answered_at"))
    target = selectors.target_for_kiosk(kiosk, answered_at)
    if target is None:
        return _json_error(409, _("Periode survei ini sudah ditutup."))
    try:
        form, unknown = json_survey_form(payload, target)
    except (ValueError, TypeError):
        return _json_error(400, _("Format kiriman tidak valid."))
    if unknown or not form.is_valid():
        fields = {"unknown": unknown} if unknown else form.errors.get_json_data()
        return _json_error(400, _("Jawaban tidak lengkap atau tidak valid."), fields)
    try:
        response = services.response_submit(
            target=target,
            answers=form.answers(),
            profile=form.profile(),
            meta=_kiosk_meta(request, kiosk, answered_at, client_id=client_id),
            extra=form.extra_answers(),
        )
    except services.PeriodClosed as error:  # closed since the target was read
        return _json_error(409, " ".join(error.messages))
    except ValidationError as error:
        return _json_error(400, " ".join(error.messages))
    if services.was_resent(response):  # its twin, sent at the same moment, stored it
        return JsonResponse({"status": "duplicate"}, status=200)
    return JsonResponse({"status": "stored", "id": response.pk}, status=201)


def _kiosk_meta(
    request: HttpRequest, kiosk: Any, answered_at: datetime | None, **fields: Any
) -> services.SubmissionMeta:
    """A kiosk answer's device (the tablet and its address) and its rate flag: more answers
    in one minute than people can give (settings.RATELIMITS["kiosk"]), counted by the minute
    the citizen answered, so a queue sent at once after an outage is not a burst."""
    ip = client_ip(request)
    limit, window = settings.RATELIMITS["kiosk"]
    moment = (answered_at or timezone.now()).timestamp()
    burst = ratelimit.count("kiosk", f"{kiosk.pk}:{ip}", window, at=moment) > limit
    return services.SubmissionMeta(ip=ip, over_rate_limit=burst, answered_at=answered_at, **fields)


KIOSK_QUEUE_DAYS = 14  # how old a queued answer may be; older tablet clocks are not believed


def _kiosk_answered_at(answered_at: Any) -> datetime | None:
    """When the tablet says the citizen answered, if that is believable (an ISO time with its
    zone, within the last two weeks); otherwise None (= now)."""
    try:
        moment = datetime.fromisoformat(str(answered_at))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    now = timezone.now()
    if not now - timedelta(days=KIOSK_QUEUE_DAYS) <= moment <= now + timedelta(minutes=5):
        return None
    return moment


@login_required
def kiosk_list(request: AuthedHttpRequest, unit_pk: int) -> HttpResponse:
    """The unit's tablets. A kiosk's address holds its token: it is shown once, on the page
    that answers its registration (or a rotation), to those who manage the unit; the list
    shows only its first characters (issue 11)."""
    unit = org_selectors.unit_get(request.user, unit_pk)
    can_manage = can(request.user, Action.MANAGE_SERVICES, unit)
    issued = None
    if request.method == "POST":
        deny_unless(can_manage)
        try:
            issued = _kiosk_action(request, unit)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        if issued is None:
            return redirect("surveys:kiosk_list", unit_pk=unit.pk)
    response = render(
        request,
        "surveys/kiosk_list.html",
        {
            "unit": unit,
            "kiosks": selectors.kiosks_of(request.user, unit.pk),
            "can_manage": can_manage,
            "issued": issued,
            "issued_url": (
                request.build_absolute_uri(reverse("surveys:kiosk", args=[issued.token]))
                if issued
                else ""
            ),
        },
    )
    add_never_cache_headers(response)  # never keep a page that may show a token
    return response


def _kiosk_action(request: AuthedHttpRequest, unit: Any) -> Any:
    """Revoke, rotate or register; the kiosk whose new token must be shown, if any."""
    chosen = next((name for name in ("revoke", "rotate") if request.POST.get(name)), "")
    if not chosen:
        kiosk = services.kiosk_register(
            unit=unit, name=request.POST.get("name", ""), actor=request.user
        )
        messages.success(request, _("Perangkat kios didaftarkan."))
        return kiosk
    kiosk = (
        selectors.kiosks_of(request.user, unit.pk).filter(pk=id_param(request.POST, chosen)).first()
    )
    if kiosk is None:
        raise Http404
    if request.POST.get("revoke"):
        services.kiosk_revoke(kiosk=kiosk, actor=request.user)
        messages.success(request, _("Perangkat kios dicabut."))
        return None
    services.kiosk_rotate(kiosk=kiosk, actor=request.user)
    messages.success(request, _("Alamat kios baru dibuat; alamat lama tidak berlaku lagi."))
    return kiosk


# --- follow-up: RTL and FKP -----------------------------------------------------------------


@login_required
def follow_up(request: AuthedHttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    """The unit's follow-up plan (RTL) for the weakest unsur and its public consultations."""
    period = selectors.period_get(request.user, pk)
    member = selectors.member_get(request.user, period, unit_pk)
    can_edit = can(request.user, Action.MANAGE_SERVICES, member.unit)
    result = selectors.unit_result(period, member)
    lowest = [code for code, _v in result.lowest]
    rtl_form: Any = RtlForm(initial={"unsur": lowest[0] if lowest else None})
    fkp_form: Any = FkpForm()
    if request.method == "POST":
        deny_unless(can_edit)
        action = request.POST.get("action")
        if action == "carry":
            copied = services.rtl_carry_over(period=period, unit=member.unit, actor=request.user)
            messages.success(
                request,
                _("%(n)s rencana yang belum selesai dibawa ke periode ini.") % {"n": copied},
            )
            return redirect(request.path)
        bound = RtlForm(request.POST) if action == "rtl" else FkpForm(request.POST)
        if bound.is_valid():
            save = services.rtl_save if action == "rtl" else services.fkp_record
            save(period=period, unit=member.unit, actor=request.user, **bound.cleaned_data)
            messages.success(request, _("Tersimpan."))
            return redirect(request.path)
        rtl_form, fkp_form = (bound, fkp_form) if action == "rtl" else (rtl_form, bound)
    return render(
        request,
        "surveys/follow_up.html",
        {
            "period": period,
            "member": member,
            "can_edit": can_edit,
            "lowest": result.lowest,
            "items": selectors.rtl_items(period, member.unit_id),
            "fkps": selectors.fkp_records(period, member.unit_id),
            "rtl_form": rtl_form,
            "fkp_form": fkp_form,
        },
    )


@login_required
def rtl_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    item = selectors.rtl_item_get(request.user, pk)
    deny_unless(can(request.user, Action.MANAGE_SERVICES, item.unit))
    form = RtlForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        fresh = selectors.rtl_item_get(request.user, pk)
        services.rtl_save(
            period=fresh.period,
            unit=fresh.unit,
            actor=request.user,
            item=fresh,
            **form.cleaned_data,
        )
        messages.success(request, _("Tersimpan."))
        return redirect("surveys:follow_up", pk=item.period_id, unit_pk=item.unit_id)
    return render(
        request,
        "organisations/form.html",
        {"form": form, "title": _("Rencana tindak lanjut — %(u)s") % {"u": item.unit}},
    )


@login_required
def population_import(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    period = selectors.period_get(request.user, pk)
    deny_unless(can(request.user, Action.MANAGE_UNITS, period.pemda))
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = queue_import(
            request, form, kind="populasi", pemda=period.pemda, params={"period": period.pk}
        )
        if job is not None:
            return redirect("organisations:import_job", pk=job.pk)
    return render(request, "surveys/population_import.html", {"period": period, "form": form})


@login_required
def link_poster_pdf(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    from mutu.reports.skm_pdf import poster_pdf

    link = _link_for_staff(request, pk)
    size = "A5" if request.GET.get("ukuran") == "a5" else "A4"
    content = poster_pdf(link=link, url=public_url(request, link), size=size)
    response = HttpResponse(content, content_type="application/pdf")
    name = slugify(f"poster-skm-{link.unit.short_name or link.unit.name}-{size}")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response
