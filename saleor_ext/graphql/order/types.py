"""Order, OrderLine, Fulfillment, OrderEvent and the marketplace's VendorOrder.

Roots are model instances. What a viewer sees of an order is decided once per order from its
vendor orders (``OrderViewer.scope``): the shopper, the guest holding the id and federation staff
see all of it; a shop's staff see their own lines, vendor order, fulfilments, events and amounts.
Payment fields describe the shopper's one payment for the whole order. Every relation goes
through the batch loaders of ``dataloaders.py``, so a page of orders costs a fixed number of queries.
"""

from __future__ import annotations

from decimal import Decimal

import graphene
from django.conf import settings
from prices import Money as PriceMoney
from prices import TaxedMoney as PriceTaxedMoney

from saleor_ext.order import models
from saleor_ext.order.selectors import OrderViewer, vat_totals
from saleor_ext.order.selectors import order_viewer as build_viewer

from ..account.enums import AddressTypeEnum
from ..channel.types import Channel
from ..core.context import ChannelContext, get_loader
from ..core.errors import PermissionDenied
from ..core.futures import gather, then
from ..core.ids import to_global_id
from ..core.language_codes import LANGUAGE_CODES
from ..core.permissions import get_user
from ..core.scalars import DateTime, Metadata, PositiveDecimal
from ..core.types import Image, LanguageCodeEnum, MetadataItem, Money, TaxedMoney, ThumbnailFormatEnum
from ..core.types import resolve_metadata as metadata_items
from ..payment.types import TransactionItem
from ..product.dataloaders import MediaByProductLoader, MediaByVariantLoader, ProductVariantByIdLoader, VendorByIdLoader
from ..product.types.media import has_image, media_url
from ..product.types.products import ProductVariant, Warehouse
from ..vendor.types import Vendor
from .dataloaders import (
    AddressByIdLoader,
    AllocationsByOrderLineIdLoader,
    ChannelByIdLoader,
    EventsByOrderIdLoader,
    FulfillmentLineByIdLoader,
    FulfillmentLinesByFulfillmentIdLoader,
    FulfillmentsByOrderIdLoader,
    LinesByOrderIdLoader,
    OrderByIdLoader,
    OrderLineByIdLoader,
    StockByIdLoader,
    TransactionsByOrderIdLoader,
    UserByIdLoader,
    VendorOrderByIdLoader,
    VendorOrdersByOrderIdLoader,
    WarehouseByIdLoader,
)
from .enums import (
    PAYMENT_STATUS_DISPLAY,
    DiscountValueTypeEnum,
    FulfillmentStatus,
    OrderAction,
    OrderAuthorizeStatusEnum,
    OrderChargeStatusEnum,
    OrderDiscountType,
    OrderErrorCode,
    OrderEventsEmailsEnum,
    OrderEventsEnum,
    OrderOriginEnum,
    OrderStatus,
    PaymentChargeStatusEnum,
    VendorOrderStatusEnum,
)

MANAGE_ORDERS = ["MANAGE_ORDERS"]


# --- who is asking ----------------------------------------------------------------------------------


def order_viewer(info) -> OrderViewer:
    """The request's viewer (its shops and rights), computed once per request."""
    cache = info.context.__dict__
    if "_order_viewer" not in cache:
        cache["_order_viewer"] = build_viewer(get_user(info))
    return cache["_order_viewer"]


def _vendor_orders(info, order: models.Order):
    return get_loader(info, VendorOrdersByOrderIdLoader).load(order.pk)


def with_visible_part(info, order: models.Order, fn):
    """``fn(scope, visible vendor orders)`` once the order's vendor orders are loaded; ``scope`` is
    ``None`` when the viewer sees the whole order."""

    def apply(vendor_orders):
        scope = order_viewer(info).scope(order, [vo.vendor_id for vo in vendor_orders])
        visible = [vo for vo in vendor_orders if scope is None or vo.vendor_id in scope]
        return fn(scope, visible)

    return then(_vendor_orders(info, order), apply)


def _require_order_staff(info) -> OrderViewer:
    viewer = order_viewer(info)
    if not viewer.is_order_staff:
        raise PermissionDenied(permissions=MANAGE_ORDERS)
    return viewer


# --- money ------------------------------------------------------------------------------------------


def _money(amount, currency: str) -> PriceMoney:
    return PriceMoney(Decimal(amount or 0), currency)


def _taxed(net, gross, currency: str) -> PriceTaxedMoney:
    return PriceTaxedMoney(net=_money(net, currency), gross=_money(gross, currency))


def _sum(rows, attname: str) -> Decimal:
    return sum((getattr(row, attname) for row in rows), Decimal(0))


def _part_amount(info, order: models.Order, prefix: str):
    """``<prefix>_net/gross_amount`` of the order, or of the viewer's vendor orders only."""

    def compute(scope, visible):
        rows = [order] if scope is None else visible
        return _taxed(_sum(rows, f"{prefix}_net_amount"), _sum(rows, f"{prefix}_gross_amount"), order.currency)

    return with_visible_part(info, order, compute)


