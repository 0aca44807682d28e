"""Order mutations: Saleor's orderFulfill, orderCancel and orderFulfillmentUpdateTracking, and the
marketplace's steps on one shop's part (vendorOrderAccept, …MarkReadyForPickup, …MarkCollected,
…Cancel, orderLineCancel).

Only order staff may call them (anyone else gets PermissionDenied): federation staff with
MANAGE_ORDERS act on every order, a shop's staff on their shop's part only; another shop's vendor
order, line or fulfilment is NOT_FOUND for them. Each mutation translates its input, calls one
service of ``saleor_ext.order.services`` and returns ``errors: [OrderError!]!`` Saleor-style.
"""

from __future__ import annotations

from types import MappingProxyType

import graphene

from saleor_ext.order import services
from saleor_ext.order.error_codes import OrderErrorCode as Codes
from saleor_ext.order.models import Fulfillment as FulfillmentModel
from saleor_ext.order.models import Order as OrderModel
from saleor_ext.order.models import OrderLine as OrderLineModel
from saleor_ext.order.models import VendorOrder as VendorOrderModel
from saleor_ext.order.selectors import OrderViewer
from saleor_ext.warehouse.models import Warehouse as WarehouseModel

from ..core.errors import PermissionDenied
from ..core.ids import input_pk
from ..core.mutations import BaseMutation, error_list_field
from ..core.permissions import get_user
from .types import MANAGE_ORDERS, Fulfillment, Order, OrderError, OrderLine, VendorOrder, order_viewer


def _not_found(field: str, what: str):
    return services.error(field, f"Couldn't resolve to {what}.", Codes.NOT_FOUND)


def _handled_order(viewer: OrderViewer, global_id, field: str = "id") -> OrderModel:
    """An order holding a part the viewer handles; any other is NOT_FOUND."""
    order = OrderModel.objects.filter(pk=input_pk(global_id, "Order", field=field, codes=Codes)).first()
    if order is None:
        raise _not_found(field, "an order")
    if not viewer.sees_all:
        vendor_ids = set(order.vendor_orders.values_list("vendor_id", flat=True))
        if not viewer.vendor_ids & vendor_ids:
            raise _not_found(field, "an order")
    return order


def _handled_vendor_order(viewer: OrderViewer, global_id) -> VendorOrderModel:
    pk = input_pk(global_id, "VendorOrder", field="id", codes=Codes)
    vendor_order = VendorOrderModel.objects.filter(pk=pk).first()
    if vendor_order is None or not viewer.handles(vendor_order.vendor_id):
        raise _not_found("id", "a vendor order")
    return vendor_order


def _fresh_order(order_id) -> OrderModel:
    return OrderModel.objects.get(pk=order_id)


class OrderMutation(BaseMutation):
    """For order staff only: federation staff with MANAGE_ORDERS, or a shop's staff."""

    class Meta:
        abstract = True

    error_type_class = OrderError
    error_code_enum = Codes
    error_id_params = MappingProxyType(
        {"order_lines": "OrderLine", "variants": "ProductVariant", "warehouse": "Warehouse"}
    )
    errors = error_list_field(OrderError)

    @classmethod
    def check_permissions(cls, info) -> None:
        if not order_viewer(info).is_order_staff:
            raise PermissionDenied(permissions=MANAGE_ORDERS)


