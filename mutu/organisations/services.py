"""Every write to organisations: validated, in a transaction, with a DomainEvent."""

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from mutu.core.access import can, require
from mutu.core.events import record_event, save_recorded
from mutu.core.models import User
from mutu.core.roles import Role
from mutu.organisations.actions import OrgAction
from mutu.organisations.events import OrgEvent
from mutu.organisations.models import (
    Holiday,
    Invitation,
    Membership,
    Pemda,
    Region,
    Service,
    Unit,
)


def _save_changes(instance: Any, fields: dict[str, Any]) -> dict[str, list[str]]:
    """Apply, validate and save field values; return {field: [before, after]} for the audit."""
    changes = {
        name: [str(getattr(instance, name)), str(value)]
        for name, value in fields.items()
        if getattr(instance, name) != value
    }
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    return changes


def pemda_create(
    *, region: Region, name: str = "", actor: User | None = None, **fields: Any
) -> Pemda:
    if region.level == Region.Level.KECAMATAN:
        raise ValueError("a Pemda is a provinsi, kabupaten or kota")
    with transaction.atomic():
        pemda = Pemda(region=region, name=name or _pemda_name(region), **fields)
        save_recorded(pemda, actor=actor, verb=OrgEvent.PEMDA_CREATED, pemda=pemda)
    return pemda


def pemda_update(*, pemda: Pemda, actor: User | None, **fields: Any) -> Pemda:
    require(actor, OrgAction.MANAGE_UNITS, pemda)
    with transaction.atomic():
        changes = _save_changes(pemda, fields)
        if changes:
            record_event(
                actor=actor,
                verb=OrgEvent.PEMDA_UPDATED,
                obj=pemda,
                pemda=pemda,
                data={"changes": changes},
            )
    return pemda


def _pemda_name(region: Region) -> str:
    if region.level == Region.Level.PROVINSI:
        return f"Pemerintah Provinsi {region.name}"
    return f"Pemerintah {region.name}"


def unit_save_path(unit: Unit) -> None:
    """Recompute the materialised path of a unit and its whole subtree after a move."""
    prefix = unit.parent.path if unit.parent is not None else ""
    new_path = f"{prefix}{unit.pk}/"
    if new_path == unit.path:
        return
    old_path = unit.path
    Unit.objects.filter(pk=unit.pk).update(path=new_path)
    unit.path = new_path
    if old_path:
        for child in Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk):
            Unit.objects.filter(pk=child.pk).update(path=new_path + child.path[len(old_path) :])


def unit_create(*, pemda: Pemda, actor: User | None, **fields: Any) -> Unit:
    require(actor, OrgAction.MANAGE_UNITS, pemda)
    with transaction.atomic():
        unit = Unit(pemda=pemda, **fields)
        unit.full_clean()
        unit.save()
        unit_save_path(unit)
        record_event(
            actor=actor, verb=OrgEvent.UNIT_CREATED, obj=unit, pemda=pemda, data={"kind": unit.kind}
        )
    return unit


def unit_update(*, unit: Unit, actor: User | None, **fields: Any) -> Unit:
    require(actor, OrgAction.EDIT_UNIT, unit)
    if "parent" in fields and not can_move_unit(actor, unit):
        raise PermissionDenied(_("Hanya admin Pemda yang dapat memindahkan unit."))
    with transaction.atomic():
        changes = _save_changes(unit, fields)
        unit_save_path(unit)
        if changes:
            record_event(
                actor=actor,
                verb=OrgEvent.UNIT_UPDATED,
                obj=unit,
                pemda=unit.pemda,
                data={"changes": changes},
            )
    return unit


def can_move_unit(actor: User | None, unit: Unit) -> bool:
    return actor is None or can(actor, OrgAction.MANAGE_UNITS, unit.pemda)


def service_create(*, unit: Unit, actor: User | None, **fields: Any) -> Service:
    require(actor, OrgAction.MANAGE_SERVICES, unit)
    with transaction.atomic():
        service = Service(unit=unit, **fields)
        save_recorded(
            service,
            actor=actor,
            verb=OrgEvent.SERVICE_CREATED,
            pemda=unit.pemda,
            data={"unit": unit.pk},
        )
    return service


def service_update(*, service: Service, actor: User | None, **fields: Any) -> Service:
    require(actor, OrgAction.MANAGE_SERVICES, service)
    with transaction.atomic():
        changes = _save_changes(service, fields)
        if changes:
            record_event(
                actor=actor,
                verb=OrgEvent.SERVICE_UPDATED,
                obj=service,
                pemda=service.unit.pemda,
                data={"changes": changes},
            )
    return service


