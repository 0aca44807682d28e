"""The order as the viewer sees it."""

from __future__ import annotations

from decimal import Decimal

import graphene

from saleor_ext.order import models
from saleor_ext.order.calculations import order_due
from saleor_ext.order.selectors import vat_totals

from ...channel.types import Channel
from ...core.context import get_loader
from ...core.errors import PermissionDenied
from ...core.futures import gather, then
from ...core.ids import to_global_id
from ...core.scalars import DateTime, PositiveDecimal
from ...core.types import GlobalId, LanguageCodeEnum, Money, PrivateMetadataFields, TaxedMoney, language_code_enum
from ...payment.types import TransactionItem
from ..dataloaders import (
    AddressByIdLoader,
    ChannelByIdLoader,
    FulfillmentsByOrderIdLoader,
    LinesByOrderIdLoader,
    TransactionsByOrderIdLoader,
    UserByIdLoader,
)
from ..enums import (
    PAYMENT_STATUS_DISPLAY,
    DiscountValueTypeEnum,
    OrderAction,
    OrderAuthorizeStatusEnum,
    OrderChargeStatusEnum,
    OrderDiscountType,
    OrderOriginEnum,
    OrderStatus,
    PaymentChargeStatusEnum,
)
from .errors import OrderError
from .events import OrderEvent, events_of
from .fulfillment import Fulfillment
from .lines import OrderLine
from .money import OrderVatLine, money, part_amount, sum_of
from .vendor_order import VendorOrder, delivery_method_of
from .viewer import MANAGE_ORDERS, order_viewer, vendor_orders_of, with_visible_part


def payment_status(order: models.Order) -> str:
    """Saleor's legacy ``paymentStatus``, derived from the order's transactions' totals."""
    charged, refunded = order.total_charged_amount, order.total_refunded_amount
    if refunded > 0:
        return "fully-refunded" if charged <= 0 else "partially-refunded"
    if charged > 0:
        full = order.charge_status in (models.OrderChargeStatus.FULL, models.OrderChargeStatus.OVERCHARGED)
        return "fully-charged" if full else "partially-charged"
    return "not-charged"


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


class Order(PrivateMetadataFields, GlobalId):
    created = DateTime(required=True)
    updated_at = DateTime(required=True)
    status = graphene.Field(OrderStatus, required=True)
    user = graphene.Field("saleor_ext.graphql.account.types.User")
    tracking_client_id = graphene.String(required=True)
    billing_address = graphene.Field("saleor_ext.graphql.account.types.Address")
    shipping_address = graphene.Field("saleor_ext.graphql.account.types.Address")
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
    delivery_method = graphene.Field("saleor_ext.graphql.checkout.delivery.DeliveryMethod")
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

        return then(gather(vendor_orders_of(info, root), get_loader(info, LinesByOrderIdLoader).load(root.pk)), compute)

    @staticmethod
    def check_private_metadata(_root, info) -> None:
        if not order_viewer(info).sees_all:
            raise PermissionDenied(permissions=MANAGE_ORDERS)

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

        return then(gather(vendor_orders_of(info, root), get_loader(info, LinesByOrderIdLoader).load(root.pk)), pick)

    @staticmethod
    def resolve_fulfillments(root, info):
        def pick(values):
            vendor_orders, fulfillments = values
            scope = order_viewer(info).scope(root, [vo.vendor_id for vo in vendor_orders])
            visible = {vo.pk for vo in vendor_orders if scope is None or vo.vendor_id in scope}
            return [row for row in fulfillments if row.vendor_order_id in visible]

        fulfillments = get_loader(info, FulfillmentsByOrderIdLoader).load(root.pk)
        return then(gather(vendor_orders_of(info, root), fulfillments), pick)

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
        return part_amount(info, root, "total")

    @staticmethod
    def resolve_undiscounted_total(root, info):
        return part_amount(info, root, "total")

    @staticmethod
    def resolve_subtotal(root, info):
        return part_amount(info, root, "subtotal")

    @staticmethod
    def resolve_shipping_price(root, info):
        return part_amount(info, root, "shipping_price")

    @staticmethod
    def resolve_undiscounted_shipping_price(root, info):
        return then(part_amount(info, root, "shipping_price"), lambda taxed: taxed.gross)

    @staticmethod
    def resolve_shipping_tax_rate(root, info):
        def rate(taxed):
            net = taxed.net.amount
            return float(((taxed.gross.amount - net) / net).quantize(Decimal("0.0001"))) if net else 0.0

        return then(part_amount(info, root, "shipping_price"), rate)

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
            return money(sum_of(items, attname), root.currency)

        return then(get_loader(info, TransactionsByOrderIdLoader).load(root.pk), total)

    @staticmethod
    def resolve_total_authorized(root, info):
        return Order._transaction_sum(info, root, "authorized_value")

    @staticmethod
    def resolve_total_captured(root, _info):
        return money(root.total_charged_amount, root.currency)

    @staticmethod
    def resolve_total_charged(root, _info):
        return money(root.total_charged_amount, root.currency)

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
        return money(root.total_refunded_amount, root.currency)

    @staticmethod
    def resolve_total_granted_refund(root, _info):
        return money(0, root.currency)

    @staticmethod
    def resolve_total_remaining_grant(root, _info):
        return money(0, root.currency)

    @staticmethod
    def resolve_events(root, info):
        return events_of(info, root)

    @staticmethod
    def resolve_total_balance(root, info):
        # Saleor's sign: negative while the shopper still owes something; cancelled items are owed no more.
        def balance(values):
            vendor_orders, lines = values
            return money(root.total_charged_amount - order_due(vendor_orders, lines), root.currency)

        lines = get_loader(info, LinesByOrderIdLoader).load(root.pk)
        return then(gather(vendor_orders_of(info, root), lines), balance)

    @staticmethod
    def resolve_user_email(root, _info):
        return root.user_email or None

    @staticmethod
    def resolve_is_shipping_required(root, info):
        return then(Order.resolve_lines(root, info), lambda lines: any(line.is_shipping_required for line in lines))

    @staticmethod
    def resolve_delivery_method(root, info):
        def pick(_scope, visible):
            return delivery_method_of(info, visible[0]) if len(visible) == 1 else None

        return with_visible_part(info, root, pick)

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
