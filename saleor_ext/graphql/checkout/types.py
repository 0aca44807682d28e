"""Checkout, CheckoutLine, Delivery and the marketplace's per-vendor groups.

A checkout's prices come from ``fetch_checkout_info``, computed once per request and checkout
(``checkout_info``), so every price field of a cart costs the same few queries.
"""

from __future__ import annotations

import graphene
from prices import Money as Money_

from saleor_ext.checkout.fetch import CheckoutInfo, LineInfo, VendorGroup, fetch_checkout_info, fetch_lines
from saleor_ext.checkout.models import Checkout as CheckoutModel
from saleor_ext.payment import services as payment_services
from saleor_ext.warehouse.management import available_quantities
from saleor_ext.warehouse.models import Reservation

from ..channel.types import Channel
from ..core.context import ChannelContext, get_loader
from ..core.ids import to_global_id
from ..core.scalars import UUID, DateTime
from ..core.types import GlobalId, LanguageCodeEnum, MetadataFields, Money, TaxedMoney, language_code_enum
from ..meta.types import ObjectWithMetadata
from ..payment.types import PaymentGateway, TransactionItem
from ..product.dataloaders import ProductByIdLoader, VendorByIdLoader
from ..product.types.products import ProductVariant, Warehouse
from ..vendor.types import Vendor
from .delivery import Delivery, DeliveryMethod, ShippingMethod, collection_points, delivery_offers, shipping_method_of


def checkout_lines(info, checkout: CheckoutModel) -> list[LineInfo]:
    """The cart's lines, read once per request and checkout; their products answer the product
    loader. Pricing them (``checkout_info``) costs more queries, paid only when a price is asked."""
    cache = info.context.__dict__.setdefault("_checkout_lines", {})
    found = cache.get(checkout.pk)
    if found is None or found[0] is not checkout:
        lines = fetch_lines(checkout)
        get_loader(info, ProductByIdLoader).prime_values({line.product.pk: line.product for line in lines})
        found = cache[checkout.pk] = (checkout, lines)
    return found[1]


def checkout_info(info, checkout: CheckoutModel) -> CheckoutInfo:
    cache = info.context.__dict__.setdefault("_checkout_infos", {})
    found = cache.get(checkout.pk)
    if found is None or found.checkout is not checkout:
        found = cache[checkout.pk] = fetch_checkout_info(checkout, checkout_lines(info, checkout))
    return found


def forget_checkout_info(info, checkout: CheckoutModel) -> None:
    info.context.__dict__.setdefault("_checkout_infos", {}).pop(checkout.pk, None)
    info.context.__dict__.setdefault("_checkout_lines", {}).pop(checkout.pk, None)


def _priced(info, root: LineInfo) -> LineInfo:
    """The line with its prices: lines read alone are priced with their whole cart on demand."""
    if root.unit_price is None and root.is_priced:
        checkout_info(info, root.line.checkout)
    return root


class CheckoutChargeStatusEnum(graphene.Enum):
    NONE = "none"
    PARTIAL = "partial"
    FULL = "full"
    OVERCHARGED = "overcharged"


class CheckoutAuthorizeStatusEnum(graphene.Enum):
    NONE = "none"
    PARTIAL = "partial"
    FULL = "full"


