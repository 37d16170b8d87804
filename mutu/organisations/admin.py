from typing import Any

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import BadRequest, FieldError, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from import_export import fields, resources
from import_export.admin import ImportExportModelAdmin
from import_export.widgets import ForeignKeyWidget
from simple_history.admin import SimpleHistoryAdmin

from mutu.organisations.models import Holiday, Membership, Pemda, Region, Service, Unit


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin[Region]):
    list_display = ["code", "name", "level", "timezone"]
    list_filter = ["level", "timezone"]
    search_fields = ["code", "name"]
    readonly_fields = ["parent"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # regions come from `manage.py import_regions`, never typed by hand


@admin.register(Pemda)
class PemdaAdmin(SimpleHistoryAdmin):
    list_display = ["name", "region", "timezone", "is_demo"]
    search_fields = ["name", "region__code"]
    autocomplete_fields = ["region"]


class UnitResource(resources.ModelResource):
    pemda = fields.Field(
        attribute="pemda",
        column_name="pemda_kode",
        widget=ForeignKeyWidget(Pemda, field="region__code"),
    )

    class Meta:
        model = Unit
        fields = [
            "id",
            "pemda",
            "name",
            "short_name",
            "kind",
            "parent",
            "address",
            "latitude",
            "longitude",
            "head_name",
            "head_title",
            "phone",
            "email",
            "is_active",
        ]

    def after_save_instance(self, instance, row, **kwargs):  # type: ignore[no-untyped-def]
        from mutu.organisations.services import unit_save_path

        unit_save_path(instance)


class ImportExportAdmin(ImportExportModelAdmin):
    """django-import-export's admin, with junk in the export page's query string (a filter on
    a field that does not exist) a 400 instead of a 500: the changelist itself redirects with
    ?e=1, the export view did not catch it."""

    def get_export_queryset(self, request: HttpRequest) -> Any:
        try:
            queryset = super().get_export_queryset(request)
            queryset.exists()  # an unknown lookup fails only when the query is built
        except (IncorrectLookupParameters, FieldError, ValidationError, ValueError) as error:
            raise BadRequest(_("Filter ekspor tidak valid.")) from error
        return queryset


@admin.register(Unit)
class UnitAdmin(ImportExportAdmin, SimpleHistoryAdmin):
    resource_classes = [UnitResource]
    list_display = ["name", "short_name", "kind", "pemda", "is_active"]
    list_filter = ["kind", "is_active", "pemda"]
    search_fields = ["name", "short_name"]
    list_select_related = ["pemda"]
    autocomplete_fields = ["parent"]


class ServiceResource(resources.ModelResource):
    class Meta:
        model = Service
        fields = ["id", "unit", "name", "description", "is_online", "is_active"]


@admin.register(Service)
class ServiceAdmin(ImportExportAdmin, SimpleHistoryAdmin):
    resource_classes = [ServiceResource]
    list_display = ["name", "unit", "is_online", "is_active"]
    list_filter = ["is_online", "is_active", "unit__pemda"]
    search_fields = ["name", "unit__name"]
    list_select_related = ["unit"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "pemda", "unit"]
    list_filter = ["role", "pemda"]
    search_fields = ["user__email", "user__full_name"]
    autocomplete_fields = ["user", "unit"]


@admin.register(Holiday)
class HolidayAdmin(SimpleHistoryAdmin):
    list_display = ["date", "name", "kind", "pemda"]
    list_filter = ["kind", "pemda"]
    date_hierarchy = "date"
