"""The citizen's pages: the questionnaire behind a QR code, the thanks page, published results."""

import hashlib
import uuid
from dataclasses import replace
from typing import Any

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from mutu.core.http import save_through_service
from mutu.core.intake import honeypot, pow
from mutu.core.intake.meta import SubmissionMeta
from mutu.core.params import strict_uuid
from mutu.core.ratelimit import client_ip
from mutu.surveys import selectors, services
from mutu.surveys.forms import SurveyForm
from mutu.surveys.models import Response, SurveyLink


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
    form = survey_form_for(request, target)
    ip = client_ip(request)
    limits = services.PUBLIC_LIMITS
    # Counted apart (mutu.core.intake.admission): a valid form in the address's and the link's
    # buckets, a form with errors in the junk bucket, so that junk never turns away answers.
    if form.is_valid():
        admitted = limits.admit(link.pk, ip)
        if not admitted.admitted:
            return _too_many(request)
        # Checked only for a valid form, so that a proof is not spent on a form with errors.
        proof = pow.judge(request.POST.get(pow.FIELD_NAME, ""))
        meta = SubmissionMeta.from_request(
            request,
            honeypot=honeypot.trap_value(form),
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
    elif not limits.count_junk(ip):
        return _too_many(request)
    context = _form_context(form, link, target, channel)
    context["pow_challenge"] = limits.challenge(ip)
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


def survey_form_for(request: HttpRequest, target: services.SurveyTarget) -> SurveyForm:
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
        context = _form_context(survey_form_for(request, target), link, target, channel)
        html = render_to_string("surveys/public_form.html", {**context, **placeholders}, request)
        cache.set(key, html, timeout=3600)
    page = html.replace(CSRF_PLACEHOLDER, get_token(request))
    challenge = services.PUBLIC_LIMITS.challenge(client_ip(request))
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