def kept_gross(vendor_orders, lines) -> Decimal:
    """What the shopper owes once cancellations are taken off: kept units and live shipping."""
    kept = (line.unit_price_gross_amount * (line.quantity - line.quantity_cancelled) for line in lines)
    live = [vo for vo in vendor_orders if vo.status != models.VendorOrderStatus.CANCELLED]
    return sum(kept, Decimal(0)) + _sum(live, "shipping_price_gross_amount")


def payment_status(order: models.Order) -> str:
    """Saleor's legacy ``paymentStatus``, derived from the order's transactions' totals."""
    charged, refunded = order.total_charged_amount, order.total_refunded_amount
    if refunded > 0:
        return "fully-refunded" if charged <= 0 else "partially-refunded"
    if charged > 0:
        full = order.charge_status in (models.OrderChargeStatus.FULL, models.OrderChargeStatus.OVERCHARGED)
        return "fully-charged" if full else "partially-charged"
    return "not-charged"


def language_code_enum(code: str):
    name = (code or settings.LANGUAGE_CODE).replace("-", "_").upper()
    if name not in LANGUAGE_CODES:
        name = name[:2] if name[:2] in LANGUAGE_CODES else settings.LANGUAGE_CODE.upper()
    return LanguageCodeEnum[name]


# --- metadata of rows that keep none -----------------------------------------------------------------


class EmptyMetadata(graphene.ObjectType):
    """``ObjectWithMetadata`` fields of a row without metadata columns: always empty."""

    class Meta:
        abstract = True

    private_metadata = graphene.List(graphene.NonNull(MetadataItem), required=True)
    private_metafield = graphene.String(key=graphene.String(required=True))
    private_metafields = graphene.Field(Metadata, keys=graphene.List(graphene.NonNull(graphene.String)))
    metadata = graphene.List(graphene.NonNull(MetadataItem), required=True)
    metafield = graphene.String(key=graphene.String(required=True))
    metafields = graphene.Field(Metadata, keys=graphene.List(graphene.NonNull(graphene.String)))

    @staticmethod
    def resolve_private_metadata(_root, _info):
        return []

    @staticmethod
    def resolve_private_metafield(_root, _info, key):
        return None

    @staticmethod
    def resolve_private_metafields(_root, _info, keys=None):
        return {}

    @staticmethod
    def resolve_metadata(_root, _info):
        return []

    @staticmethod
    def resolve_metafield(_root, _info, key):
        return None

    @staticmethod
    def resolve_metafields(_root, _info, keys=None):
        return {}


def _pick(metadata: dict, keys) -> dict:
    metadata = metadata or {}
    return dict(metadata) if keys is None else {k: v for k, v in metadata.items() if k in keys}


class OrderError(graphene.ObjectType):
    field = graphene.String()
    message = graphene.String()
    code = graphene.Field(OrderErrorCode, required=True)
    warehouse = graphene.ID()
    order_lines = graphene.List(graphene.NonNull(graphene.ID))
    variants = graphene.List(graphene.NonNull(graphene.ID))
    address_type = graphene.Field(AddressTypeEnum)


# --- small Saleor types the order shows empty ------------------------------------------------------------


class Voucher(graphene.ObjectType):
    """Vouchers are not sold on the marketplace; ``Order.voucher`` is always null."""

    id = graphene.ID(required=True)
    name = graphene.String()
    code = graphene.String()


class OrderDiscount(graphene.ObjectType):
    id = graphene.ID(required=True)
    type = graphene.Field(OrderDiscountType, required=True)
    name = graphene.String()
    translated_name = graphene.String()
    value_type = graphene.Field(DiscountValueTypeEnum, required=True)
    value = PositiveDecimal(required=True)
    reason = graphene.String()
    amount = graphene.Field(Money, required=True, deprecation_reason="Use `total` instead.")
    total = graphene.Field(Money, required=True)


class Allocation(graphene.ObjectType):
    id = graphene.ID(required=True)
    quantity = graphene.Int(required=True)
    warehouse = graphene.Field(Warehouse, required=True)

    @staticmethod
    def resolve_id(root, _info):
        return to_global_id("Allocation", root.pk)

    @staticmethod
    def resolve_quantity(root, _info):
        return root.quantity_allocated

    @staticmethod
    def resolve_warehouse(root, _info):
        return root.stock.warehouse


# --- lines ------------------------------------------------------------------------------------------------


def _line_order(info, line: models.OrderLine):
    order = getattr(line, "_order", None)
    return order if order is not None else get_loader(info, OrderByIdLoader).load(line.order_id)


def _channel_slug(info, order: models.Order):
    return then(get_loader(info, ChannelByIdLoader).load(order.channel_id), lambda channel: channel.slug)


