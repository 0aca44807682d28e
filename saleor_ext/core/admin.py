"""Back-office building blocks: who may see and change what in the Django admin.

Two kinds of user reach the back-office (``/dashboard/``):

- federation staff (superuser or ``vendor.manage_vendors``) see and change everything;
- vendor staff see and change only their member shop's data, which every vendor-scoped admin
  finds through its ``vendor_path`` (e.g. ``"product__vendor"``).

Scoping is enforced in four places so that no door is left open: the changelist queryset,
per-object permissions, object URLs (404 outside the scope) and the choices offered by
foreign-key and many-to-many fields (dropdowns, raw-id lookups, autocompletes).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets, get_fields_from_path
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils.functional import cached_property

from saleor_ext.core import backoffice
from saleor_ext.core.rich_text import editorjs_from_text, text_from_editorjs

admin.site.site_header = "Reuse marketplace back-office"
admin.site.site_title = "Reuse marketplace"
admin.site.index_title = "Back-office"

# Related models whose choices vendor staff only get for their own vendors: the path from the
# model to its vendor id, and whether rows without a vendor are shared (the marketplace channel).
VENDOR_OWNED_RELATIONS: dict[str, tuple[str, bool]] = {
    "vendor.vendor": ("pk", False),
    "channel.channel": ("vendor", True),
    "product.product": ("vendor", False),
    "product.productvariant": ("vendor", False),
    "product.productmedia": ("product__vendor", False),
    "warehouse.warehouse": ("vendor", False),
    "warehouse.stock": ("warehouse__vendor", False),
    "shipping.shippingzone": ("vendor", False),
}


def _superuser_scope(user) -> list[int] | None:
    return None if user.is_active and user.is_superuser else []


# Which member shops a user works for (``None``: all of them). The vendor app, above core, says
# so when it is ready (``set_vendor_scope``); until then only a superuser sees anything.
_vendor_scope: Callable[[Any], list[int] | None] = _superuser_scope


def set_vendor_scope(scope: Callable[[Any], list[int] | None]) -> None:
    global _vendor_scope
    _vendor_scope = scope


def request_vendor_ids(request: HttpRequest) -> list[int] | None:
    """The vendors the request's user works for (``None``: all of them), computed once per request."""
    if not hasattr(request, "_vendor_ids"):
        request._vendor_ids = _vendor_scope(request.user)
    return request._vendor_ids


def request_is_federation(request: HttpRequest) -> bool:
    return request_vendor_ids(request) is None


def scope_q(path: str, vendor_ids: list[int], shared_when_null: bool = False) -> Q:
    lookup = "pk__in" if path == "pk" else f"{path}__in"
    condition = Q(**{lookup: vendor_ids})
    if shared_when_null:
        condition |= Q(**{f"{path}__isnull": True})
    return condition


def limit_to_vendors(queryset: QuerySet, request: HttpRequest) -> QuerySet:
    """Restrict choices of a vendor-owned model to the request user's vendors."""
    rule = VENDOR_OWNED_RELATIONS.get(queryset.model._meta.label_lower)
    vendor_ids = request_vendor_ids(request)
    if rule is None or vendor_ids is None:
        return queryset
    path, shared_when_null = rule
    return queryset.filter(scope_q(path, vendor_ids, shared_when_null))