class CheckoutLine(MetadataFields, graphene.ObjectType):
    """Root: a ``LineInfo``."""

    id = graphene.ID(required=True)
    variant = graphene.Field(ProductVariant, required=True)
    quantity = graphene.Int(required=True)
    unit_price = graphene.Field(TaxedMoney, required=True)
    undiscounted_unit_price = graphene.Field(Money, required=True)
    prior_unit_price = graphene.Field(Money)
    total_price = graphene.Field(TaxedMoney, required=True)
    undiscounted_total_price = graphene.Field(Money, required=True)
    prior_total_price = graphene.Field(Money)
    requires_shipping = graphene.Boolean(required=True)
    is_gift = graphene.Boolean()
    price_override_reason = graphene.String()
    vendor = graphene.Field(Vendor, description="The member shop selling the item (marketplace addition).")

    @staticmethod
    def resolve_id(root: LineInfo, _info):
        return to_global_id("CheckoutLine", root.line.pk)

    @staticmethod
    def metadata_owner(root: LineInfo):
        return root.line

    @staticmethod
    def resolve_variant(root: LineInfo, _info):
        return ChannelContext(root.variant, root.line.checkout.channel.slug)

    @staticmethod
    def resolve_quantity(root: LineInfo, _info):
        return root.line.quantity

    @staticmethod
    def resolve_unit_price(root: LineInfo, info):
        return _priced(info, root).unit_price

    @staticmethod
    def resolve_undiscounted_unit_price(root: LineInfo, info):
        price = _priced(info, root).unit_price
        return price.gross if price is not None else None

    @staticmethod
    def resolve_total_price(root: LineInfo, info):
        return _priced(info, root).total_price

    @staticmethod
    def resolve_undiscounted_total_price(root: LineInfo, info):
        price = _priced(info, root).total_price
        return price.gross if price is not None else None

    @staticmethod
    def resolve_requires_shipping(root: LineInfo, _info):
        return root.product.product_type.is_shipping_required

    @staticmethod
    def resolve_is_gift(_root, _info):
        return False

    @staticmethod
    def resolve_vendor(root: LineInfo, info):
        return get_loader(info, VendorByIdLoader).load(root.vendor_id)


class CheckoutVendorGroup(graphene.ObjectType):
    """One member shop's part of the cart, with its own delivery (marketplace addition). Root: a ``VendorGroup``."""

    vendor = graphene.Field(Vendor, required=True)
    lines = graphene.List(graphene.NonNull(CheckoutLine), required=True)
    subtotal_price = graphene.Field(TaxedMoney, required=True)
    shipping_price = graphene.Field(TaxedMoney, required=True)
    total_price = graphene.Field(TaxedMoney, required=True)
    is_shipping_required = graphene.Boolean(required=True)
    delivery = graphene.Field(Delivery, description="The chosen home-delivery offer, if any.")
    delivery_method = graphene.Field(DeliveryMethod, description="The chosen shipping method or pickup warehouse.")
    shipping_methods = graphene.List(
        graphene.NonNull(ShippingMethod), required=True, description="Home-delivery methods offered for this shop."
    )
    deliveries = graphene.List(
        graphene.NonNull(Delivery), required=True, description="The same offers as `Delivery` objects (their ids)."
    )
    available_collection_points = graphene.List(graphene.NonNull(Warehouse), required=True)

    @staticmethod
    def resolve_subtotal_price(root: VendorGroup, _info):
        return root.subtotal

    @staticmethod
    def resolve_total_price(root: VendorGroup, _info):
        return root.total

    @staticmethod
    def resolve_delivery_method(root: VendorGroup, info):
        if root.collection_point is not None:
            return root.collection_point
        return shipping_method_of(info, root.delivery) if root.delivery else None

    @staticmethod
    def resolve_shipping_methods(root: VendorGroup, info):
        return [shipping_method_of(info, offer) for offer in delivery_offers(info, root)]

    @staticmethod
    def resolve_deliveries(root: VendorGroup, info):
        return delivery_offers(info, root)

    @staticmethod
    def resolve_available_collection_points(root: VendorGroup, info):
        return collection_points(info, root)


class GiftCard(graphene.ObjectType):
    """Saleor's gift card. The marketplace sells none, so no checkout ever lists one; the type exists
    because storefronts select its fields on ``Checkout.giftCards``."""

    id = graphene.ID(required=True)
    display_code = graphene.String(required=True)
    last4_code_chars = graphene.String(required=True)
    code = graphene.String(required=True)
    created = DateTime(required=True)
    is_active = graphene.Boolean(required=True)
    initial_balance = graphene.Field(Money, required=True)
    current_balance = graphene.Field(Money, required=True)