class OrderLine(EmptyMetadata, graphene.ObjectType):
    id = graphene.ID(required=True)
    product_name = graphene.String(required=True)
    variant_name = graphene.String(required=True)
    product_sku = graphene.String()
    product_variant_id = graphene.String()
    is_shipping_required = graphene.Boolean(required=True)
    quantity = graphene.Int(required=True)
    quantity_fulfilled = graphene.Int(required=True)
    tax_rate = graphene.Float(required=True)
    thumbnail = graphene.Field(
        Image, size=graphene.Int(), format=graphene.Argument(ThumbnailFormatEnum, default_value="ORIGINAL")
    )
    unit_price = graphene.Field(TaxedMoney, required=True)
    undiscounted_unit_price = graphene.Field(TaxedMoney, required=True)
    unit_discount = graphene.Field(Money, required=True)
    unit_discount_reason = graphene.String()
    unit_discount_value = PositiveDecimal(required=True)
    unit_discount_type = graphene.Field(DiscountValueTypeEnum)
    total_price = graphene.Field(TaxedMoney, required=True)
    undiscounted_total_price = graphene.Field(TaxedMoney, required=True)
    is_price_overridden = graphene.Boolean()
    price_override_reason = graphene.String()
    variant = graphene.Field(ProductVariant)
    translated_product_name = graphene.String(required=True)
    translated_variant_name = graphene.String(required=True)
    allocations = graphene.List(graphene.NonNull(Allocation))
    sale_id = graphene.ID()
    quantity_to_fulfill = graphene.Int(required=True)
    voucher_code = graphene.String()
    is_gift = graphene.Boolean()
    vendor = graphene.Field(Vendor, required=True, description="The member shop selling the item (marketplace).")
    quantity_cancelled = graphene.Int(required=True, description="Units the shop cancelled (marketplace).")

    @staticmethod
    def resolve_id(root, _info):
        return to_global_id("OrderLine", root.pk)

    @staticmethod
    def resolve_variant_name(root, _info):
        return root.variant_name or ""

    @staticmethod
    def resolve_tax_rate(root, _info):
        return float(root.tax_rate)

    @staticmethod
    def resolve_unit_price(root, _info):
        return _taxed(root.unit_price_net_amount, root.unit_price_gross_amount, root.currency)

    @staticmethod
    def resolve_undiscounted_unit_price(root, info):
        return OrderLine.resolve_unit_price(root, info)

    @staticmethod
    def resolve_unit_discount(root, _info):
        return _money(0, root.currency)

    @staticmethod
    def resolve_unit_discount_value(_root, _info):
        return Decimal(0)

    @staticmethod
    def resolve_total_price(root, _info):
        return _taxed(root.total_price_net_amount, root.total_price_gross_amount, root.currency)

    @staticmethod
    def resolve_undiscounted_total_price(root, info):
        return OrderLine.resolve_total_price(root, info)

    @staticmethod
    def resolve_is_price_overridden(_root, _info):
        return False

    @staticmethod
    def resolve_is_gift(_root, _info):
        return False

    @staticmethod
    def resolve_translated_product_name(root, _info):
        return root.product_name

    @staticmethod
    def resolve_translated_variant_name(root, _info):
        return root.variant_name or ""

    @staticmethod
    def resolve_quantity_to_fulfill(root, _info):
        return root.quantity_unfulfilled

    @staticmethod
    def resolve_vendor(root, info):
        return get_loader(info, VendorByIdLoader).load(root.vendor_id)

    @staticmethod
    def resolve_allocations(root, info):
        # Where the shop keeps the promised units: back-office information.
        if not order_viewer(info).is_order_staff:
            return None
        return get_loader(info, AllocationsByOrderLineIdLoader).load(root.pk)

    @staticmethod
    def resolve_variant(root, info):
        if root.variant_id is None:
            return None
        variant = get_loader(info, ProductVariantByIdLoader).load(root.variant_id)
        slug = then(_line_order(info, root), lambda order: _channel_slug(info, order))
        return then(gather(variant, slug), lambda pair: ChannelContext(pair[0], pair[1]) if pair[0] else None)

    @staticmethod
    def resolve_thumbnail(root, info, size=None, format="ORIGINAL"):
        if root.variant_id is None:
            return None

        def image(media_list):
            found = next((media for media in media_list if has_image(media)), None)
            if found is None:
                return None
            return Image(url=media_url(info, found, size, format), alt=found.alt or root.product_name)

        def from_variant(variant):
            if variant is None:
                return None
            own = get_loader(info, MediaByVariantLoader).load(variant.pk)
            product = get_loader(info, MediaByProductLoader).load(variant.product_id)
            # The variant's own photos first, then its product's.
            return then(gather(own, product), lambda pair: image(pair[0]) or image(pair[1]))

        return then(get_loader(info, ProductVariantByIdLoader).load(root.variant_id), from_variant)


# --- fulfilments ----------------------------------------------------------------------------------------


class FulfillmentLine(graphene.ObjectType):
    id = graphene.ID(required=True)
    quantity = graphene.Int(required=True)
    order_line = graphene.Field(OrderLine)

    @staticmethod
    def resolve_id(root, _info):
        return to_global_id("FulfillmentLine", root.pk)

    @staticmethod
    def resolve_order_line(root, info):
        return get_loader(info, OrderLineByIdLoader).load(root.order_line_id)


