"""Payment error codes, exposed as Saleor's enums of the same names (a code a mutation's enum lacks
is shown there as INVALID with its message). No docstrings on the enums: the schema describes each
as graphene's default "An enumeration."."""

from __future__ import annotations

from enum import Enum


class PaymentGatewayInitializeErrorCode(Enum):
    GRAPHQL_ERROR = "graphql_error"
    INVALID = "invalid"
    NOT_FOUND = "not_found"


class PaymentGatewayConfigErrorCode(Enum):
    GRAPHQL_ERROR = "graphql_error"
    INVALID = "invalid"
    NOT_FOUND = "not_found"


class TransactionInitializeErrorCode(Enum):
    GRAPHQL_ERROR = "graphql_error"
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    UNIQUE = "unique"
    CHECKOUT_COMPLETION_IN_PROGRESS = "checkout_completion_in_progress"


class TransactionProcessErrorCode(Enum):
    GRAPHQL_ERROR = "graphql_error"
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    TRANSACTION_ALREADY_PROCESSED = "transaction_already_processed"
    MISSING_PAYMENT_APP_RELATION = "missing_payment_app_relation"
    MISSING_PAYMENT_APP = "missing_payment_app"
    CHECKOUT_COMPLETION_IN_PROGRESS = "checkout_completion_in_progress"
