"""Money of orders: amounts of the viewer's part, what is still owed, and the VAT breakdown."""

from __future__ import annotations

from decimal import Decimal

import graphene
from prices import Money as PriceMoney
from prices import TaxedMoney as PriceTaxedMoney

from saleor_ext.order import models

from ...core.types import Money
from .viewer import with_visible_part


def money(amount, currency: str) -> PriceMoney:
    return PriceMoney(Decimal(amount or 0), currency)


def taxed(net, gross, currency: str) -> PriceTaxedMoney:
    return PriceTaxedMoney(net=money(net, currency), gross=money(gross, currency))


def sum_of(rows, attname: str) -> Decimal:
    return sum((getattr(row, attname) for row in rows), Decimal(0))


def part_amount(info, order: models.Order, prefix: str):
    """``<prefix>_net/gross_amount`` of the order, or of the viewer's vendor orders only."""

    def compute(scope, visible):
        rows = [order] if scope is None else visible
        return taxed(sum_of(rows, f"{prefix}_net_amount"), sum_of(rows, f"{prefix}_gross_amount"), order.currency)

    return with_visible_part(info, order, compute)


class OrderVatLine(graphene.ObjectType):
    """One VAT rate of an order: what was sold at it, net, VAT and gross (marketplace addition)."""

    rate = graphene.Float(required=True, description="Percent, e.g. 21.")
    net = graphene.Field(Money, required=True)
    tax = graphene.Field(Money, required=True)
    gross = graphene.Field(Money, required=True)

    def __init__(self, row, currency: str):
        super().__init__(
            rate=float(row.rate * 100),
            net=money(row.net, currency),
            tax=money(row.tax, currency),
            gross=money(row.gross, currency),
        )