class Fulfillment(EmptyMetadata, graphene.ObjectType):
    id = graphene.ID(required=True)
    fulfillment_order = graphene.Int(required=True)
    status = graphene.Field(FulfillmentStatus, required=True)
    tracking_number = graphene.String(required=True)
    created = DateTime(required=True)
    lines = graphene.List(graphene.NonNull(FulfillmentLine))
    status_display = graphene.String()
    warehouse = graphene.Field(Warehouse)
    shipping_refunded_amount = graphene.Field(Money)
    total_refunded_amount = graphene.Field(Money)
    vendor = graphene.Field(Vendor, description="The member shop that handed these items over (marketplace).")

    @staticmethod
    def resolve_id(root, _info):
        return to_global_id("Fulfillment", root.pk)

    @staticmethod
    def resolve_created(root, _info):
        return root.created_at

    @staticmethod
    def resolve_status_display(root, _info):
        return root.get_status_display()

    @staticmethod
    def resolve_lines(root, info):
        return get_loader(info, FulfillmentLinesByFulfillmentIdLoader).load(root.pk)

    @staticmethod
    def resolve_warehouse(root, info):
        def first_stock(lines):
            stock_id = next((line.stock_id for line in lines if line.stock_id), None)
            if stock_id is None:
                return None
            return then(get_loader(info, StockByIdLoader).load(stock_id), lambda s: s.warehouse if s else None)

        return then(get_loader(info, FulfillmentLinesByFulfillmentIdLoader).load(root.pk), first_stock)

    @staticmethod
    def resolve_vendor(root, info):
        return then(
            get_loader(info, VendorOrderByIdLoader).load(root.vendor_order_id),
            lambda vo: get_loader(info, VendorByIdLoader).load(vo.vendor_id),
        )


# --- events -----------------------------------------------------------------------------------------------


class OrderEventOrderLineObject(graphene.ObjectType):
    quantity = graphene.Int()
    order_line = graphene.Field(OrderLine)
    item_name = graphene.String()


class OrderEvent(graphene.ObjectType):
    id = graphene.ID(required=True)
    date = DateTime()
    type = graphene.Field(OrderEventsEnum)
    user = graphene.Field(lambda: _user_type())
    message = graphene.String()
    email = graphene.String()
    email_type = graphene.Field(OrderEventsEmailsEnum)
    amount = graphene.Float()
    payment_id = graphene.String()
    payment_gateway = graphene.String()
    quantity = graphene.Int()
    composed_id = graphene.String()
    order_number = graphene.String()
    invoice_number = graphene.String()
    oversold_items = graphene.List(graphene.NonNull(graphene.String))
    lines = graphene.List(graphene.NonNull(OrderEventOrderLineObject))
    fulfilled_items = graphene.List(graphene.NonNull(FulfillmentLine))
    warehouse = graphene.Field(Warehouse)
    transaction_reference = graphene.String()
    shipping_costs_included = graphene.Boolean()
    reference = graphene.String()
    vendor = graphene.Field(Vendor, description="The shop whose vendor order the entry is about (marketplace).")
    tracking_number = graphene.String(description="The parcel number the entry set (marketplace).")

    @staticmethod
    def resolve_id(root, _info):
        return to_global_id("OrderEvent", root.pk)

    @staticmethod
    def resolve_user(root, info):
        return get_loader(info, UserByIdLoader).load(root.user_id) if root.user_id else None

    @staticmethod
    def resolve_message(root, _info):
        return root.parameters.get("message") or root.parameters.get("reason") or None

    @staticmethod
    def resolve_email(root, _info):
        return root.parameters.get("email")

    @staticmethod
    def resolve_email_type(root, _info):
        return root.parameters.get("email_type")

    @staticmethod
    def resolve_amount(root, _info):
        amount = root.parameters.get("amount")
        return float(amount) if amount is not None else None

    @staticmethod
    def resolve_quantity(root, _info):
        return root.parameters.get("quantity")

    @staticmethod
    def resolve_composed_id(root, _info):
        return root.parameters.get("composed_id")

    @staticmethod
    def resolve_lines(root, info):
        entries = root.parameters.get("lines")
        if not entries:
            return None
        loader = get_loader(info, OrderLineByIdLoader)
        return [
            OrderEventOrderLineObject(
                quantity=entry.get("quantity"), order_line=loader.load(entry["line_pk"]), item_name=entry.get("item")
            )
            for entry in entries
        ]

    @staticmethod
    def resolve_fulfilled_items(root, info):
        ids = root.parameters.get("fulfilled_items")
        if not ids:
            return None
        return then(
            gather(*[get_loader(info, FulfillmentLineByIdLoader).load(pk) for pk in ids]),
            lambda rows: [row for row in rows if row is not None],
        )

    @staticmethod
    def resolve_shipping_costs_included(root, _info):
        return root.parameters.get("shipping_costs_included")

    @staticmethod
    def resolve_vendor(root, info):
        if root.vendor_order_id is None:
            return None
        return then(
            get_loader(info, VendorOrderByIdLoader).load(root.vendor_order_id),
            lambda vo: get_loader(info, VendorByIdLoader).load(vo.vendor_id),
        )

    @staticmethod
    def resolve_tracking_number(root, _info):
        return root.parameters.get("tracking_number")


