"""Order mutations: Saleor's orderFulfill, orderCancel and orderFulfillmentUpdateTracking, and the
marketplace's steps on one shop's part (vendorOrderAccept, …MarkReadyForPickup, …MarkCollected,
…Cancel, orderLineCancel).

Only order staff may call them (anyone else gets PermissionDenied): federation staff with
MANAGE_ORDERS act on every order, a shop's staff on their shop's part only; another shop's vendor
order, line or fulfilment is NOT_FOUND for them. Each mutation translates its input, calls one
service of ``saleor_ext.order.services`` and returns ``errors: [OrderError!]!`` Saleor-style.
"""

from __future__ import annotations

import uuid

import graphene
from django.core.exceptions import ValidationError
from graphql import GraphQLError

from saleor_ext.order import services
from saleor_ext.order.error_codes import OrderErrorCode as Codes
from saleor_ext.order.models import Fulfillment as FulfillmentModel
from saleor_ext.order.models import Order as OrderModel
from saleor_ext.order.models import OrderLine as OrderLineModel
from saleor_ext.order.models import VendorOrder as VendorOrderModel
from saleor_ext.order.selectors import OrderViewer
from saleor_ext.warehouse.models import Warehouse as WarehouseModel

from ..core.errors import PermissionDenied, validation_error_to_list
from ..core.ids import decode_global_id, to_global_id
from ..core.permissions import get_user
from .types import MANAGE_ORDERS, Fulfillment, Order, OrderError, OrderLine, VendorOrder, order_viewer

UUID_TYPES = {"Order", "OrderLine", "VendorOrder", "Warehouse"}


def order_errors(error: ValidationError) -> list[OrderError]:
    return validation_error_to_list(error, OrderError, Codes)


def _pk(global_id: str | None, type_name: str, field: str):
    """The pk inside an ID of ``type_name``; a malformed or foreign ID is the caller's GRAPHQL_ERROR."""
    if not global_id:
        raise services.error(field, f"Give a {type_name} ID.", Codes.REQUIRED)
    try:
        kind, pk = decode_global_id(global_id)
    except GraphQLError:
        raise services.error(field, f"Couldn't resolve ID: {global_id}.", Codes.GRAPHQL_ERROR) from None
    if kind != type_name:
        raise services.error(field, f"Must receive a {type_name} ID.", Codes.GRAPHQL_ERROR)
    try:
        return uuid.UUID(pk) if type_name in UUID_TYPES else int(pk)
    except ValueError:
        raise services.error(field, f"Couldn't resolve ID: {global_id}.", Codes.GRAPHQL_ERROR) from None


def _not_found(field: str, what: str) -> ValidationError:
    return services.error(field, f"Couldn't resolve to {what}.", Codes.NOT_FOUND)


def _staff(info) -> OrderViewer:
    viewer = order_viewer(info)
    if not viewer.is_order_staff:
        raise PermissionDenied(permissions=MANAGE_ORDERS)
    return viewer


def _handled_order(viewer: OrderViewer, global_id, field: str = "id") -> OrderModel:
    """An order holding a part the viewer handles; any other is NOT_FOUND."""
    order = OrderModel.objects.filter(pk=_pk(global_id, "Order", field)).first()
    if order is None:
        raise _not_found(field, "an order")
    if not viewer.sees_all:
        vendor_ids = set(order.vendor_orders.values_list("vendor_id", flat=True))
        if not viewer.vendor_ids & vendor_ids:
            raise _not_found(field, "an order")
    return order


def _handled_vendor_order(viewer: OrderViewer, global_id) -> VendorOrderModel:
    vendor_order = VendorOrderModel.objects.filter(pk=_pk(global_id, "VendorOrder", "id")).first()
    if vendor_order is None or not viewer.handles(vendor_order.vendor_id):
        raise _not_found("id", "a vendor order")
    return vendor_order


class _Payload:
    """Runs a mutation's action for order staff; a ``ValidationError`` becomes ``errors``."""

    errors = graphene.List(graphene.NonNull(OrderError), required=True)

    @classmethod
    def run(cls, info, action):
        viewer = _staff(info)
        try:
            result = action(viewer, get_user(info))
        except ValidationError as error:
            return cls.failure(order_errors(error))
        return cls(errors=[], **result)

    @classmethod
    def failure(cls, errors):
        return cls(errors=errors)


class _SaleorPayload(_Payload):
    order_errors = graphene.List(graphene.NonNull(OrderError), required=True, deprecation_reason="Use `errors`.")

    @classmethod
    def run(cls, info, action):
        payload = super().run(info, action)
        payload.order_errors = payload.errors
        return payload


def _fresh_order(order_id) -> OrderModel:
    return OrderModel.objects.get(pk=order_id)


# --- Saleor's mutations ----------------------------------------------------------------------------


