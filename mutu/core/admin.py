from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from mutu.core.models import DomainEvent, User


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    ordering = ["email"]
    list_display = ["email", "full_name", "job_title", "is_active", "is_staff", "is_demo"]
    list_filter = ["is_active", "is_staff", "is_superuser", "is_demo"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profil"), {"fields": ("full_name", "job_title", "is_demo")}),
        (_("Hak akses"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Waktu"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),
    )


@admin.register(DomainEvent)
class DomainEventAdmin(admin.ModelAdmin[DomainEvent]):
    """The audit log: read-only, filterable by action, Pemda, object type and date."""

    list_display = ["at", "actor", "verb", "object_repr", "pemda"]
    list_filter = ["verb", "pemda", "object_type", ("at", admin.DateFieldListFilter)]
    search_fields = ["verb", "object_repr", "actor__email"]
    date_hierarchy = "at"
    list_select_related = ["actor", "pemda"]
    readonly_fields = [f.name for f in DomainEvent._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
