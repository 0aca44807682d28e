"""The mutations' shared spine: input ids decoded to pks or refused on their field, domain errors'
pks shown as global IDs, unknown codes, and where ``errors`` sits in a payload."""

import uuid

import graphene
import pytest
from django.core.exceptions import ValidationError

from saleor_ext.checkout.error_codes import CheckoutErrorCode
from saleor_ext.core.errors import validation_error
from saleor_ext.core.ids import InvalidGlobalId, from_global_id, to_global_id
from saleor_ext.graphql.core.errors import validation_error_to_list
from saleor_ext.graphql.core.ids import input_pk, input_type_and_pk
from saleor_ext.graphql.core.mutations import BaseMutation, error_list_field
from saleor_ext.graphql.order.types import OrderError
from saleor_ext.order.error_codes import OrderErrorCode
from saleor_ext.payment.error_codes import TransactionInitializeErrorCode

LINE = uuid.UUID("1b0e5d8e-3b1c-4a4e-9a55-1f4e1d3c2b10")


def _refusal(error: ValidationError) -> tuple[str, str]:
    [(field, [item])] = error.error_dict.items()
    return field, item.code


def test_a_global_id_is_base64_of_type_and_pk_and_garbage_is_refused():
    assert from_global_id(to_global_id("ProductVariant", 7)) == ("ProductVariant", "7")
    with pytest.raises(InvalidGlobalId):
        from_global_id("nonsense")


def test_an_input_id_becomes_an_int_or_a_uuid_as_its_type_needs():
    variant = to_global_id("ProductVariant", 7)
    warehouse = to_global_id("Warehouse", LINE)

    assert input_pk(variant, "ProductVariant", field="variantId", codes=CheckoutErrorCode) == 7
    kinds = ("Delivery", "Warehouse")
    assert input_type_and_pk(warehouse, kinds, field="m", codes=OrderErrorCode) == ("Warehouse", LINE)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("nonsense", "graphql_error"),
        (to_global_id("Order", LINE), "graphql_error"),
        (to_global_id("OrderLine", "42"), "graphql_error"),
        (None, "required"),
    ],
    ids=["not an id", "another type", "not a uuid", "missing"],
)
def test_a_bad_input_id_is_refused_on_its_field(value, code):
    with pytest.raises(ValidationError) as refused:
        input_pk(value, "OrderLine", field="orderLineId", codes=OrderErrorCode)
    assert _refusal(refused.value) == ("orderLineId", code)


def test_without_required_a_missing_id_is_a_graphql_error():
    with pytest.raises(ValidationError) as refused:
        input_pk("", "Checkout", field="id", codes=TransactionInitializeErrorCode)
    assert _refusal(refused.value) == ("id", "graphql_error")


def test_the_mapper_shows_pks_of_named_params_as_global_ids():
    code = OrderErrorCode.INSUFFICIENT_STOCK
    error = validation_error("order_line_id", "Short.", code, order_lines=[LINE], variants=[3])

    [item] = validation_error_to_list(error, OrderError, OrderErrorCode, id_params={"order_lines": "OrderLine"})

    assert (item.field, item.code, item.message) == ("orderLineId", "insufficient_stock", "Short.")
    assert item.order_lines == [to_global_id("OrderLine", LINE)]
    assert item.variants == [3]  # not named: as the domain gave it


def test_a_code_the_api_enum_lacks_is_the_fallback_or_a_bug():
    error = validation_error("id", "Sold.", CheckoutErrorCode.INSUFFICIENT_STOCK)

    [item] = validation_error_to_list(
        error, OrderError, TransactionInitializeErrorCode, unknown_code=TransactionInitializeErrorCode.INVALID
    )

    assert (item.code, item.message) == ("invalid", "Sold.")
    with pytest.raises(ValueError):
        validation_error_to_list(error, OrderError, TransactionInitializeErrorCode)


class _Error(graphene.ObjectType):
    code = graphene.String()


class _Appended(BaseMutation):
    done = graphene.Boolean()

    class Meta:
        error_type_class = _Error
        error_code_enum = OrderErrorCode
        error_type_field = "old_errors"

    @classmethod
    def perform_mutation(cls, info):
        return cls(done=True)


class _Placed(BaseMutation):
    errors = error_list_field(_Error)
    done = graphene.Boolean()

    class Meta:
        error_type_class = _Error
        error_code_enum = OrderErrorCode


def test_errors_go_after_the_fields_unless_the_mutation_places_them():
    assert list(_Appended._meta.fields) == ["done", "old_errors", "errors"]
    assert list(_Placed._meta.fields) == ["errors", "done"]
