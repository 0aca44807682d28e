"""Order queries and mutations (Saleor's names), and ``me { orders }`` for the account API to wire."""

from __future__ import annotations

import graphene
from django.db.models import Exists, OuterRef, Q, QuerySet
from graphql import GraphQLError

from saleor_ext.order import selectors
from saleor_ext.order.models import Order as OrderModel
from saleor_ext.order.models import OrderChargeStatus, OrderStatus
from saleor_ext.order.models import VendorOrder as VendorOrderModel

from ..core.connection import connection_args, countable_connection, paginate
from ..core.context import get_loader, selected_fields
from ..core.enums import enum_value
from ..core.errors import PermissionDenied
from ..core.ids import from_global_id_or_error, pks_from_global_ids
from ..core.permissions import get_user
from ..core.types import OrderDirection
from ..product.channel import channel_by_slug
from ..product.dataloaders import ProductVariantByIdLoader
from . import mutations
from .dataloaders import (
    AddressByIdLoader,
    ChannelByIdLoader,
    EventsByOrderIdLoader,
    FulfillmentsByOrderIdLoader,
    LinesByOrderIdLoader,
    TransactionsByOrderIdLoader,
    VendorOrdersByOrderIdLoader,
)
from .enums import (
    OrderAuthorizeStatusEnum,
    OrderChargeStatusEnum,
    OrderSortField,
    OrderStatusFilter,
    VendorOrderStatusEnum,
)
from .types import MANAGE_ORDERS, Order, order_viewer

OrderCountableConnection = countable_connection(Order, "Order")


class OrderSortingInput(graphene.InputObjectType):
    direction = graphene.Field(OrderDirection, required=True)
    field = graphene.Field(OrderSortField, required=True)


class OrderFilterInput(graphene.InputObjectType):
    status = graphene.List(graphene.NonNull(OrderStatusFilter))
    customer = graphene.String()
    search = graphene.String()
    channels = graphene.List(graphene.NonNull(graphene.ID))
    authorize_status = graphene.List(graphene.NonNull(OrderAuthorizeStatusEnum))
    charge_status = graphene.List(graphene.NonNull(OrderChargeStatusEnum))
    is_click_and_collect = graphene.Boolean()
    ids = graphene.List(graphene.NonNull(graphene.ID))
    numbers = graphene.List(graphene.NonNull(graphene.String))
    vendor_order_status = graphene.List(
        graphene.NonNull(VendorOrderStatusEnum),
        description="Orders with a vendor order (of the caller's shops) in one of these statuses (marketplace).",
    )


SORT_KEYS = {
    "number": ("number",),
    "creation_date": ("created_at", "number"),
    "created_at": ("created_at", "number"),
    "last_modified_at": ("updated_at", "number"),
    "customer": ("user_email", "number"),
    "payment": ("charge_status", "number"),
    "fulfillment_status": ("status", "number"),
    "status": ("status", "number"),
}
PAID = [OrderChargeStatus.FULL, OrderChargeStatus.OVERCHARGED]


def _sort_keys(sort_by) -> list[str]:
    if not sort_by:
        return ["-number"]
    keys = SORT_KEYS[enum_value(sort_by.field)]
    descending = enum_value(sort_by.direction) == "DESC"
    return [f"-{key}" if descending else key for key in keys]


def _status_condition(values) -> Q:
    condition = Q(pk__in=[])
    for value in map(enum_value, values):
        if value == "ready_to_fulfill":
            open_statuses = [OrderStatus.UNFULFILLED, OrderStatus.PARTIALLY_FULFILLED]
            condition |= Q(status__in=open_statuses, charge_status__in=PAID)
        elif value == "ready_to_capture":
            condition |= Q(authorize_status=OrderChargeStatus.FULL) & ~Q(charge_status__in=PAID)
        else:
            condition |= Q(status=value)
    return condition


def filter_orders(queryset: QuerySet, data, viewer) -> QuerySet:
    if not data:
        return queryset
    if data.get("status"):
        queryset = queryset.filter(_status_condition(data["status"]))
    for term in filter(None, [data.get("customer"), data.get("search")]):
        term = term.strip()
        condition = (
            Q(user_email__icontains=term)
            | Q(billing_address__last_name__icontains=term)
            | Q(billing_address__first_name__icontains=term)
        )
        if term.lstrip("#").isdigit():
            condition |= Q(number=int(term.lstrip("#")))
        queryset = queryset.filter(condition)
    if data.get("channels"):
        queryset = queryset.filter(channel_id__in=pks_from_global_ids(data["channels"], "Channel"))
    if data.get("authorize_status"):
        queryset = queryset.filter(authorize_status__in=[enum_value(v) for v in data["authorize_status"]])
    if data.get("charge_status"):
        queryset = queryset.filter(charge_status__in=[enum_value(v) for v in data["charge_status"]])
    if data.get("ids"):
        queryset = queryset.filter(pk__in=pks_from_global_ids(data["ids"], "Order"))
    if data.get("numbers"):
        queryset = queryset.filter(number__in=[int(n) for n in data["numbers"] if str(n).isdigit()])
    parts = VendorOrderModel.objects.filter(order_id=OuterRef("pk"))
    if not viewer.sees_all:
        parts = parts.filter(vendor_id__in=viewer.vendor_ids)
    if data.get("is_click_and_collect") is not None:
        pickup = Exists(parts.exclude(collection_point_name=""))
        queryset = queryset.filter(pickup if data["is_click_and_collect"] else ~pickup)
    if data.get("vendor_order_status"):
        statuses = [enum_value(v) for v in data["vendor_order_status"]]
        queryset = queryset.filter(Exists(parts.filter(status__in=statuses)))
    return queryset


