"""Back-office for member shops: federation staff onboard them, vendor staff keep their own page."""

from __future__ import annotations

from django.contrib import admin
from django.forms.models import BaseInlineFormSet

from saleor_ext.account.admin import ADDRESS_FIELDSET, EmbeddedAddressFormMixin
from saleor_ext.account.models import User
from saleor_ext.core import backoffice
from saleor_ext.core.admin import FederationOnlyAdminMixin, VendorScopedAdminMixin, request_is_federation

from .models import Vendor, VendorStaff
from .services import vendor_create, vendor_staff_add, vendor_update

# What the federation decides for a shop; its staff see these values but cannot change them.
FEDERATION_FIELDS = ("slug", "commission_rate", "status", "stripe_account_id", "vat_exempt", "private_metadata")
# Columns Vendor.objects.create() fills by itself.
GENERATED_FIELDS = {"id", "created_at", "updated_at"}


class MembershipFormSet(BaseInlineFormSet):
    """Memberships go through ``vendor_staff_add``: it also opens the back-office to the user."""

    def save(self, commit=True):
        memberships = super().save(commit=False)
        for membership in self.deleted_objects:
            membership.delete()
        for membership in memberships:
            vendor_staff_add(vendor=membership.vendor, user=membership.user, role=membership.role)
        return memberships


class VendorStaffInline(FederationOnlyAdminMixin, admin.TabularInline):
    model = VendorStaff
    formset = MembershipFormSet
    extra = 0
    autocomplete_fields = ("user",)


class UserMembershipInline(FederationOnlyAdminMixin, admin.TabularInline):
    """The shops a user works for, on the user's page (account sits below vendor: declared here)."""

    model = VendorStaff
    formset = MembershipFormSet
    extra = 0
    verbose_name = "member shop"
    verbose_name_plural = "member shops"


backoffice.register_inline(User, UserMembershipInline)


class VendorForm(EmbeddedAddressFormMixin):
    class Meta:
        model = Vendor
        exclude = ("address",)


@admin.register(Vendor)
class VendorAdmin(VendorScopedAdminMixin, admin.ModelAdmin):
    vendor_path = "pk"
    form = VendorForm
    list_display = ("name", "slug", "town", "status", "commission_rate", "channel")
    list_select_related = ("address", "channel")
    list_filter = ("status",)
    search_fields = ("name", "slug", "enterprise_number", "vat_number", "address__city")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [VendorStaffInline]
    fieldsets = (
        (None, {"fields": ["name", "slug", "status", "description", "logo"]}),
        ("Contact", {"fields": ["email", "phone", "website", "opening_hours"]}),
        ADDRESS_FIELDSET,
        (
            "Legal and payout",
            {"fields": ["enterprise_number", "vat_number", "vat_exempt", "commission_rate", "stripe_account_id"]},
        ),
        ("Advanced", {"classes": ["collapse"], "fields": ["metadata", "private_metadata"]}),
    )

    @admin.display(description="town", ordering="address__city")
    def town(self, obj):
        return obj.town

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request_is_federation(request):
            readonly += FEDERATION_FIELDS
        return readonly

    def get_prepopulated_fields(self, request, obj=None):
        return self.prepopulated_fields if request_is_federation(request) else {}

    def get_inlines(self, request, obj):
        return super().get_inlines(request, obj) if request_is_federation(request) else []

    def has_add_permission(self, request, *args):
        return request_is_federation(request)

    def has_delete_permission(self, request, obj=None):
        return request_is_federation(request)

    def save_model(self, request, obj, form, change):
        # Through the services, so plugins (the shop's channel ``shop-<slug>``) follow every change.
        if change:
            vendor_update(vendor=obj)
            return
        fields = {
            field.attname: getattr(obj, field.attname)
            for field in Vendor._meta.concrete_fields
            if field.attname not in GENERATED_FIELDS | {"name", "slug"}
        }
        created = vendor_create(name=obj.name, slug=obj.slug, **fields)
        # The admin goes on with this very instance (inlines, log, redirect): give it the new row.
        obj.pk = created.pk
        obj.created_at, obj.updated_at = created.created_at, created.updated_at
        obj._state.adding = False
        obj._state.db = created._state.db


@admin.register(VendorStaff)
class VendorStaffAdmin(FederationOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("user", "vendor", "role")
    list_select_related = ("user", "vendor")
    list_filter = ("role", "vendor")
    search_fields = ("user__email", "vendor__name")
    autocomplete_fields = ("user", "vendor")

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
        obj_saved = vendor_staff_add(vendor=obj.vendor, user=obj.user, role=obj.role)
        obj.pk = obj_saved.pk
        obj._state.adding = False
