"""The ERP sync writes a member's stock while shoppers complete their carts on the same rows.

Real concurrency: each checkoutComplete and the sync's stock step (``apply_stock_levels``, the
function every stock write of the sync goes through) run in their own thread, with their own
database connection and transaction, released together by a barrier, round after round. The
ERP's answer lists the items in a shuffled order and the carts their lines too: both still lock
the stock rows in id order, so no transaction is chosen as a deadlock victim, and no unit is lost:
every stock holds exactly what the orders were allocated, never more than the ERP counted.
"""

from __future__ import annotations

import random
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Sum

from plugins.erp_sync.models import ItemLink, SyncRun, SyncRunKind
from plugins.erp_sync.plugin import ErpSyncPlugin
from plugins.erp_sync.sync import run_sync
from plugins.erp_sync.sync.context import build_context
from plugins.erp_sync.sync.stock import apply_stock_levels
from saleor_ext.account.models import Address
from saleor_ext.channel.models import Channel
from saleor_ext.checkout.complete import complete_checkout
from saleor_ext.checkout.models import Checkout
from saleor_ext.checkout.services import LineInput, create_checkout
from saleor_ext.order.models import Order, OrderLine
from saleor_ext.product.models import ProductType
from saleor_ext.warehouse.models import Allocation, Stock
from tests.warehouse.locking import assert_locks_stock_rows_in_id_order, in_thread

ROUNDS = 5
CARTS = 8  # per round
ERP_UPDATES = 6  # per round, each in its own transaction
PLENTY = ("G1", "G2", "G3", "G4")  # more than every cart together asks for
SCARCE = "T1"  # three more units each round for the four carts that want one: one is refused


def _plenty_level(update: int) -> int:
    return 200 + update % 3


def _scarce_level(round_number: int) -> int:
    return 3 * (round_number + 1)


@pytest.fixture
def shop(erp, erp_connection, marketplace, monkeypatch):
    for ref in (*PLENTY, SCARCE):
        erp.put(ref, name=f"Article {ref}", price=Decimal("10.00"), quantity=1)
    run_sync(erp_connection, full=True, connector=erp)
    # Collected at the shop's till: no delivery to choose. Unpaid orders: payment is not the point.
    ProductType.objects.update(is_shipping_required=False)
    Channel.objects.filter(pk=marketplace.pk).update(allow_unpaid_orders=True)
    # Pushing the sales to the ERP is another test's business.
    monkeypatch.setattr(ErpSyncPlugin, "order_created", lambda self, order, previous_value=None: previous_value)
    variants = dict(ItemLink.objects.filter(connection=erp_connection).values_list("erp_ref", "variant_id"))
    marketplace.refresh_from_db()
    return marketplace, variants


def _cart(channel: Channel, variant_ids: list[int], number: int) -> str:
    with transaction.atomic():
        checkout = create_checkout(channel=channel, email=f"shopper{number}@example.com",
                                   lines=[LineInput(variant_id, 1) for variant_id in variant_ids])
        address = Address.objects.create(first_name="Anne", last_name="Dupont", street_address_1="Rue de la Loi 16",
                                         city="Bruxelles", postal_code="1000", country="BE")
        Checkout.objects.filter(pk=checkout.pk).update(billing_address=address)
    return str(checkout.pk)