def prime_orders(info, orders: list, *path: str) -> None:
    """Load the relations a page of orders selected, in one batch each, before its fields resolve."""
    if not orders:
        return
    fields = selected_fields(info, *path)
    ids = [order.pk for order in orders]
    get_loader(info, VendorOrdersByOrderIdLoader).prime(ids)
    if fields & {"lines", "isShippingRequired", "totalBalance"}:
        lines_loader = get_loader(info, LinesByOrderIdLoader)
        lines_loader.prime(ids)
        line_fields = selected_fields(info, *path, "lines")
        if line_fields & {"variant", "thumbnail"}:
            variant_ids = {line.variant_id for pk in ids for line in lines_loader.load(pk) if line.variant_id}
            get_loader(info, ProductVariantByIdLoader).prime(variant_ids)
    if "fulfillments" in fields:
        get_loader(info, FulfillmentsByOrderIdLoader).prime(ids)
    if "events" in fields:
        get_loader(info, EventsByOrderIdLoader).prime(ids)
    if fields & {"transactions", "totalAuthorized", "totalCanceled"}:
        get_loader(info, TransactionsByOrderIdLoader).prime(ids)
    get_loader(info, ChannelByIdLoader).prime({order.channel_id for order in orders})
    addresses = set()
    if "billingAddress" in fields:
        addresses |= {order.billing_address_id for order in orders if order.billing_address_id}
    if "shippingAddress" in fields:
        addresses |= {order.shipping_address_id for order in orders if order.shipping_address_id}
    get_loader(info, AddressByIdLoader).prime(addresses)


def _page(info, queryset: QuerySet, *, sort_by=None, **paging):
    result = paginate(queryset, sort_keys=_sort_keys(sort_by), connection_name="orders", **paging)
    prime_orders(info, [edge.node for edge in result.edges], "edges", "node")
    return result


def resolve_user_orders(info, user, *, first=None, after=None, last=None, before=None, **_where):
    """``User.orders`` for the account API: that shopper's own orders, newest first.

    Call it for the logged-in user themself (``me``); it shows whole orders.
    """
    return _page(info, selectors.user_orders(user), first=first, after=after, last=last, before=before)


class OrderQueries(graphene.ObjectType):
    order = graphene.Field(
        Order,
        id=graphene.ID(description="The order's ID; a guest's order is read with its ID alone."),
        external_reference=graphene.String(description="Not used on the marketplace."),
    )
    orders = graphene.Field(
        OrderCountableConnection,
        sort_by=OrderSortingInput(),
        filter=OrderFilterInput(),
        channel=graphene.String(),
        search=graphene.String(),
        **connection_args(),
    )

    @staticmethod
    def resolve_order(_root, info, id=None, external_reference=None):
        if not id:
            return None
        order = OrderModel.objects.filter(pk=from_global_id_or_error(id, "Order")).first()
        if order is None:
            return None
        loader = get_loader(info, VendorOrdersByOrderIdLoader)
        loader.prime([order.pk])
        vendor_ids = [vo.vendor_id for vo in loader.load(order.pk)]
        if not order_viewer(info).can_view(order, vendor_ids):
            return None
        prime_orders(info, [order])
        return order

    @staticmethod
    def resolve_orders(_root, info, sort_by=None, filter=None, channel=None, search=None, **paging):
        viewer = order_viewer(info)
        if not viewer.is_order_staff:
            raise PermissionDenied(permissions=MANAGE_ORDERS)
        queryset = selectors.orders_handled_by(get_user(info), viewer=viewer)
        if channel:
            found = channel_by_slug(info, channel)
            if found is None:
                raise GraphQLError(f"Channel with '{channel}' slug does not exist.")
            queryset = queryset.filter(channel_id=found.pk)
        if search:
            filter = {**(filter or {}), "search": search}
        queryset = filter_orders(queryset, filter, viewer)
        return _page(info, queryset, sort_by=sort_by, **paging)


class OrderMutations(graphene.ObjectType):
    order_fulfill = mutations.OrderFulfill.Field()
    order_cancel = mutations.OrderCancel.Field()
    order_fulfillment_update_tracking = mutations.FulfillmentUpdateTracking.Field()
    vendor_order_accept = mutations.VendorOrderAccept.Field()
    vendor_order_mark_ready_for_pickup = mutations.VendorOrderMarkReadyForPickup.Field()
    vendor_order_mark_collected = mutations.VendorOrderMarkCollected.Field()
    vendor_order_cancel = mutations.VendorOrderCancel.Field()
    order_line_cancel = mutations.OrderLineCancel.Field()