# Roles a Pemda admin may hand out inside its own Pemda; the others only a platform admin.
ROLES_A_PEMDA_ADMIN_GRANTS = frozenset(
    {Role.PEMDA_ADMIN, Role.INSPECTOR, Role.UNIT_HEAD, Role.UNIT_OPERATOR, Role.EVALUATOR}
)


def _require_grant_right(actor: User | None, role: str, pemda: Pemda | None) -> None:
    if actor is None or actor.is_superuser:
        return
    if pemda is None or role not in ROLES_A_PEMDA_ADMIN_GRANTS:
        raise PermissionDenied(_("Anda tidak berwenang memberi peran ini."))
    require(actor, OrgAction.MANAGE_MEMBERS, pemda)


def membership_grant(
    *,
    user: User,
    role: str,
    actor: User | None,
    pemda: Pemda | None = None,
    unit: Unit | None = None,
) -> Membership:
    """Give a user a role; granting one already held changes nothing and returns it."""
    target_pemda = unit.pemda if unit else pemda
    _require_grant_right(actor, role, target_pemda)
    existing = Membership.objects.filter(user=user, role=role, unit=unit, pemda=target_pemda)
    if existing.exists():
        return existing.get()
    with transaction.atomic():
        membership = Membership(user=user, role=role, unit=unit, pemda=target_pemda)
        save_recorded(
            membership,
            actor=actor,
            verb=OrgEvent.MEMBERSHIP_GRANTED,
            pemda=target_pemda,
            data={"user": user.email, "role": role, "unit": unit.pk if unit else None},
        )
    return membership


def membership_revoke(*, membership: Membership, actor: User | None) -> None:
    _require_grant_right(actor, membership.role, membership.pemda)
    if actor is not None and membership.user_id == actor.pk and membership.role == Role.PEMDA_ADMIN:
        raise ValidationError(_("Anda tidak dapat mencabut peran admin Anda sendiri."))
    with transaction.atomic():
        record_event(
            actor=actor,
            verb=OrgEvent.MEMBERSHIP_REVOKED,
            obj=membership,
            pemda=membership.pemda,
            data={"user": membership.user.email, "role": membership.role},
        )
        membership.delete()


def member_invite(
    *,
    pemda: Pemda,
    email: str,
    full_name: str,
    role: str,
    actor: User | None,
    unit: Unit | None = None,
    invite_url_maker: Any = None,
    invitations_url: str = "",
) -> Membership | Invitation:
    """Add a person to a Pemda with a role.

    A new account is created with the role and gets an email to set its password; an account that
    already works in this Pemda gets the role at once. Any other existing account (another Pemda,
    a national viewer) only gets an invitation: the role starts when its owner accepts it. The
    caller says the same thing in every case, so the form reveals no name."""
    if unit is not None and unit.pemda_id != pemda.pk:
        raise ValidationError({"unit": _("Unit harus berada di Pemda ini.")})
    _require_grant_right(actor, role, pemda)
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first()
        if user is not None and not Membership.objects.filter(user=user, pemda=pemda).exists():
            return _invitation_create(
                user=user, pemda=pemda, unit=unit, role=role, actor=actor, url=invitations_url
            )
        created = user is None
        if user is None:
            user = User(email=email.lower(), full_name=full_name)
            user.set_unusable_password()
            user.full_clean()
            user.save()
        membership = membership_grant(user=user, role=role, actor=actor, pemda=pemda, unit=unit)
        if created and invite_url_maker is not None:
            _send_invitation(user, pemda, invite_url_maker(user))
    return membership


INVITATION_VALID_FOR = timedelta(days=14)


def _invitation_create(
    *, user: User, pemda: Pemda, unit: Unit | None, role: str, actor: User | None, url: str
) -> Invitation:
    # The same checks as a membership (a unit role needs a unit...), so the form's errors do not
    # depend on whether the address has an account.
    Membership(user=user, role=role, pemda=pemda, unit=unit).clean()
    pending = invitations_open().filter(user=user, pemda=pemda, unit=unit, role=role).first()
    if pending is not None:  # asked twice: one invitation, one email
        return pending
    invitation = Invitation.objects.create(
        user=user, pemda=pemda, unit=unit, role=role, invited_by=actor
    )
    record_event(
        actor=actor,
        verb=OrgEvent.INVITATION_CREATED,
        obj=invitation,
        pemda=pemda,
        data={"user": user.email, "role": role, "unit": unit.pk if unit else None},
    )
    _send_role_offer(invitation, url)
    return invitation


def invitations_open() -> QuerySet[Invitation]:
    """Pending invitations that have not expired."""
    since = timezone.now() - INVITATION_VALID_FOR
    return Invitation.objects.filter(status=Invitation.Status.PENDING, created_at__gte=since)