class VendorChoicesMixin:
    """Limit foreign-key and many-to-many choices to the user's vendors (admins and inlines)."""

    def _related_queryset(self, db_field, request, kwargs) -> QuerySet:
        queryset = kwargs.get("queryset")
        if queryset is None:
            queryset = self.get_field_queryset(kwargs.get("using"), db_field, request)
        if queryset is None:
            queryset = db_field.remote_field.model._default_manager.using(kwargs.get("using"))
        return limit_to_vendors(queryset.complex_filter(db_field.get_limit_choices_to()), request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs["queryset"] = self._related_queryset(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.remote_field.through._meta.auto_created:
            kwargs["queryset"] = self._related_queryset(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class BackofficeExtensionsMixin:
    """A core ModelAdmin shows what plugins declared for its model (``core/backoffice.py``):
    their inlines at ``plugin_inlines_at`` among its own (``None``: after them) and their
    read-only lines at the end of its first section."""

    plugin_inlines_at: int | None = None

    def get_inlines(self, request, obj):
        own = list(super().get_inlines(request, obj))
        at = len(own) if self.plugin_inlines_at is None else self.plugin_inlines_at
        return [*own[:at], *backoffice.inlines_for(self.model), *own[at:]]

    def _page_fields(self) -> list[backoffice.PageField]:
        # Inlines share these mixins; the lines belong to the model's own page only.
        return backoffice.page_fields_for(self.model) if isinstance(self, admin.ModelAdmin) else []

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *self._page_fields()]

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        shown = flatten_fieldsets(fieldsets)
        extra = [field for field in self._page_fields() if field not in shown]
        if not extra:  # none, or already in the default fieldset built from the read-only fields
            return fieldsets
        (title, options), *rest = fieldsets
        return [(title, {**options, "fields": [*options["fields"], *extra]}), *rest]


class VendorScopedAdminMixin(BackofficeExtensionsMixin, VendorChoicesMixin):
    """A ModelAdmin whose rows belong to a vendor, reached from the model by ``vendor_path``.

    ``vendor_field`` names the form field that picks the vendor (``"vendor"`` on Product and
    Warehouse); vendor staff of a single shop never see it, it is set to their shop.
    """

    vendor_path: str = "vendor"
    vendor_field: str | None = None

    # -- scoping -------------------------------------------------------------------
    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        vendor_ids = request_vendor_ids(request)
        if vendor_ids is None:
            return queryset
        return queryset.filter(scope_q(self.vendor_path, vendor_ids))

    def owns(self, request: HttpRequest, obj: Model | None) -> bool:
        vendor_ids = request_vendor_ids(request)
        if obj is None or vendor_ids is None or obj.pk is None:
            return True
        return type(obj)._default_manager.filter(scope_q(self.vendor_path, vendor_ids), pk=obj.pk).exists()

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # Another vendor's object answers exactly as a missing one: nothing leaks.
            raise Http404("No such object.")
        return obj

    # -- permissions ---------------------------------------------------------------
    def has_module_permission(self, request):
        return request_is_federation(request) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        if request_is_federation(request):
            return True
        return super().has_view_permission(request, obj) and self.owns(request, obj)

    def has_add_permission(self, request, *args):
        if request_is_federation(request):
            return True
        return bool(request_vendor_ids(request)) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        if request_is_federation(request):
            return True
        return super().has_change_permission(request, obj) and self.owns(request, obj)

    def has_delete_permission(self, request, obj=None):
        if request_is_federation(request):
            return True
        return super().has_delete_permission(request, obj) and self.owns(request, obj)

    # -- the vendor field ----------------------------------------------------------
    def single_vendor_id(self, request: HttpRequest) -> int | None:
        vendor_ids = request_vendor_ids(request)
        return vendor_ids[0] if vendor_ids is not None and len(vendor_ids) == 1 else None

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        if self.vendor_field and self.single_vendor_id(request) is not None:
            exclude.append(self.vendor_field)
        return exclude

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if self.vendor_field and self.single_vendor_id(request) is not None:
            fields = [f for f in fields if f != self.vendor_field]
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not (self.vendor_field and self.single_vendor_id(request) is not None):
            return fieldsets
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != self.vendor_field]})
            for name, options in fieldsets
        ]

    def save_form(self, request, form, change):
        obj = super().save_form(request, form, change)
        vendor_id = self.single_vendor_id(request)
        if self.vendor_field and vendor_id is not None:
            # Forced before inlines validate, so they see the product's real vendor.
            setattr(obj, f"{self.vendor_field}_id", vendor_id)
        return obj

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        vendor_ids = request_vendor_ids(request)
        if vendor_ids is not None and len(vendor_ids) <= 1:
            filters = [f for f in filters if not (isinstance(f, type) and issubclass(f, VendorListFilter))]
        return filters