def _race(carts: list[str], ctx, updates: list[dict[str, int]], failures: list[BaseException]) -> list[str]:
    """Complete the carts while the sync applies ``updates``, all released at once; each cart's
    outcome ("order" or "refused": INSUFFICIENT_STOCK); anything else lands in ``failures``."""
    barrier = threading.Barrier(len(carts) + 1)
    outcomes: list[str] = []

    def complete(token: str) -> None:
        try:
            barrier.wait(60)
            complete_checkout(token)
            outcomes.append("order")
        except ValidationError as error:
            codes = {e.code for errors in error.error_dict.values() for e in errors}
            if codes != {"insufficient_stock"}:
                failures.append(error)
            outcomes.append("refused")
        except BaseException as failure:  # a deadlock victim lands here
            failures.append(failure)

    def sync() -> None:
        try:
            barrier.wait(60)
            for levels in updates:
                with transaction.atomic():
                    apply_stock_levels(ctx, levels)
        except BaseException as failure:
            failures.append(failure)

    threads = [in_thread(complete, token) for token in carts] + [in_thread(sync)]
    for thread in threads:
        thread.join(120)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_erp_stock_updates_and_checkout_completions_on_the_same_rows_never_deadlock(shop, erp_connection):
    channel, variants = shop
    rng = random.Random(10)
    failures: list[BaseException] = []
    refused = 0
    last_levels: dict[str, int] = {}

    for round_number in range(ROUNDS):
        run = SyncRun.objects.create(connection=erp_connection, kind=SyncRunKind.INCREMENTAL)
        ctx = build_context(erp_connection, run)
        # The round's counts first, so that what each cart asks for is there before the race.
        with transaction.atomic():
            apply_stock_levels(ctx, {ref: _plenty_level(0) for ref in PLENTY} | {SCARCE: _scarce_level(round_number)})
        carts = []
        for number in range(CARTS):
            wanted = rng.sample(PLENTY, 3) + ([SCARCE] if number % 2 == 0 else [])
            rng.shuffle(wanted)
            carts.append(_cart(channel, [variants[ref] for ref in wanted], round_number * CARTS + number))
        updates = []
        for update in range(ERP_UPDATES):
            levels = {ref: _plenty_level(update) for ref in PLENTY} | {SCARCE: _scarce_level(round_number)}
            refs = list(levels)
            rng.shuffle(refs)
            updates.append({ref: levels[ref] for ref in refs})
        last_levels = updates[-1]
        connection.close()

        outcomes = _race(carts, ctx, updates, failures)
        assert failures == []
        refused += outcomes.count("refused")
        assert len(outcomes) == CARTS

    # Every stock is what the ERP said last, and holds exactly what the orders were allocated.
    for ref, variant_id in variants.items():
        stock = Stock.objects.get(product_variant_id=variant_id)
        ordered = OrderLine.objects.filter(variant_id=variant_id).aggregate(n=Sum("quantity"))["n"] or 0
        allocated = Allocation.objects.filter(stock=stock).aggregate(n=Sum("quantity_allocated"))["n"] or 0
        assert stock.quantity == last_levels[ref]
        assert stock.quantity_allocated == allocated == ordered
        assert stock.quantity - stock.quantity_allocated >= 0
    # Every completed order has each of its units allocated.
    for order in Order.objects.prefetch_related("lines"):
        for line in order.lines.all():
            assert Allocation.objects.filter(order_line=line).aggregate(n=Sum("quantity_allocated"))["n"] == 1
    assert refused == ROUNDS
    assert Order.objects.count() == ROUNDS * (CARTS - 1)
    # The scarce item sold out: its three new units each round went to the carts that came first.
    assert Stock.objects.get(product_variant_id=variants[SCARCE]).quantity_allocated == _scarce_level(ROUNDS - 1)


@pytest.mark.django_db(transaction=True)
def test_the_sync_locks_the_stock_rows_in_id_order_whatever_order_the_erp_lists_them(shop, erp_connection):
    _channel, variants = shop
    stocks = sorted(Stock.objects.filter(product_variant_id__in=[variants[ref] for ref in PLENTY[:3]]),
                    key=lambda stock: stock.pk)
    ref_of = {variant_id: ref for ref, variant_id in variants.items()}
    run = SyncRun.objects.create(connection=erp_connection, kind=SyncRunKind.INCREMENTAL)
    ctx = build_context(erp_connection, run)
    connection.close()
    # Highest stock id first, each count a change.
    levels = {ref_of[stock.product_variant_id]: 7 for stock in reversed(stocks)}
    assert_locks_stock_rows_in_id_order([stock.pk for stock in stocks], lambda: apply_stock_levels(ctx, levels))
    assert {stock.quantity for stock in Stock.objects.filter(pk__in=[stock.pk for stock in stocks])} == {7}