class Checkout(GlobalId, MetadataFields):
    """Root: a ``Checkout`` model instance."""

    class Meta:
        interfaces = (ObjectWithMetadata,)
        possible_types = (CheckoutModel,)

    token = UUID(required=True)
    created = DateTime(required=True)
    updated_at = DateTime(required=True)
    last_change = DateTime(required=True, deprecation_reason="deprecated")
    user = graphene.Field("saleor_ext.graphql.account.types.User")
    channel = graphene.Field(Channel, required=True)
    billing_address = graphene.Field("saleor_ext.graphql.account.types.Address")
    shipping_address = graphene.Field("saleor_ext.graphql.account.types.Address")
    customer_note = graphene.String(required=True)
    discount = graphene.Field(Money)
    discount_name = graphene.String()
    translated_discount_name = graphene.String()
    voucher_code = graphene.String()
    gift_cards = graphene.List(graphene.NonNull(GiftCard), required=True)
    available_shipping_methods = graphene.List(
        graphene.NonNull(ShippingMethod), required=True, deprecation_reason="deprecated"
    )
    shipping_methods = graphene.List(graphene.NonNull(ShippingMethod), required=True)
    available_collection_points = graphene.List(graphene.NonNull(Warehouse), required=True)
    available_payment_gateways = graphene.List(
        graphene.NonNull(PaymentGateway), required=True, deprecation_reason="deprecated"
    )
    transactions = graphene.List(graphene.NonNull(TransactionItem))
    total_balance = graphene.Field(Money, required=True)
    email = graphene.String()
    is_shipping_required = graphene.Boolean(required=True)
    quantity = graphene.Int(required=True)
    stock_reservation_expires = DateTime()
    lines = graphene.List(graphene.NonNull(CheckoutLine), required=True)
    shipping_price = graphene.Field(TaxedMoney, required=True)
    delivery = graphene.Field(Delivery)
    shipping_method = graphene.Field(ShippingMethod, deprecation_reason="deprecated")
    delivery_method = graphene.Field(DeliveryMethod, deprecation_reason="deprecated")
    subtotal_price = graphene.Field(TaxedMoney, required=True)
    tax_exemption = graphene.Boolean(required=True)
    total_price = graphene.Field(TaxedMoney, required=True)
    language_code = graphene.Field(LanguageCodeEnum, required=True)
    display_gross_prices = graphene.Boolean(required=True)
    authorize_status = graphene.Field(CheckoutAuthorizeStatusEnum, required=True)
    charge_status = graphene.Field(CheckoutChargeStatusEnum, required=True)
    problems = graphene.List(graphene.NonNull(lambda: CheckoutProblem))
    vendor_groups = graphene.List(
        graphene.NonNull(CheckoutVendorGroup),
        required=True,
        description="The cart split per member shop, each with its delivery and totals (marketplace addition).",
    )

    @staticmethod
    def resolve_token(root: CheckoutModel, _info):
        return root.pk

    @staticmethod
    def resolve_created(root: CheckoutModel, _info):
        return root.created_at

    @staticmethod
    def resolve_updated_at(root: CheckoutModel, _info):
        return root.last_change

    @staticmethod
    def resolve_customer_note(root: CheckoutModel, _info):
        return root.note

    @staticmethod
    def resolve_discount(root: CheckoutModel, _info):
        # No vouchers on the marketplace: the discount is always zero, in the cart's currency (as Saleor
        # answers for a checkout without a voucher); its code and names are null.
        return Money_(0, root.currency)

    @staticmethod
    def resolve_discount_name(_root, _info):
        return None

    @staticmethod
    def resolve_translated_discount_name(_root, _info):
        return None

    @staticmethod
    def resolve_voucher_code(_root, _info):
        return None

    @staticmethod
    def resolve_gift_cards(_root, _info):
        return []

    @staticmethod
    def resolve_available_shipping_methods(root: CheckoutModel, info):
        return Checkout.resolve_shipping_methods(root, info)

    @staticmethod
    def resolve_shipping_methods(root: CheckoutModel, info):
        groups = checkout_info(info, root).groups
        return [shipping_method_of(info, offer) for group in groups for offer in delivery_offers(info, group)]

    @staticmethod
    def resolve_available_collection_points(root: CheckoutModel, info):
        return [point for group in checkout_info(info, root).groups for point in collection_points(info, group)]

    @staticmethod
    def resolve_available_payment_gateways(root: CheckoutModel, _info):
        return payment_services.list_gateways(root.channel.slug, root.currency, root)

    @staticmethod
    def resolve_transactions(root: CheckoutModel, _info):
        return list(payment_services.checkout_transactions(root))

    @staticmethod
    def resolve_total_balance(root: CheckoutModel, info):
        # Saleor's sign: negative while something is still to pay.
        total = checkout_info(info, root).total.gross
        charged = sum((item.charged_value for item in payment_services.checkout_transactions(root)), 0)
        return Money_(charged - total.amount, total.currency)

    @staticmethod
    def resolve_is_shipping_required(root: CheckoutModel, info):
        return checkout_info(info, root).is_shipping_required

    @staticmethod
    def resolve_quantity(root: CheckoutModel, info):
        return checkout_info(info, root).quantity

    @staticmethod
    def resolve_stock_reservation_expires(root: CheckoutModel, _info):
        reservation = Reservation.objects.filter(checkout_line__checkout_id=root.pk).order_by("reserved_until").first()
        return reservation.reserved_until if reservation else None

    @staticmethod
    def resolve_lines(root: CheckoutModel, info):
        return checkout_lines(info, root)

    @staticmethod
    def resolve_shipping_price(root: CheckoutModel, info):
        return checkout_info(info, root).shipping_price

    @staticmethod
    def resolve_subtotal_price(root: CheckoutModel, info):
        return checkout_info(info, root).subtotal

    @staticmethod
    def resolve_total_price(root: CheckoutModel, info):
        return checkout_info(info, root).total

    @staticmethod
    def resolve_delivery(root: CheckoutModel, info):
        groups = checkout_info(info, root).groups
        return groups[0].delivery if len(groups) == 1 else None

    @staticmethod
    def resolve_shipping_method(root: CheckoutModel, info):
        delivery = Checkout.resolve_delivery(root, info)
        return shipping_method_of(info, delivery) if delivery else None

    @staticmethod
    def resolve_delivery_method(root: CheckoutModel, info):
        groups = checkout_info(info, root).groups
        return CheckoutVendorGroup.resolve_delivery_method(groups[0], info) if len(groups) == 1 else None

    @staticmethod
    def resolve_tax_exemption(_root, _info):
        return False

    @staticmethod
    def resolve_language_code(root: CheckoutModel, _info):
        return language_code_enum(root.language_code)

    @staticmethod
    def resolve_display_gross_prices(_root, _info):
        return True

    @staticmethod
    def resolve_problems(root: CheckoutModel, info):
        return checkout_problems(info, root)

    @staticmethod
    def resolve_vendor_groups(root: CheckoutModel, info):
        return checkout_info(info, root).groups