class VendorScopedInlineMixin(VendorChoicesMixin):
    """An inline of a vendor-scoped admin: its rows are scoped like the parent's."""

    vendor_path: str = "vendor"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        vendor_ids = request_vendor_ids(request)
        if vendor_ids is None:
            return queryset
        return queryset.filter(scope_q(self.vendor_path, vendor_ids))

    def _federation_or(self, request, allowed: bool) -> bool:
        return request_is_federation(request) or allowed

    def has_view_permission(self, request, obj=None):
        return self._federation_or(request, super().has_view_permission(request, obj))

    def has_add_permission(self, request, obj=None):
        return self._federation_or(request, super().has_add_permission(request, obj))

    def has_change_permission(self, request, obj=None):
        return self._federation_or(request, super().has_change_permission(request, obj))

    def has_delete_permission(self, request, obj=None):
        return self._federation_or(request, super().has_delete_permission(request, obj))


class GlobalDataAdminMixin(BackofficeExtensionsMixin, VendorChoicesMixin):
    """Shared reference data (categories, channels, grading schemes…): only federation staff change it.

    Viewing follows the user's Django permissions, so vendor staff may be allowed to browse it
    read-only; adding, changing and deleting are refused to them whatever their permissions.
    """

    def has_module_permission(self, request):
        return request_is_federation(request) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return request_is_federation(request) or super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return request_is_federation(request)

    def has_change_permission(self, request, obj=None):
        return request_is_federation(request)

    def has_delete_permission(self, request, obj=None):
        return request_is_federation(request)


class FederationOnlyAdminMixin(GlobalDataAdminMixin):
    """Data only federation staff may even see: users, addresses, plugin configuration."""

    def has_module_permission(self, request):
        return request_is_federation(request)

    def has_view_permission(self, request, obj=None):
        return request_is_federation(request)


class VendorListFilter(admin.SimpleListFilter):
    """Filter by vendor, offering only the vendors the user works for."""

    title = "vendor"
    parameter_name = "vendor"
    vendor_path = "vendor"

    def lookups(self, request, model_admin):
        # The vendor model is the end of the path: the core reaches it without importing the vendor app.
        model = model_admin.model
        if self.vendor_path != "pk":
            model = get_fields_from_path(model, self.vendor_path)[-1].related_model
        vendors = model._default_manager.all()
        vendor_ids = request_vendor_ids(request)
        if vendor_ids is not None:
            vendors = vendors.filter(pk__in=vendor_ids)
        return [(str(vendor.pk), vendor.name) for vendor in vendors.only("pk", "name")]

    def queryset(self, request, queryset):
        value = self.value()
        if not value or not value.isdigit():
            return queryset
        return queryset.filter(**{f"{self.vendor_path}_id" if self.vendor_path != "pk" else "pk": int(value)})


def vendor_list_filter(path: str) -> type[VendorListFilter]:
    """A VendorListFilter for models reaching their vendor through ``path``."""
    return type(f"VendorListFilter_{path}", (VendorListFilter,), {"vendor_path": path})


class DescriptionFormMixin(forms.ModelForm):
    """Edit an Editor.js ``description`` as plain text; keeps ``description_plaintext`` in step when present."""

    description_text = forms.CharField(label="Description", required=False, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.fields["description_text"].initial = text_from_editorjs(self.instance.description)

    def save(self, commit=True):
        if "description_text" in self.changed_data:
            text = self.cleaned_data.get("description_text") or ""
            self.instance.description = editorjs_from_text(text)
            if hasattr(self.instance, "description_plaintext"):
                self.instance.description_plaintext = text
        return super().save(commit)


class LargeTablePaginator(Paginator):
    """Counts an unfiltered changelist from PostgreSQL's statistics instead of a COUNT(*).

    On a million products the exact count costs more than the page itself; the estimate is only
    used beyond ``EXACT_BELOW`` rows, where no one reads the last digit.
    """

    EXACT_BELOW = 100_000

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if isinstance(queryset, QuerySet) and not queryset.query.where and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [queryset.model._meta.db_table]
                )
                row = cursor.fetchone()
            if row and row[0] >= self.EXACT_BELOW:
                return row[0]
        return super().count
