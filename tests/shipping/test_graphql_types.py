"""The ``ShippingMethod`` and ``TaxClass`` types a storefront reads, with Saleor's names and shapes.

The checkout exposes them; here a small schema serves offers straight from the shipping service.
"""

from __future__ import annotations

import json
from decimal import Decimal

import graphene
import pytest
from django.test import RequestFactory
from graphql import execute, parse

from saleor_ext.channel.models import Channel
from saleor_ext.graphql.compat import compare
from saleor_ext.graphql.core.execution import BatchingExecutionContext
from saleor_ext.graphql.core.ids import to_global_id
from saleor_ext.graphql.shipping.types import ShippingMethod
from saleor_ext.graphql.tax.types import TaxClass
from saleor_ext.shipping.models import ShippingMethodType
from saleor_ext.shipping.services import ShippingMethodOffer, applicable_shipping_methods
from saleor_ext.tax.models import TaxClass as TaxClassModel
from tests.factories import make_vendor

from .conftest import eur, make_method, make_zone

pytestmark = pytest.mark.django_db


class Query(graphene.ObjectType):
    offers = graphene.List(
        graphene.NonNull(ShippingMethod),
        required=True,
        vendor=graphene.Int(required=True),
        weight=graphene.String(required=True),
        subtotal=graphene.String(required=True),
    )
    tax_classes = graphene.List(graphene.NonNull(TaxClass), required=True)

    @staticmethod
    def resolve_offers(_root, _info, vendor, weight, subtotal):
        return applicable_shipping_methods(
            vendor_id=vendor,
            channel=Channel.objects.get(slug="marketplace"),
            country_code="BE",
            weight_kg=Decimal(weight),
            subtotal=eur(subtotal),
        )

    @staticmethod
    def resolve_tax_classes(_root, _info):
        return TaxClassModel.objects.all()


schema = graphene.Schema(query=Query)

OFFERS = """
query($vendor: Int!, $weight: String!, $subtotal: String!) {
  offers(vendor: $vendor, weight: $weight, subtotal: $subtotal) {
    id name type description active message minimumDeliveryDays maximumDeliveryDays
    price { amount currency }
    minimumOrderPrice { amount } maximumOrderPrice { amount }
    minimumOrderWeight { unit value } maximumOrderWeight { unit value }
    metadata { key value } metafield(key: "carrier")
  }
}"""

# Saleor's declarations of these types, fields in their order (from its printed schema).
SALEOR = """
type ShippingMethod {
  id: ID!  metadata: [MetadataItem!]!  metafield(key: String!): String  type: ShippingMethodTypeEnum
  name: String!  description: JSONString  maximumDeliveryDays: Int  minimumDeliveryDays: Int
  maximumOrderWeight: Weight  minimumOrderWeight: Weight  price: Money!  maximumOrderPrice: Money
  minimumOrderPrice: Money  active: Boolean!  message: String
}
enum ShippingMethodTypeEnum { PRICE WEIGHT }
type TaxClass { id: ID!  metadata: [MetadataItem!]!  metafield(key: String!): String  name: String! }
type Weight { unit: WeightUnitsEnum!  value: Float! }
type Money { currency: String!  amount: Float!  fractionalAmount: Int!  fractionDigits: Int! }
"""


def run(query: str, variables: dict | None = None) -> dict:
    result = execute(
        schema.graphql_schema,
        parse(query),
        variable_values=variables,
        context_value=RequestFactory().post("/graphql/"),
        execution_context_class=BatchingExecutionContext,
    )
    assert result.errors is None, result.errors
    return result.data


@pytest.fixture
def shop(marketplace):
    vendor = make_vendor("Atelier Vélo")
    zone = make_zone(vendor, marketplace)
    bpost = make_method(zone, "bpost", "5.95", min_weight="0", max_weight="2", days=(1, 2))
    bpost.metadata = {"carrier": "bpost"}
    bpost.description = {"blocks": [{"type": "paragraph", "data": {"text": "Remis par bpost."}}]}
    bpost.save()
    make_method(
        zone, "Vélo-cargo", "4.50", type=ShippingMethodType.PRICE_BASED, min_price="10", max_price="49.99", days=(1, 1)
    )
    return vendor


