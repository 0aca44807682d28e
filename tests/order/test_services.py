"""What a shop does with its part of an order: each step, its invalid cases, stock, events and hooks."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import F

from saleor_ext.order import services
from saleor_ext.order.models import (
    Fulfillment,
    Order,
    OrderEvent,
    OrderEvents,
    OrderLine,
    OrderStatus,
    VendorOrder,
    VendorOrderStatus,
)
from saleor_ext.payment.models import TransactionItem
from saleor_ext.warehouse.management import available_quantities
from saleor_ext.warehouse.models import Allocation

from .factories import Part, line_of, make_order, pay, stock_of, vendor_order_of

S = VendorOrderStatus


def code_of(error: ValidationError) -> str:
    return next(iter(error.value.error_dict.values()))[0].code


def refreshed(instance):
    instance.refresh_from_db()
    return instance


@pytest.fixture
def order(market):
    return make_order(market.channel, market.two_shop_parts(atlas=2), user=market.customer)


def events(order, type_):
    return list(OrderEvent.objects.filter(order=order, type=type_).order_by("pk"))


# --- accept and pickup ---------------------------------------------------------------------------------


def test_accepting_moves_new_to_accepted_and_logs_who(market, order, heard, committed):
    part = vendor_order_of(order, market.bikes.vendor)
    with committed():
        services.accept_vendor_order(part, market.bikes.staff)
    assert refreshed(part).status == S.ACCEPTED
    [event] = events(order, OrderEvents.VENDOR_ORDER_ACCEPTED)
    assert (event.user, event.vendor_order) == (market.bikes.staff, part)
    assert ("vendor_order_updated", part.pk, S.ACCEPTED) in heard
    assert ("order_updated", order.pk, OrderStatus.UNFULFILLED) in heard


def test_accepting_twice_is_invalid(market, order):
    part = vendor_order_of(order, market.bikes.vendor)
    services.accept_vendor_order(part, market.bikes.staff)
    with pytest.raises(ValidationError) as error:
        services.accept_vendor_order(part, market.bikes.staff)
    assert code_of(error) == "invalid"
    assert len(events(order, OrderEvents.VENDOR_ORDER_ACCEPTED)) == 1


def test_ready_for_pickup_needs_an_accepted_click_and_collect_part(market, order):
    pickup = vendor_order_of(order, market.bikes.vendor)
    shipped = vendor_order_of(order, market.books.vendor)
    with pytest.raises(ValidationError) as error:
        services.mark_ready_for_pickup(pickup, market.bikes.staff)  # not accepted yet
    assert code_of(error) == "invalid"
    services.accept_vendor_order(shipped, market.books.staff)
    with pytest.raises(ValidationError) as error:
        services.mark_ready_for_pickup(shipped, market.books.staff)
    assert "click & collect" in str(error.value)
    services.accept_vendor_order(pickup, market.bikes.staff)
    services.mark_ready_for_pickup(pickup, market.bikes.staff)
    assert refreshed(pickup).status == S.READY_FOR_PICKUP
    [event] = events(order, OrderEvents.VENDOR_ORDER_READY_FOR_PICKUP)
    assert event.parameters["warehouse"] == market.bikes.warehouse.name


def test_collecting_fulfils_the_part_and_takes_its_items_out_of_stock(market, order, heard, committed):
    part = vendor_order_of(order, market.bikes.vendor)
    services.accept_vendor_order(part, market.bikes.staff)
    with pytest.raises(ValidationError):
        services.mark_collected(part, market.bikes.staff)  # not ready for pickup yet
    services.mark_ready_for_pickup(part, market.bikes.staff)
    with committed():
        fulfillment = services.mark_collected(part, market.bikes.staff)

    assert refreshed(part).status == S.COLLECTED
    assert {(row.order_line.product_name, row.quantity) for row in fulfillment.lines.all()} == {
        ("Vélo de ville", 1),
        ("Casque", 1),
    }
    assert fulfillment.composed_id() == f"{order.number}-1"
    bike_stock, helmet_stock = stock_of(market.bike), stock_of(market.helmet)
    assert (bike_stock.quantity, bike_stock.quantity_allocated) == (0, 0)
    assert (helmet_stock.quantity, helmet_stock.quantity_allocated) == (2, 0)
    assert line_of(order, market.bike).quantity_fulfilled == 1
    # The book shop's part is still to do.
    assert refreshed(order).status == OrderStatus.PARTIALLY_FULFILLED
    assert [e.user for e in events(order, OrderEvents.VENDOR_ORDER_COLLECTED)] == [market.bikes.staff]
    assert ("vendor_order_fulfilled", part.pk, S.COLLECTED) in heard


# --- fulfilment --------------------------------------------------------------------------------------------


def test_fulfilling_part_of_a_line_keeps_the_part_open(market, order, heard, committed):
    part = vendor_order_of(order, market.books.vendor)
    atlas = line_of(order, market.atlas)
    with committed():
        fulfillment = services.fulfil_lines(order, {atlas.pk: 1}, market.books.staff, "BPOST-1")

    assert refreshed(part).status == S.ACCEPTED  # a new part is accepted on the way
    accepted = events(order, OrderEvents.VENDOR_ORDER_ACCEPTED)
    assert accepted[0].parameters == {"implicit": True}
    assert (refreshed(atlas).quantity_fulfilled, refreshed(atlas).quantity_unfulfilled) == (1, 1)
    stock = stock_of(market.atlas)
    assert (stock.quantity, stock.quantity_allocated) == (1, 1)
    assert fulfillment.tracking_number == "BPOST-1"
    assert refreshed(order).status == OrderStatus.PARTIALLY_FULFILLED
    [event] = events(order, OrderEvents.FULFILLMENT_FULFILLED_ITEMS)
    assert event.user == market.books.staff
    assert event.parameters["composed_id"] == fulfillment.composed_id()
    assert ("vendor_order_fulfilled", part.pk, S.SHIPPED) not in heard


def test_fulfilling_every_line_ships_the_part_and_both_parts_fulfil_the_order(market, order, heard, committed):
    books = vendor_order_of(order, market.books.vendor)
    novel, atlas = line_of(order, market.novel), line_of(order, market.atlas)
    with committed():
        services.fulfil_lines(order, {novel.pk: 1, atlas.pk: 2}, market.books.staff, "BPOST-2")
    books = refreshed(books)
    assert (books.status, books.tracking_number) == (S.SHIPPED, "BPOST-2")
    assert ("vendor_order_fulfilled", books.pk, S.SHIPPED) in heard

    bikes = vendor_order_of(order, market.bikes.vendor)
    services.accept_vendor_order(bikes, market.bikes.staff)
    services.mark_ready_for_pickup(bikes, market.bikes.staff)
    services.mark_collected(bikes, market.bikes.staff)
    assert refreshed(order).status == OrderStatus.FULFILLED
    assert list(Fulfillment.objects.filter(order=order).values_list("fulfillment_order", flat=True)) == [1, 2]


@pytest.mark.parametrize(
    ("lines", "code"),
    [
        (lambda m, o: {line_of(o, m.atlas).pk: 3}, "fulfill_order_line"),
        (lambda m, o: {line_of(o, m.atlas).pk: 0}, "zero_quantity"),
        (lambda m, o: {line_of(o, m.atlas).pk: -1}, "invalid_quantity"),
        (lambda m, o: {line_of(o, m.atlas).pk: 1, line_of(o, m.bike).pk: 1}, "invalid"),
        (lambda m, o: {line_of(o, m.bike).pk: 1}, "invalid"),  # collected in the shop, not shipped
        (lambda m, o: {"6f1c2f9e-2b6e-4bb8-9d3e-6f3b8c1f0a11": 1}, "not_found"),
    ],
    ids=["more than ordered", "nothing", "negative", "two shops", "click and collect", "unknown line"],
)
def test_invalid_fulfilments_change_nothing(market, order, lines, code):
    with pytest.raises(ValidationError) as error:
        services.fulfil_lines(order, lines(market, order), market.books.staff)
    assert code_of(error) == code
    assert not Fulfillment.objects.filter(order=order).exists()
    assert stock_of(market.atlas).quantity == 2
    assert vendor_order_of(order, market.books.vendor).status == S.NEW


def test_a_shipped_or_cancelled_part_cannot_be_fulfilled_again(market, order):
    novel, atlas = line_of(order, market.novel), line_of(order, market.atlas)
    services.fulfil_lines(order, {novel.pk: 1, atlas.pk: 2}, market.books.staff)
    with pytest.raises(ValidationError) as error:
        services.fulfil_lines(order, {atlas.pk: 1}, market.books.staff)
    assert code_of(error) == "fulfill_order_line"


def test_fulfilling_without_allocated_stock_is_refused_unless_allowed(market, order):
    atlas = line_of(order, market.atlas)
    Allocation.objects.filter(order_line=atlas).update(quantity_allocated=0)
    with pytest.raises(ValidationError) as error:
        services.fulfil_lines(order, {atlas.pk: 1}, market.books.staff)
    assert code_of(error) == "insufficient_stock"
    services.fulfil_lines(order, {atlas.pk: 1}, market.books.staff, allow_stock_to_be_exceeded=True)
    assert refreshed(atlas).quantity_fulfilled == 1


def test_tracking_number_update_is_logged(market, order):
    atlas = line_of(order, market.atlas)
    fulfillment = services.fulfil_lines(order, {atlas.pk: 1}, market.books.staff)
    services.update_tracking_number(fulfillment, market.books.staff, "BPOST-9")
    assert refreshed(fulfillment).tracking_number == "BPOST-9"
    assert vendor_order_of(order, market.books.vendor).tracking_number == "BPOST-9"
    [event] = events(order, OrderEvents.TRACKING_UPDATED)
    assert event.parameters["tracking_number"] == "BPOST-9"


# --- cancellations ----------------------------------------------------------------------------------------


def test_cancelling_units_frees_their_stock_for_other_shoppers(market, order, heard, committed):
    atlas = line_of(order, market.atlas)
    assert available_quantities([market.atlas.default_variant_id], market.channel) == {
        market.atlas.default_variant_id: 0
    }
    with committed():
        result = services.cancel_lines(order, {atlas.pk: 1}, market.books.staff, "Page déchirée")

    assert refreshed(atlas).quantity_cancelled == 1
    assert stock_of(market.atlas).quantity_allocated == 1
    assert available_quantities([market.atlas.default_variant_id], market.channel) == {
        market.atlas.default_variant_id: 1
    }
    assert result.amount.amount == Decimal("18.00")
    assert vendor_order_of(order, market.books.vendor).status == S.NEW  # other units remain
    [event] = events(order, OrderEvents.LINES_CANCELED)
    assert event.parameters["lines"] == [{"line_pk": str(atlas.pk), "item": "Atlas", "quantity": 1}]
    assert (event.parameters["amount"], event.parameters["reason"]) == ("18.00", "Page déchirée")
    assert ("order_lines_cancelled", order.pk, [str(atlas.pk)], result.amount) in heard


def test_cancelling_a_whole_part_refunds_its_shipping_too(market, order, heard, committed):
    part = vendor_order_of(order, market.books.vendor)
    with committed():
        result = services.cancel_vendor_order(part, market.books.staff, "Vendu en boutique")

    assert refreshed(part).status == S.CANCELLED
    # 6.00 + 2 × 18.00 for the books, 4.50 for their shipping.
    assert result.amount.amount == Decimal("46.50")
    assert result.cancelled_vendor_orders == [part]
    assert stock_of(market.novel).quantity_allocated == 0
    assert stock_of(market.atlas).quantity_allocated == 0
    [event] = events(order, OrderEvents.LINES_CANCELED)
    assert event.parameters["shipping_costs_included"] is True
    assert refreshed(order).status == OrderStatus.UNFULFILLED  # the bike shop's part remains
    assert [h for h in heard if h[0] == "order_lines_cancelled"][0][3].amount == Decimal("46.50")
    assert not [h for h in heard if h[0] == "order_cancelled"]


def test_cancelling_every_part_cancels_the_order(market, order, heard, committed):
    with committed():
        services.cancel_vendor_order(vendor_order_of(order, market.books.vendor), market.books.staff)
        services.cancel_vendor_order(vendor_order_of(order, market.bikes.vendor), market.bikes.staff)
    assert refreshed(order).status == OrderStatus.CANCELED
    assert len(events(order, OrderEvents.CANCELED)) == 1
    assert ("order_cancelled", order.pk, OrderStatus.CANCELED) in heard


def test_cancel_order_refuses_once_something_was_handed_over(market, order):
    services.fulfil_lines(order, {line_of(order, market.novel).pk: 1}, market.books.staff)
    with pytest.raises(ValidationError) as error:
        services.cancel_order(order, market.federation)
    assert code_of(error) == "cannot_cancel_order"
    with pytest.raises(ValidationError) as error:
        services.cancel_vendor_order(vendor_order_of(order, market.books.vendor), market.books.staff)
    assert code_of(error) == "cannot_cancel_order"


def test_cancelling_what_is_left_of_a_partly_shipped_part_ships_it(market, order, heard, committed):
    atlas = line_of(order, market.atlas)
    services.fulfil_lines(order, {line_of(order, market.novel).pk: 1, atlas.pk: 1}, market.books.staff)
    with committed():
        result = services.cancel_lines(order, {atlas.pk: 1}, market.books.staff)
    part = vendor_order_of(order, market.books.vendor)
    assert part.status == S.SHIPPED
    assert result.amount.amount == Decimal("18.00")  # no shipping back: the parcel left
    assert ("vendor_order_fulfilled", part.pk, S.SHIPPED) in heard


@pytest.mark.parametrize(
    ("quantity", "code"), [(3, "invalid_quantity"), (0, "zero_quantity"), (-2, "invalid_quantity")]
)
def test_invalid_cancellations_change_nothing(market, order, quantity, code):
    atlas = line_of(order, market.atlas)
    with pytest.raises(ValidationError) as error:
        services.cancel_lines(order, {atlas.pk: quantity}, market.books.staff)
    assert code_of(error) == code
    assert refreshed(atlas).quantity_cancelled == 0
    assert stock_of(market.atlas).quantity_allocated == 2


def test_handed_over_parts_cannot_be_cancelled(market, order):
    novel, atlas = line_of(order, market.novel), line_of(order, market.atlas)
    services.fulfil_lines(order, {novel.pk: 1, atlas.pk: 2}, market.books.staff)
    with pytest.raises(ValidationError) as error:
        services.cancel_vendor_order(vendor_order_of(order, market.books.vendor), market.books.staff)
    assert code_of(error) == "cannot_cancel_order"


def test_a_paid_shopper_gets_the_cancelled_amount_back(market, order, committed):
    pay(order)
    assert order.total_charged_amount == order.total_gross_amount
    with committed():
        services.cancel_lines(order, {line_of(order, market.novel).pk: 1}, market.books.staff, "Abîmé")

    order = refreshed(order)
    assert order.total_refunded_amount == Decimal("6.00")
    assert order.total_charged_amount == order.total_gross_amount - Decimal("6.00")
    [event] = events(order, OrderEvents.PAYMENT_REFUNDED)
    assert (event.parameters["amount"], event.user) == ("6.00", market.books.staff)
    assert TransactionItem.objects.get(order=order).refunded_value == Decimal("6.00")
    # What is left is paid for in full.
    assert order.charge_status == "full"


def test_an_unpaid_order_is_not_refunded(market, order, committed):
    with committed():
        services.cancel_lines(order, {line_of(order, market.novel).pk: 1}, market.books.staff)
    assert refreshed(order).total_refunded_amount == 0
    assert not events(order, OrderEvents.PAYMENT_REFUNDED)


def test_hooks_and_emails_wait_for_the_commit(market, order, heard, mailoutbox):
    services.accept_vendor_order(vendor_order_of(order, market.bikes.vendor), market.bikes.staff)
    services.cancel_lines(order, {line_of(order, market.novel).pk: 1}, market.books.staff)
    # The test's transaction never commits: nothing was announced.
    assert heard == [] and mailoutbox == []


def test_an_order_of_one_shop_can_be_cancelled_whole(market, committed):
    order = make_order(market.channel, [Part(market.books.vendor, [(market.atlas, 1)], shipping=Decimal("4.50"))])
    with committed():
        result = services.cancel_order(order, market.books.staff)
    assert result.amount.amount == Decimal("22.50")
    assert refreshed(order).status == OrderStatus.CANCELED
    with pytest.raises(ValidationError) as error:
        services.cancel_order(order, market.books.staff)
    assert code_of(error) == "cannot_cancel_order"


def test_order_status_follows_the_lines(market, order):
    assert services.refresh_order_status(order) == OrderStatus.UNFULFILLED
    OrderLine.objects.filter(order=order).update(quantity_fulfilled=1)
    assert services.refresh_order_status(order) == OrderStatus.PARTIALLY_FULFILLED  # 1 of 2 atlases
    OrderLine.objects.filter(order=order, variant=market.atlas.default_variant).update(quantity_cancelled=1)
    assert services.refresh_order_status(order) == OrderStatus.FULFILLED
    OrderLine.objects.filter(order=order).update(quantity_fulfilled=0, quantity_cancelled=F("quantity"))
    assert services.refresh_order_status(order) == OrderStatus.CANCELED
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CANCELED


def test_vendor_orders_of_other_orders_are_untouched(market, order):
    parts = [Part(market.bikes.vendor, [(market.helmet, 1)], pickup=market.bikes.warehouse)]
    other = make_order(market.channel, parts, user=market.other_customer)
    services.accept_vendor_order(vendor_order_of(order, market.bikes.vendor), market.bikes.staff)
    assert VendorOrder.objects.get(order=other, vendor=market.bikes.vendor).status == S.NEW