def _events_of(info, order: models.Order, vendor_order_ids=None):
    """The order's events a staff viewer sees (optionally those of some vendor orders only)."""
    viewer = _require_order_staff(info)

    def pick(values):
        vendor_orders, events = values
        own = {vo.pk for vo in vendor_orders if viewer.handles(vo.vendor_id)}
        chosen = [e for e in events if viewer.sees_all or e.vendor_order_id is None or e.vendor_order_id in own]
        if vendor_order_ids is not None:
            chosen = [e for e in chosen if e.vendor_order_id in vendor_order_ids]
        return chosen

    return then(gather(_vendor_orders(info, order), get_loader(info, EventsByOrderIdLoader).load(order.pk)), pick)


# --- vendor orders ----------------------------------------------------------------------------------------


def _delivery_method_type():
    from ..checkout.delivery import DeliveryMethod

    return DeliveryMethod


def _delivery_method_of(info, vendor_order: models.VendorOrder):
    """The pickup ``Warehouse``, or the ``ShippingMethod`` at the price the shopper paid for it."""
    if vendor_order.collection_point_id:
        return get_loader(info, WarehouseByIdLoader).load(vendor_order.collection_point_id)
    if not vendor_order.shipping_method_id:
        return None
    from saleor_ext.shipping.models import ShippingMethod as ShippingMethodModel
    from saleor_ext.shipping.services import ShippingMethodOffer

    cache = info.context.__dict__.setdefault("_order_shipping_methods", {})
    if vendor_order.shipping_method_id not in cache:
        cache[vendor_order.shipping_method_id] = ShippingMethodModel.objects.filter(
            pk=vendor_order.shipping_method_id
        ).first()
    method = cache[vendor_order.shipping_method_id]
    if method is None:
        return None
    return ShippingMethodOffer(
        method=method,
        price=_money(vendor_order.shipping_price_gross_amount, vendor_order.currency),
        minimum_delivery_days=method.minimum_delivery_days,
        maximum_delivery_days=method.maximum_delivery_days,
    )


class VendorOrder(graphene.ObjectType):
    """One member shop's part of an order, which it prepares and hands over on its own (marketplace)."""

    id = graphene.ID(required=True)
    vendor = graphene.Field(Vendor, required=True)
    status = graphene.Field(VendorOrderStatusEnum, required=True)
    status_display = graphene.String(required=True)
    created = DateTime(required=True)
    updated_at = DateTime(required=True)
    lines = graphene.List(graphene.NonNull(OrderLine), required=True)
    fulfillments = graphene.List(graphene.NonNull(Fulfillment), required=True)
    subtotal = graphene.Field(TaxedMoney, required=True)
    shipping_price = graphene.Field(TaxedMoney, required=True)
    total = graphene.Field(TaxedMoney, required=True)
    is_click_and_collect = graphene.Boolean(required=True)
    delivery_method_name = graphene.String(required=True, description="The shipping method's or pickup point's name.")
    shipping_method_name = graphene.String()
    collection_point_name = graphene.String()
    collection_point = graphene.Field(Warehouse, description="The shop location where the items are collected.")
    tracking_number = graphene.String(required=True)
    events = graphene.List(
        graphene.NonNull(OrderEvent), required=True, description="This part's history; staff only."
    )

    @staticmethod
    def resolve_id(root, _info):
        return to_global_id("VendorOrder", root.pk)

    @staticmethod
    def resolve_vendor(root, info):
        return get_loader(info, VendorByIdLoader).load(root.vendor_id)

    @staticmethod
    def resolve_status_display(root, _info):
        return root.get_status_display()

    @staticmethod
    def resolve_created(root, _info):
        return root.created_at

    @staticmethod
    def resolve_lines(root, info):
        def mine(lines):
            return [line for line in lines if line.vendor_order_id == root.pk]

        return then(get_loader(info, LinesByOrderIdLoader).load(root.order_id), mine)

    @staticmethod
    def resolve_fulfillments(root, info):
        return then(
            get_loader(info, FulfillmentsByOrderIdLoader).load(root.order_id),
            lambda rows: [row for row in rows if row.vendor_order_id == root.pk],
        )

    @staticmethod
    def resolve_subtotal(root, _info):
        return _taxed(root.subtotal_net_amount, root.subtotal_gross_amount, root.currency)

    @staticmethod
    def resolve_shipping_price(root, _info):
        return _taxed(root.shipping_price_net_amount, root.shipping_price_gross_amount, root.currency)

    @staticmethod
    def resolve_total(root, _info):
        return _taxed(root.total_net_amount, root.total_gross_amount, root.currency)

    @staticmethod
    def resolve_is_click_and_collect(root, _info):
        return bool(root.collection_point_id or root.collection_point_name)

    @staticmethod
    def resolve_delivery_method_name(root, _info):
        return root.collection_point_name or root.shipping_method_name or ""

    @staticmethod
    def resolve_shipping_method_name(root, _info):
        return root.shipping_method_name or None

    @staticmethod
    def resolve_collection_point_name(root, _info):
        return root.collection_point_name or None

    @staticmethod
    def resolve_collection_point(root, info):
        if not root.collection_point_id:
            return None
        return get_loader(info, WarehouseByIdLoader).load(root.collection_point_id)

    @staticmethod
    def resolve_events(root, info):
        order = getattr(root, "_order", None) or get_loader(info, OrderByIdLoader).load(root.order_id)
        return then(order, lambda found: _events_of(info, found, {root.pk}))