class CheckoutLineProblemInsufficientStock(graphene.ObjectType):
    available_quantity = graphene.Int()
    line = graphene.Field(CheckoutLine, required=True)
    variant = graphene.Field(ProductVariant, required=True)


class CheckoutLineProblemVariantNotAvailable(graphene.ObjectType):
    line = graphene.Field(CheckoutLine, required=True)


class CheckoutProblemDeliveryMethodStale(graphene.ObjectType):
    delivery = graphene.Field(Delivery, required=True)


class CheckoutProblemDeliveryMethodInvalid(graphene.ObjectType):
    delivery = graphene.Field(Delivery, required=True)


class CheckoutLineProblem(graphene.Union):
    class Meta:
        types = (CheckoutLineProblemInsufficientStock, CheckoutLineProblemVariantNotAvailable)


class CheckoutProblem(graphene.Union):
    class Meta:
        types = (
            CheckoutProblemDeliveryMethodStale,
            CheckoutProblemDeliveryMethodInvalid,
            CheckoutLineProblemInsufficientStock,
            CheckoutLineProblemVariantNotAvailable,
        )


def checkout_problems(info, checkout: CheckoutModel) -> list:
    """What stands between the cart and an order: lines no longer for sale, or short of stock."""
    data = checkout_info(info, checkout)
    problems = []
    available = available_quantities(
        [i.variant.pk for i in data.lines if i.variant.track_inventory], checkout.channel, exclude_checkout=checkout.pk
    )
    channel_slug = checkout.channel.slug
    for line in data.lines:
        if not line.is_priced or line.product_listing is None or not line.product_listing.is_available_for_purchase():
            problems.append(CheckoutLineProblemVariantNotAvailable(line=line))
        elif line.variant.track_inventory and available.get(line.variant.pk, 0) < line.line.quantity:
            problems.append(
                CheckoutLineProblemInsufficientStock(
                    available_quantity=available.get(line.variant.pk, 0),
                    line=line,
                    variant=ChannelContext(line.variant, channel_slug),
                )
            )
    return problems