class _SaleorOrderMutation(OrderMutation):
    """Saleor's order mutations also answer the deprecated ``orderErrors``."""

    class Meta:
        abstract = True

    error_type_field = "order_errors"
    order_errors = error_list_field(OrderError, "Use `errors`.")


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
        line_pk = input_pk(line_input.get("order_line_id"), "OrderLine", field="orderLineId", codes=Codes)
        if line_pk in quantities:
            raise services.error(
                "orderLineId", "The same line appears twice.", Codes.DUPLICATED_INPUT_ITEM, order_lines=[line_pk]
            )
        quantities[line_pk] = 0
        for stock in line_input.stocks:
            quantities[line_pk] += stock.quantity
            warehouses[line_pk] = input_pk(stock.warehouse, "Warehouse", field="warehouse", codes=Codes)
    vendor_of = dict(OrderLineModel.objects.filter(order=order, pk__in=list(quantities)).values_list("pk", "vendor_id"))
    foreign = [pk for pk in quantities if pk not in vendor_of or not viewer.handles(vendor_of[pk])]
    if foreign:
        raise services.error(
            "orderLineId", "Couldn't resolve some lines of this order.", Codes.NOT_FOUND, order_lines=foreign
        )
    owners = dict(WarehouseModel.objects.filter(pk__in=set(warehouses.values())).values_list("pk", "vendor_id"))
    for line_pk, warehouse_pk in warehouses.items():
        if owners.get(warehouse_pk) != vendor_of[line_pk]:
            raise services.error(
                "warehouse",
                "The items do not leave from this shop's warehouse.",
                Codes.NOT_FOUND,
                warehouse=warehouse_pk,
                order_lines=[line_pk],
            )
    return quantities, {str(pk): warehouse for pk, warehouse in warehouses.items()}


class OrderFulfill(_SaleorOrderMutation):
    """Hand over items of one shop's part: stock leaves the shop, the shopper is told (Saleor's orderFulfill)."""

    fulfillments = graphene.List(graphene.NonNull(Fulfillment))
    order = graphene.Field(Order)

    class Arguments:
        order = graphene.ID(description="ID of the order to fulfil.")
        input = OrderFulfillInput(required=True)

    @classmethod
    def perform_mutation(cls, info, input, order=None):
        viewer = order_viewer(info)
        found = _handled_order(viewer, order, "order")
        quantities, warehouses = _fulfil_input(viewer, found, input.lines)
        fulfillment = services.fulfil_lines(
            found,
            quantities,
            get_user(info),
            input.get("tracking_number") or "",
            warehouse_ids=warehouses,
            allow_stock_to_be_exceeded=bool(input.get("allow_stock_to_be_exceeded")),
            notify_customer=input.get("notify_customer") is not False,
        )
        return cls(fulfillments=[fulfillment], order=_fresh_order(found.pk))


class OrderCancel(_SaleorOrderMutation):
    """Cancel a whole order before anything was handed over; a shop's staff may cancel only an
    order that holds nothing but their shop's items."""

    order = graphene.Field(Order)

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform_mutation(cls, info, id):
        viewer = order_viewer(info)
        found = _handled_order(viewer, id)
        vendor_ids = set(found.vendor_orders.values_list("vendor_id", flat=True))
        if not all(viewer.handles(vendor_id) for vendor_id in vendor_ids):
            raise PermissionDenied("This order holds other shops' items: cancel your part with vendorOrderCancel.")
        services.cancel_order(found, get_user(info))
        return cls(order=_fresh_order(found.pk))


class FulfillmentUpdateTrackingInput(graphene.InputObjectType):
    tracking_number = graphene.String()
    notify_customer = graphene.Boolean(default_value=False)


class FulfillmentUpdateTracking(_SaleorOrderMutation):
    """Set the parcel's tracking number of a fulfilment (Saleor's orderFulfillmentUpdateTracking)."""

    fulfillment = graphene.Field(Fulfillment)
    order = graphene.Field(Order)

    class Arguments:
        id = graphene.ID(required=True)
        input = FulfillmentUpdateTrackingInput(required=True)

    @classmethod
    def perform_mutation(cls, info, id, input):
        pk = input_pk(id, "Fulfillment", field="id", codes=Codes)
        fulfillment = FulfillmentModel.objects.select_related("vendor_order").filter(pk=pk).first()
        if fulfillment is None or not order_viewer(info).handles(fulfillment.vendor_order.vendor_id):
            raise _not_found("id", "a fulfillment")
        updated = services.update_tracking_number(
            fulfillment,
            get_user(info),
            input.get("tracking_number") or "",
            notify_customer=bool(input.get("notify_customer")),
        )
        return cls(fulfillment=updated, order=_fresh_order(updated.order_id))