def invitation_accept(*, invitation: Invitation, actor: User) -> Membership:
    """The invited person takes the role. The inviter's right is checked again: an invitation
    from someone who has since lost the right to give that role gives nothing."""
    with transaction.atomic():
        invitation = _open_invitation_of(actor, invitation.pk)
        try:
            membership = membership_grant(
                user=actor,
                role=invitation.role,
                actor=invitation.invited_by,
                pemda=invitation.pemda,
                unit=invitation.unit,
            )
        except PermissionDenied as error:
            raise ValidationError(_("Undangan ini sudah tidak berlaku.")) from error
        _answer(invitation, actor, Invitation.Status.ACCEPTED, OrgEvent.INVITATION_ACCEPTED)
    return membership


def invitation_decline(*, invitation: Invitation, actor: User) -> None:
    with transaction.atomic():
        invitation = _open_invitation_of(actor, invitation.pk)
        _answer(invitation, actor, Invitation.Status.DECLINED, OrgEvent.INVITATION_DECLINED)


def _open_invitation_of(actor: User, pk: int) -> Invitation:
    invitation = (
        invitations_open()
        .select_for_update(of=("self",))  # the invitation row only (its unit may be NULL)
        .filter(pk=pk, user=actor)
        .select_related("pemda", "unit", "invited_by")
        .first()
    )
    if invitation is None:
        raise ValidationError(_("Undangan ini sudah tidak berlaku."))
    return invitation


def _answer(invitation: Invitation, actor: User, status: str, verb: OrgEvent) -> None:
    invitation.status = status
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "responded_at", "updated_at"])
    record_event(
        actor=actor,
        verb=verb,
        obj=invitation,
        pemda=invitation.pemda,
        data={"role": invitation.role, "unit": invitation.unit_id},
    )


def _send_role_offer(invitation: Invitation, url: str) -> None:
    from mutu.core.tasks import send_email

    body = _(
        "Yth. %(name)s,\n\nAnda diundang bergabung di mutu untuk %(pemda)s sebagai %(role)s. "
        "Peran ini baru berlaku setelah Anda menerimanya. Masuk ke mutu, lalu terima atau tolak "
        "undangan di:\n\n%(url)s\n\nAbaikan email ini bila Anda tidak mengenal undangan ini.\n"
    ) % {
        "name": invitation.user.full_name or invitation.user.email,
        "pemda": invitation.pemda.name,
        "role": invitation.get_role_display(),
        "url": url,
    }
    to = [invitation.user.email]
    subject = _("Undangan peran di mutu — %(pemda)s") % {"pemda": invitation.pemda.name}
    transaction.on_commit(lambda: send_email.enqueue(subject=subject, body=body, to=to))


def _send_invitation(user: User, pemda: Pemda, url: str) -> None:
    from mutu.core.tasks import send_email

    body = _(
        "Yth. %(name)s,\n\nAnda telah didaftarkan di mutu untuk %(pemda)s. Buat kata sandi Anda "
        "melalui tautan berikut (berlaku terbatas):\n\n%(url)s\n"
    ) % {"name": user.full_name, "pemda": pemda.name, "url": url}
    transaction.on_commit(
        lambda: send_email.enqueue(
            subject=_("Undangan ke mutu — %(pemda)s") % {"pemda": pemda.name},
            body=body,
            to=[user.email],
        )
    )


def holiday_save(
    *,
    actor: User | None,
    pemda: Pemda | None,
    day: date,
    name: str,
    kind: str,
    holiday: Holiday | None = None,
) -> Holiday:
    """Create or correct a holiday. National days (pemda=None) are for platform admins only."""
    if pemda is None:
        if actor is not None and not actor.is_superuser:
            raise PermissionDenied(_("Hanya admin platform yang dapat mengubah libur nasional."))
    else:
        require(actor, OrgAction.MANAGE_CALENDAR, pemda)
    with transaction.atomic():
        target = holiday or Holiday(pemda=pemda)
        before = {"date": str(target.date), "name": target.name} if holiday else None
        target.date, target.name, target.kind = day, name, kind
        save_recorded(
            target,
            actor=actor,
            verb=OrgEvent.HOLIDAY_SAVED,
            pemda=pemda,
            data={"before": before, "date": day.isoformat(), "name": name},
        )
    return target


def holiday_delete(*, actor: User | None, holiday: Holiday) -> None:
    if holiday.pemda is None:
        if actor is not None and not actor.is_superuser:
            raise PermissionDenied(_("Hanya admin platform yang dapat mengubah libur nasional."))
    else:
        require(actor, OrgAction.MANAGE_CALENDAR, holiday.pemda)
    with transaction.atomic():
        record_event(
            actor=actor,
            verb=OrgEvent.HOLIDAY_DELETED,
            obj=holiday,
            pemda=holiday.pemda,
            data={"date": holiday.date.isoformat(), "name": holiday.name},
        )
        holiday.delete()