class OrderFulfillStockInput(graphene.InputObjectType):
    quantity = graphene.Int(required=True)
    warehouse = graphene.ID(required=True)


class OrderFulfillLineInput(graphene.InputObjectType):
    order_line_id = graphene.ID()
    stocks = graphene.List(graphene.NonNull(OrderFulfillStockInput), required=True)


class OrderFulfillInput(graphene.InputObjectType):
    lines = graphene.List(graphene.NonNull(OrderFulfillLineInput), required=True)
    notify_customer = graphene.Boolean()
    allow_stock_to_be_exceeded = graphene.Boolean(default_value=False)
    tracking_number = graphene.String()


def _fulfil_input(viewer: OrderViewer, order: OrderModel, lines) -> tuple[dict, dict]:
    """({line pk: quantity}, {line pk: warehouse pk}) after checking the viewer's shop owns both."""
    quantities: dict = {}
    warehouses: dict = {}
    for line_input in lines:
        line_pk = _pk(line_input.get("order_line_id"), "OrderLine", "orderLineId")
        if line_pk in quantities:
            raise services.error(
                "orderLineId",
                "The same line appears twice.",
                Codes.DUPLICATED_INPUT_ITEM,
                order_lines=[to_global_id("OrderLine", line_pk)],
            )
        quantities[line_pk] = 0
        for stock in line_input.stocks:
            quantities[line_pk] += stock.quantity
            warehouses[line_pk] = _pk(stock.warehouse, "Warehouse", "warehouse")
    vendor_of = dict(OrderLineModel.objects.filter(order=order, pk__in=list(quantities)).values_list("pk", "vendor_id"))
    foreign = [pk for pk in quantities if pk not in vendor_of or not viewer.handles(vendor_of[pk])]
    if foreign:
        raise services.error(
            "orderLineId",
            "Couldn't resolve some lines of this order.",
            Codes.NOT_FOUND,
            order_lines=[to_global_id("OrderLine", pk) for pk in foreign],
        )
    owners = dict(WarehouseModel.objects.filter(pk__in=set(warehouses.values())).values_list("pk", "vendor_id"))
    for line_pk, warehouse_pk in warehouses.items():
        if owners.get(warehouse_pk) != vendor_of[line_pk]:
            raise services.error(
                "warehouse",
                "The items do not leave from this shop's warehouse.",
                Codes.NOT_FOUND,
                warehouse=to_global_id("Warehouse", warehouse_pk),
                order_lines=[to_global_id("OrderLine", line_pk)],
            )
    return quantities, {str(pk): warehouse for pk, warehouse in warehouses.items()}


class OrderFulfill(_SaleorPayload, graphene.Mutation):
    """Hand over items of one shop's part: stock leaves the shop, the shopper is told (Saleor's orderFulfill)."""

    fulfillments = graphene.List(graphene.NonNull(Fulfillment))
    order = graphene.Field(Order)

    class Arguments:
        order = graphene.ID(description="ID of the order to fulfil.")
        input = OrderFulfillInput(required=True)

    @classmethod
    def mutate(cls, _root, info, input, order=None):
        def action(viewer, user):
            found = _handled_order(viewer, order, "order")
            quantities, warehouses = _fulfil_input(viewer, found, input.lines)
            fulfillment = services.fulfil_lines(
                found,
                quantities,
                user,
                input.get("tracking_number") or "",
                warehouse_ids=warehouses,
                allow_stock_to_be_exceeded=bool(input.get("allow_stock_to_be_exceeded")),
                notify_customer=input.get("notify_customer") is not False,
            )
            return {"fulfillments": [fulfillment], "order": _fresh_order(found.pk)}

        return cls.run(info, action)


class OrderCancel(_SaleorPayload, graphene.Mutation):
    """Cancel a whole order before anything was handed over; a shop's staff may cancel only an
    order that holds nothing but their shop's items."""

    order = graphene.Field(Order)

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def mutate(cls, _root, info, id):
        def action(viewer, user):
            found = _handled_order(viewer, id)
            vendor_ids = set(found.vendor_orders.values_list("vendor_id", flat=True))
            if not all(viewer.handles(vendor_id) for vendor_id in vendor_ids):
                raise PermissionDenied(
                    "This order holds other shops' items: cancel your part with vendorOrderCancel."
                )
            services.cancel_order(found, user)
            return {"order": _fresh_order(found.pk)}

        return cls.run(info, action)


class FulfillmentUpdateTrackingInput(graphene.InputObjectType):
    tracking_number = graphene.String()
    notify_customer = graphene.Boolean(default_value=False)