def test_types_keep_saleors_names_types_and_nullability():
    report = compare(str(schema), SALEOR)
    assert report.mismatches == []
    assert {"ShippingMethod", "ShippingMethodTypeEnum", "TaxClass", "Weight", "Money"} <= set(report.shared_types)


def test_a_shopper_reads_the_offers_as_saleor_shows_shipping_methods(shop):
    offers = run(OFFERS, {"vendor": shop.pk, "weight": "1.2", "subtotal": "30.00"})["offers"]

    cargo, bpost = offers
    bpost_method = shop.shipping_zones.get().shipping_methods.get(name="bpost")
    assert json.loads(bpost.pop("description")) == bpost_method.description
    assert bpost == {
        "id": to_global_id("ShippingMethod", bpost_method.pk),
        "name": "bpost",
        "type": "WEIGHT",
        "active": True,
        "message": None,
        "minimumDeliveryDays": 1,
        "maximumDeliveryDays": 2,
        "price": {"amount": 5.95, "currency": "EUR"},
        "minimumOrderPrice": None,
        "maximumOrderPrice": None,
        "minimumOrderWeight": {"unit": "KG", "value": 0.0},
        "maximumOrderWeight": {"unit": "KG", "value": 2.0},
        "metadata": [{"key": "carrier", "value": "bpost"}],
        "metafield": "bpost",
    }
    assert cargo["type"] == "PRICE"
    assert cargo["price"] == {"amount": 4.5, "currency": "EUR"}
    assert (cargo["minimumOrderPrice"], cargo["maximumOrderPrice"]) == ({"amount": 10.0}, {"amount": 49.99})
    assert cargo["minimumOrderWeight"] is None


def test_order_price_bounds_of_every_offer_cost_one_query(shop, django_assert_num_queries):
    from saleor_ext.graphql.shipping.types import ShippingListingByChannelLoader

    offers = applicable_shipping_methods(
        vendor_id=shop.pk,
        channel=Channel.objects.get(slug="marketplace"),
        country_code="BE",
        weight_kg=Decimal("1"),
        subtotal=eur("30"),
    )
    loader = ShippingListingByChannelLoader(context=None)
    with django_assert_num_queries(1):
        loader.prime([(offer.method.pk, offer.channel_id) for offer in offers])


def test_an_offer_rebuilt_without_its_channel_still_resolves(shop):
    method = shop.shipping_zones.get().shipping_methods.get(name="Vélo-cargo")
    offer = ShippingMethodOffer(method=method, price=eur("4.50"), minimum_delivery_days=1, maximum_delivery_days=1)

    assert offer.channel_id is None
    result = execute(
        graphene.Schema(query=_single_offer_query(offer)).graphql_schema,
        parse("{ offer { name price { amount } minimumOrderPrice { amount } } }"),
        context_value=RequestFactory().post("/graphql/"),
        execution_context_class=BatchingExecutionContext,
    )
    assert result.errors is None
    assert result.data == {"offer": {"name": "Vélo-cargo", "price": {"amount": 4.5}, "minimumOrderPrice": None}}


def _single_offer_query(offer):
    class OneOffer(graphene.ObjectType):
        offer = graphene.Field(ShippingMethod)

        @staticmethod
        def resolve_offer(_root, _info):
            return offer

    return OneOffer


def test_tax_classes_have_global_ids_and_names():
    data = run("{ taxClasses { id name } }")["taxClasses"]
    reduced = TaxClassModel.objects.get(name="Reduced 6 %")
    assert {"id": to_global_id("TaxClass", reduced.pk), "name": "Reduced 6 %"} in data