# --- the order ------------------------------------------------------------------------------------------


class Order(graphene.ObjectType):
    id = graphene.ID(required=True)
    private_metadata = graphene.List(graphene.NonNull(MetadataItem), required=True)
    private_metafield = graphene.String(key=graphene.String(required=True))
    private_metafields = graphene.Field(Metadata, keys=graphene.List(graphene.NonNull(graphene.String)))
    metadata = graphene.List(graphene.NonNull(MetadataItem), required=True)
    metafield = graphene.String(key=graphene.String(required=True))
    metafields = graphene.Field(Metadata, keys=graphene.List(graphene.NonNull(graphene.String)))
    created = DateTime(required=True)
    updated_at = DateTime(required=True)
    status = graphene.Field(OrderStatus, required=True)
    user = graphene.Field(lambda: _user_type())
    tracking_client_id = graphene.String(required=True)
    billing_address = graphene.Field(lambda: _address_type())
    shipping_address = graphene.Field(lambda: _address_type())
    shipping_method_name = graphene.String()
    collection_point_name = graphene.String()
    channel = graphene.Field(Channel, required=True)
    fulfillments = graphene.List(graphene.NonNull(Fulfillment), required=True)
    lines = graphene.List(graphene.NonNull(OrderLine), required=True)
    actions = graphene.List(graphene.NonNull(OrderAction), required=True)
    number = graphene.String(required=True)
    origin = graphene.Field(OrderOriginEnum, required=True)
    is_paid = graphene.Boolean(required=True)
    payment_status = graphene.Field(PaymentChargeStatusEnum, required=True)
    payment_status_display = graphene.String(required=True)
    authorize_status = graphene.Field(OrderAuthorizeStatusEnum, required=True)
    charge_status = graphene.Field(OrderChargeStatusEnum, required=True)
    tax_exemption = graphene.Boolean(required=True)
    transactions = graphene.List(graphene.NonNull(TransactionItem), required=True)
    total = graphene.Field(TaxedMoney, required=True)
    undiscounted_total = graphene.Field(TaxedMoney, required=True)
    undiscounted_shipping_price = graphene.Field(Money, required=True)
    shipping_price = graphene.Field(TaxedMoney, required=True)
    shipping_tax_rate = graphene.Float(required=True)
    token = graphene.String(required=True, deprecation_reason="Use `id` instead.")
    voucher = graphene.Field(Voucher)
    voucher_code = graphene.String()
    customer_note = graphene.String(required=True)
    redirect_url = graphene.String()
    subtotal = graphene.Field(TaxedMoney, required=True)
    status_display = graphene.String(required=True)
    can_finalize = graphene.Boolean(required=True)
    total_authorized = graphene.Field(Money, required=True)
    total_captured = graphene.Field(Money, required=True, deprecation_reason="Use `totalCharged` instead.")
    total_charged = graphene.Field(Money, required=True)
    total_canceled = graphene.Field(Money, required=True)
    events = graphene.List(graphene.NonNull(OrderEvent), required=True)
    total_balance = graphene.Field(Money, required=True)
    user_email = graphene.String()
    is_shipping_required = graphene.Boolean(required=True)
    delivery_method = graphene.Field(lambda: _delivery_method_type())
    language_code = graphene.String(required=True, deprecation_reason="Use `languageCodeEnum` instead.")
    language_code_enum = graphene.Field(LanguageCodeEnum, required=True)
    discount = graphene.Field(Money, deprecation_reason="Use `discounts` instead.")
    discount_name = graphene.String(deprecation_reason="Use `discounts` instead.")
    translated_discount_name = graphene.String(deprecation_reason="Use `discounts` instead.")
    discounts = graphene.List(graphene.NonNull(OrderDiscount), required=True)
    errors = graphene.List(graphene.NonNull(lambda: OrderError), required=True)
    display_gross_prices = graphene.Boolean(required=True)
    external_reference = graphene.String()
    checkout_id = graphene.ID()
    total_granted_refund = graphene.Field(Money, required=True)
    total_refunded = graphene.Field(Money, required=True)
    total_refund_pending = graphene.Field(Money, required=True)
    total_authorize_pending = graphene.Field(Money, required=True)
    total_charge_pending = graphene.Field(Money, required=True)
    total_cancel_pending = graphene.Field(Money, required=True)
    total_remaining_grant = graphene.Field(Money, required=True)
    vendor_orders = graphene.List(
        graphene.NonNull(VendorOrder),
        required=True,
        description="The order split per member shop, each with its own status and delivery (marketplace).",
    )
    vat_breakdown = graphene.List(
        graphene.NonNull(lambda: OrderVatLine),
        required=True,
        description="Net, VAT and gross per VAT rate, lines and shipping (marketplace addition).",
    )

    @staticmethod
    def resolve_vat_breakdown(root, info):
        def compute(values):
            vendor_orders, lines = values
            scope = order_viewer(info).scope(root, [vo.vendor_id for vo in vendor_orders])
            parts = [vo for vo in vendor_orders if scope is None or vo.vendor_id in scope]
            kept = [line for line in lines if scope is None or line.vendor_id in scope]
            return [OrderVatLine(row=row, currency=root.currency) for row in vat_totals(parts, kept)]

        return then(gather(_vendor_orders(info, root), get_loader(info, LinesByOrderIdLoader).load(root.pk)), compute)

    @staticmethod
    def resolve_id(root, _info):
        return to_global_id("Order", root.pk)

    @staticmethod
    def resolve_metadata(root, _info):
        return metadata_items(root.metadata)

    @staticmethod
    def resolve_metafield(root, _info, key):
        return (root.metadata or {}).get(key)

    @staticmethod
    def resolve_metafields(root, _info, keys=None):
        return _pick(root.metadata, keys)

    @staticmethod
    def _private(info) -> None:
        if not order_viewer(info).sees_all:
            raise PermissionDenied(permissions=MANAGE_ORDERS)

    @staticmethod
    def resolve_private_metadata(root, info):
        Order._private(info)
        return metadata_items(root.private_metadata)

    @staticmethod
    def resolve_private_metafield(root, info, key):
        Order._private(info)
        return (root.private_metadata or {}).get(key)

    @staticmethod
    def resolve_private_metafields(root, info, keys=None):
        Order._private(info)
        return _pick(root.private_metadata, keys)

    @staticmethod
    def resolve_created(root, _info):
        return root.created_at

    @staticmethod
    def resolve_user(root, info):
        viewer = order_viewer(info)
        if root.user_id is None or not (viewer.sees_all or viewer.owns(root)):
            return None
        return get_loader(info, UserByIdLoader).load(root.user_id)

    @staticmethod
    def resolve_tracking_client_id(_root, _info):
        return ""

    @staticmethod
    def resolve_billing_address(root, info):
        return get_loader(info, AddressByIdLoader).load(root.billing_address_id) if root.billing_address_id else None

    @staticmethod
    def resolve_shipping_address(root, info):
        if not root.shipping_address_id:
            return None
        return get_loader(info, AddressByIdLoader).load(root.shipping_address_id)

    @staticmethod
    def resolve_shipping_method_name(root, info):
        def names(_scope, visible):
            found = [vo.shipping_method_name for vo in visible if vo.shipping_method_name]
            return ", ".join(found) or None

        return with_visible_part(info, root, names)

    @staticmethod
    def resolve_collection_point_name(root, info):
        def names(_scope, visible):
            found = [vo.collection_point_name for vo in visible if vo.collection_point_name]
            return ", ".join(found) or None

        return with_visible_part(info, root, names)

    @staticmethod
    def resolve_channel(root, info):
        return get_loader(info, ChannelByIdLoader).load(root.channel_id)

    @staticmethod
    def resolve_lines(root, info):
        def pick(values):
            vendor_orders, lines = values
            scope = order_viewer(info).scope(root, [vo.vendor_id for vo in vendor_orders])
            chosen = [line for line in lines if scope is None or line.vendor_id in scope]
            for line in chosen:
                line._order = root
            return chosen

        return then(gather(_vendor_orders(info, root), get_loader(info, LinesByOrderIdLoader).load(root.pk)), pick)

    @staticmethod
    def resolve_fulfillments(root, info):
        def pick(values):
            vendor_orders, fulfillments = values
            scope = order_viewer(info).scope(root, [vo.vendor_id for vo in vendor_orders])
            visible = {vo.pk for vo in vendor_orders if scope is None or vo.vendor_id in scope}
            return [row for row in fulfillments if row.vendor_order_id in visible]

        fulfillments = get_loader(info, FulfillmentsByOrderIdLoader).load(root.pk)
        return then(gather(_vendor_orders(info, root), fulfillments), pick)

    @staticmethod
    def resolve_vendor_orders(root, info):
        def mine(_scope, visible):
            for vendor_order in visible:
                vendor_order._order = root
            return visible

        return with_visible_part(info, root, mine)

    @staticmethod
    def resolve_actions(_root, _info):
        return []

    @staticmethod
    def resolve_number(root, _info):
        return str(root.number)

    @staticmethod
    def resolve_is_paid(root, _info):
        return root.charge_status in (models.OrderChargeStatus.FULL, models.OrderChargeStatus.OVERCHARGED)

    @staticmethod
    def resolve_payment_status(root, _info):
        return payment_status(root)

    @staticmethod
    def resolve_payment_status_display(root, _info):
        return PAYMENT_STATUS_DISPLAY[payment_status(root)]

    @staticmethod
    def resolve_tax_exemption(_root, _info):
        return False

    @staticmethod
    def resolve_transactions(root, info):
        viewer = order_viewer(info)
        # A shop's staff read the payment's outcome on the order, not the shopper's transactions.
        if not (viewer.sees_all or viewer.owns(root) or root.user_id is None):
            return []
        return get_loader(info, TransactionsByOrderIdLoader).load(root.pk)

    @staticmethod
    def resolve_total(root, info):
        return _part_amount(info, root, "total")

    @staticmethod
    def resolve_undiscounted_total(root, info):
        return _part_amount(info, root, "total")

    @staticmethod
    def resolve_subtotal(root, info):
        return _part_amount(info, root, "subtotal")

    @staticmethod
    def resolve_shipping_price(root, info):
        return _part_amount(info, root, "shipping_price")

    @staticmethod
    def resolve_undiscounted_shipping_price(root, info):
        return then(_part_amount(info, root, "shipping_price"), lambda taxed: taxed.gross)

    @staticmethod
    def resolve_shipping_tax_rate(root, info):
        def rate(taxed):
            net = taxed.net.amount
            return float(((taxed.gross.amount - net) / net).quantize(Decimal("0.0001"))) if net else 0.0

        return then(_part_amount(info, root, "shipping_price"), rate)

    @staticmethod
    def resolve_token(root, _info):
        return str(root.pk)

    @staticmethod
    def resolve_status_display(root, _info):
        return root.get_status_display()

    @staticmethod
    def resolve_can_finalize(_root, _info):
        return True

    @staticmethod
    def _transaction_sum(info, root, attname: str):
        def total(items):
            return _money(_sum(items, attname), root.currency)

        return then(get_loader(info, TransactionsByOrderIdLoader).load(root.pk), total)

    @staticmethod
    def resolve_total_authorized(root, info):
        return Order._transaction_sum(info, root, "authorized_value")

    @staticmethod
    def resolve_total_captured(root, _info):
        return _money(root.total_charged_amount, root.currency)

    @staticmethod
    def resolve_total_charged(root, _info):
        return _money(root.total_charged_amount, root.currency)

    @staticmethod
    def resolve_total_canceled(root, info):
        return Order._transaction_sum(info, root, "canceled_value")

    @staticmethod
    def resolve_total_refund_pending(root, info):
        return Order._transaction_sum(info, root, "refund_pending_value")

    @staticmethod
    def resolve_total_authorize_pending(root, info):
        return Order._transaction_sum(info, root, "authorize_pending_value")

    @staticmethod
    def resolve_total_charge_pending(root, info):
        return Order._transaction_sum(info, root, "charge_pending_value")

    @staticmethod
    def resolve_total_cancel_pending(root, info):
        return Order._transaction_sum(info, root, "cancel_pending_value")

    @staticmethod
    def resolve_total_refunded(root, _info):
        return _money(root.total_refunded_amount, root.currency)

    @staticmethod
    def resolve_total_granted_refund(root, _info):
        return _money(0, root.currency)

    @staticmethod
    def resolve_total_remaining_grant(root, _info):
        return _money(0, root.currency)

    @staticmethod
    def resolve_events(root, info):
        return _events_of(info, root)

    @staticmethod
    def resolve_total_balance(root, info):
        # Saleor's sign: negative while the shopper still owes something; cancelled items are owed no more.
        def balance(values):
            vendor_orders, lines = values
            return _money(root.total_charged_amount - kept_gross(vendor_orders, lines), root.currency)

        lines = get_loader(info, LinesByOrderIdLoader).load(root.pk)
        return then(gather(_vendor_orders(info, root), lines), balance)

    @staticmethod
    def resolve_user_email(root, _info):
        return root.user_email or None

    @staticmethod
    def resolve_is_shipping_required(root, info):
        return then(Order.resolve_lines(root, info), lambda lines: any(line.is_shipping_required for line in lines))

    @staticmethod
    def resolve_delivery_method(root, info):
        def pick(_scope, visible):
            return _delivery_method_of(info, visible[0]) if len(visible) == 1 else None

        return with_visible_part(info, root, pick)

    @staticmethod
    def resolve_language_code(root, _info):
        return root.language_code

    @staticmethod
    def resolve_language_code_enum(root, _info):
        return language_code_enum(root.language_code)

    @staticmethod
    def resolve_discounts(_root, _info):
        return []

    @staticmethod
    def resolve_errors(_root, _info):
        return []

    @staticmethod
    def resolve_display_gross_prices(_root, _info):
        return True

    @staticmethod
    def resolve_checkout_id(root, _info):
        return to_global_id("Checkout", root.checkout_token) if root.checkout_token else None


def _address_type():
    from ..account.types import Address

    return Address


def _user_type():
    from ..account.types import User

    return User


class OrderVatLine(graphene.ObjectType):
    """One VAT rate of an order: what was sold at it, net, VAT and gross (marketplace addition)."""

    rate = graphene.Float(required=True, description="Percent, e.g. 21.")
    net = graphene.Field(Money, required=True)
    tax = graphene.Field(Money, required=True)
    gross = graphene.Field(Money, required=True)

    def __init__(self, row, currency: str):
        super().__init__(
            rate=float(row.rate * 100),
            net=_money(row.net, currency),
            tax=_money(row.tax, currency),
            gross=_money(row.gross, currency),
        )