class FulfillmentUpdateTracking(_SaleorPayload, graphene.Mutation):
    """Set the parcel's tracking number of a fulfilment (Saleor's orderFulfillmentUpdateTracking)."""

    fulfillment = graphene.Field(Fulfillment)
    order = graphene.Field(Order)

    class Arguments:
        id = graphene.ID(required=True)
        input = FulfillmentUpdateTrackingInput(required=True)

    @classmethod
    def mutate(cls, _root, info, id, input):
        def action(viewer, user):
            fulfillment = (
                FulfillmentModel.objects.select_related("vendor_order").filter(pk=_pk(id, "Fulfillment", "id")).first()
            )
            if fulfillment is None or not viewer.handles(fulfillment.vendor_order.vendor_id):
                raise _not_found("id", "a fulfillment")
            updated = services.update_tracking_number(
                fulfillment,
                user,
                input.get("tracking_number") or "",
                notify_customer=bool(input.get("notify_customer")),
            )
            return {"fulfillment": updated, "order": _fresh_order(updated.order_id)}

        return cls.run(info, action)


# --- the marketplace's steps on one shop's part ------------------------------------------------------------


class _VendorOrderStep(_Payload):
    vendor_order = graphene.Field(VendorOrder)
    order = graphene.Field(Order)

    service = None

    @classmethod
    def mutate(cls, _root, info, id):
        def action(viewer, user):
            vendor_order = cls.service(_handled_vendor_order(viewer, id), user)
            return {"vendor_order": vendor_order, "order": _fresh_order(vendor_order.order_id)}

        return cls.run(info, action)


class VendorOrderAccept(_VendorOrderStep, graphene.Mutation):
    """The shop confirms it will prepare its part of the order (NEW → ACCEPTED)."""

    class Arguments:
        id = graphene.ID(required=True, description="ID of the vendor order.")

    service = staticmethod(services.accept_vendor_order)


class VendorOrderMarkReadyForPickup(_VendorOrderStep, graphene.Mutation):
    """A click & collect part waits in the shop (ACCEPTED → READY_FOR_PICKUP); the shopper gets an e-mail."""

    class Arguments:
        id = graphene.ID(required=True, description="ID of the vendor order.")

    service = staticmethod(services.mark_ready_for_pickup)


class VendorOrderMarkCollected(_Payload, graphene.Mutation):
    """The shopper collected the items (READY_FOR_PICKUP → COLLECTED): they are fulfilled and leave the stock."""

    vendor_order = graphene.Field(VendorOrder)
    order = graphene.Field(Order)
    fulfillment = graphene.Field(Fulfillment)

    class Arguments:
        id = graphene.ID(required=True, description="ID of the vendor order.")

    @classmethod
    def mutate(cls, _root, info, id):
        def action(viewer, user):
            vendor_order = _handled_vendor_order(viewer, id)
            fulfillment = services.mark_collected(vendor_order, user)
            return {
                "vendor_order": VendorOrderModel.objects.get(pk=vendor_order.pk),
                "order": _fresh_order(vendor_order.order_id),
                "fulfillment": fulfillment,
            }

        return cls.run(info, action)


class VendorOrderCancel(_Payload, graphene.Mutation):
    """The shop cannot deliver its part: its lines are cancelled, their stock released, the shopper refunded."""

    vendor_order = graphene.Field(VendorOrder)
    order = graphene.Field(Order)

    class Arguments:
        id = graphene.ID(required=True, description="ID of the vendor order.")
        reason = graphene.String(description="Why, for the order's history.")

    @classmethod
    def mutate(cls, _root, info, id, reason=None):
        def action(viewer, user):
            vendor_order = _handled_vendor_order(viewer, id)
            services.cancel_vendor_order(vendor_order, user, reason or "")
            return {
                "vendor_order": VendorOrderModel.objects.get(pk=vendor_order.pk),
                "order": _fresh_order(vendor_order.order_id),
            }

        return cls.run(info, action)


class OrderLineCancel(_Payload, graphene.Mutation):
    """Cancel units of one line not handed over yet: stock released, the shopper refunded."""

    order_line = graphene.Field(OrderLine)
    order = graphene.Field(Order)

    class Arguments:
        id = graphene.ID(required=True, description="ID of the order line.")
        quantity = graphene.Int(required=True, description="How many units to cancel.")
        reason = graphene.String(description="Why, for the order's history.")

    @classmethod
    def mutate(cls, _root, info, id, quantity, reason=None):
        def action(viewer, user):
            line = OrderLineModel.objects.filter(pk=_pk(id, "OrderLine", "id")).first()
            if line is None or not viewer.handles(line.vendor_id):
                raise _not_found("id", "an order line")
            services.cancel_lines(_fresh_order(line.order_id), {line.pk: quantity}, user, reason or "")
            return {"order_line": OrderLineModel.objects.get(pk=line.pk), "order": _fresh_order(line.order_id)}

        return cls.run(info, action)
