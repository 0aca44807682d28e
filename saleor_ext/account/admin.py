"""Back-office for users and addresses: federation staff only."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm
from django.contrib.auth.models import Group

from saleor_ext.core.admin import FederationOnlyAdminMixin

from .models import Address, User

ADDRESS_FIELDS = ("company_name", "street_address_1", "street_address_2", "postal_code", "city", "country", "phone")


class EmbeddedAddressFormMixin(forms.ModelForm):
    """Edit the object's ``address`` foreign key as fields of the object's own form.

    A dropdown of every address would show shoppers' addresses to anyone editing a shop;
    the address of a shop or a warehouse belongs to it alone.
    """

    address_company_name = forms.CharField(label="Address: name", max_length=256, required=False)
    address_street_address_1 = forms.CharField(label="Street", max_length=256, required=False)
    address_street_address_2 = forms.CharField(label="Street (line 2)", max_length=256, required=False)
    address_postal_code = forms.CharField(label="Postal code", max_length=20, required=False)
    address_city = forms.CharField(label="Town", max_length=256, required=False)
    address_country = forms.CharField(label="Country", max_length=2, initial="BE", required=False)
    address_phone = forms.CharField(label="Phone", max_length=32, required=False)

    # A warehouse must have an address (it is a pickup point); a vendor may not have one yet.
    address_required = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        address = self.instance.address if self.instance.address_id else None
        if address is not None:
            for name in ADDRESS_FIELDS:
                self.fields[f"address_{name}"].initial = getattr(address, name)
        if self.address_required:
            for name in ("street_address_1", "postal_code", "city"):
                self.fields[f"address_{name}"].required = True

    def clean_address_country(self):
        return (self.cleaned_data.get("address_country") or "BE").upper()

    def save(self, commit=True):
        values = {name: self.cleaned_data.get(f"address_{name}") or "" for name in ADDRESS_FIELDS}
        if (
            self.instance.address_id
            or self.address_required
            or any(values[name] for name in ADDRESS_FIELDS if name != "country")
        ):
            address = self.instance.address if self.instance.address_id else Address()
            for name, value in values.items():
                setattr(address, name, value)
            # Saved even when the caller delays the object's own save: the object needs its key.
            address.save()
            self.instance.address = address
        return super().save(commit)


ADDRESS_FIELDSET = (
    "Address",
    {
        "fields": [
            "address_company_name",
            "address_street_address_1",
            "address_street_address_2",
            "address_postal_code",
            "address_city",
            "address_country",
            "address_phone",
        ]
    },
)


class UserCreationForm(BaseUserCreationForm):
    """Create a back-office user from an e-mail address (the login) and a password."""

    class Meta:
        model = User
        fields = ("email",)

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("A user with this e-mail already exists.")
        return email


@admin.register(User)
class UserAdmin(FederationOnlyAdminMixin, DjangoUserAdmin):
    add_form = UserCreationForm
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "language_code", "note")}),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "is_confirmed", "groups", "user_permissions")},
        ),
        ("Important dates", {"fields": ("last_login", "date_joined", "updated_at")}),
    )
    readonly_fields = ("last_login", "date_joined", "updated_at")
    list_display = ("email", "first_name", "last_name", "is_staff", "is_superuser", "is_active")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups")
    search_fields = ("email", "first_name", "last_name")
    ordering = ("email",)
    filter_horizontal = ("groups", "user_permissions")
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Federation staff run the back-office; only a superuser makes another one.
            readonly += ["is_superuser", "user_permissions"]
        return readonly


@admin.register(Address)
class AddressAdmin(FederationOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "city", "postal_code", "country")
    search_fields = ("company_name", "last_name", "street_address_1", "city", "postal_code")
    list_filter = ("country",)
    show_full_result_count = False


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(FederationOnlyAdminMixin, DjangoGroupAdmin):
    pass
