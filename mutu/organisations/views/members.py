"""The people of a Pemda: their roles, invitations to a role, and taking a role back."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutu.core.access import CoreAction, can
from mutu.core.http import AuthedHttpRequest, form_page, run_with_message
from mutu.core.permissions import deny_unless
from mutu.core.roles import Role
from mutu.organisations import selectors, services
from mutu.organisations.actions import OrgAction
from mutu.organisations.forms import MemberInviteForm
from mutu.organisations.permissions import memberships_visible_to


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