# --- the marketplace's steps on one shop's part ------------------------------------------------------------


class _VendorOrderArguments:
    id = graphene.ID(required=True, description="ID of the vendor order.")


class _VendorOrderStep(OrderMutation):
    """A step of one shop's part done by ``service(vendor_order, user)``."""

    class Meta:
        abstract = True

    vendor_order = graphene.Field(VendorOrder)
    order = graphene.Field(Order)

    service = None

    @classmethod
    def perform_mutation(cls, info, id):
        vendor_order = cls.service(_handled_vendor_order(order_viewer(info), id), get_user(info))
        return cls(vendor_order=vendor_order, order=_fresh_order(vendor_order.order_id))


class VendorOrderAccept(_VendorOrderStep):
    """The shop confirms it will prepare its part of the order (NEW → ACCEPTED)."""

    Arguments = _VendorOrderArguments
    service = staticmethod(services.accept_vendor_order)


class VendorOrderMarkReadyForPickup(_VendorOrderStep):
    """A click & collect part waits in the shop (ACCEPTED → READY_FOR_PICKUP); the shopper gets an e-mail."""

    Arguments = _VendorOrderArguments
    service = staticmethod(services.mark_ready_for_pickup)


class VendorOrderMarkCollected(OrderMutation):
    """The shopper collected the items (READY_FOR_PICKUP → COLLECTED): they are fulfilled and leave the stock."""

    vendor_order = graphene.Field(VendorOrder)
    order = graphene.Field(Order)
    fulfillment = graphene.Field(Fulfillment)

    Arguments = _VendorOrderArguments

    @classmethod
    def perform_mutation(cls, info, id):
        vendor_order = _handled_vendor_order(order_viewer(info), id)
        fulfillment = services.mark_collected(vendor_order, get_user(info))
        return cls(
            vendor_order=VendorOrderModel.objects.get(pk=vendor_order.pk),
            order=_fresh_order(vendor_order.order_id),
            fulfillment=fulfillment,
        )


class VendorOrderCancel(OrderMutation):
    """The shop cannot deliver its part: its lines are cancelled, their stock released, the shopper refunded."""

    vendor_order = graphene.Field(VendorOrder)
    order = graphene.Field(Order)

    class Arguments(_VendorOrderArguments):
        reason = graphene.String(description="Why, for the order's history.")

    @classmethod
    def perform_mutation(cls, info, id, reason=None):
        vendor_order = _handled_vendor_order(order_viewer(info), id)
        services.cancel_vendor_order(vendor_order, get_user(info), reason or "")
        return cls(
            vendor_order=VendorOrderModel.objects.get(pk=vendor_order.pk), order=_fresh_order(vendor_order.order_id)
        )


class OrderLineCancel(OrderMutation):
    """Cancel units of one line not handed over yet: stock released, the shopper refunded."""

    order_line = graphene.Field(OrderLine)
    order = graphene.Field(Order)

    class Arguments:
        id = graphene.ID(required=True, description="ID of the order line.")
        quantity = graphene.Int(required=True, description="How many units to cancel.")
        reason = graphene.String(description="Why, for the order's history.")

    @classmethod
    def perform_mutation(cls, info, id, quantity, reason=None):
        line = OrderLineModel.objects.filter(pk=input_pk(id, "OrderLine", field="id", codes=Codes)).first()
        if line is None or not order_viewer(info).handles(line.vendor_id):
            raise _not_found("id", "an order line")
        services.cancel_lines(_fresh_order(line.order_id), {line.pk: quantity}, get_user(info), reason or "")
        return cls(order_line=OrderLineModel.objects.get(pk=line.pk), order=_fresh_order(line.order_id))
