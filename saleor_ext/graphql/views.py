"""The /graphql/ endpoint: POST JSON (or a JSON list for a batch), GraphiQL on GET.

Parsed and validated documents are cached by query text: storefronts send the same few
documents over and over, and parsing plus validation is a large share of a small request.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

import jwt
import orjson
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from graphql import (
    DocumentNode,
    ExecutionResult,
    GraphQLError,
    GraphQLSyntaxError,
    execute,
    parse,
    validate,
)

from saleor_ext.account.authentication import authenticate_request

from . import response_cache
from .api import schema
from .core.execution import BatchingExecutionContext

logger = logging.getLogger(__name__)
graphql_schema = schema.graphql_schema


@lru_cache(maxsize=2048)
def parse_and_validate(query: str) -> tuple[DocumentNode | None, tuple[GraphQLError, ...]]:
    try:
        document = parse(query)
    except GraphQLSyntaxError as error:
        return None, (error,)
    errors = validate(graphql_schema, document)
    return document, tuple(errors)


def format_error(error: GraphQLError) -> dict[str, Any]:
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        result = error.formatted
        extensions = dict(result.get("extensions") or {})
        extensions.setdefault("exception", {"code": type(original or error).__name__})
        result["extensions"] = extensions
        return result
    # An unexpected exception: log it, and do not leak its text unless debugging.
    logger.error("GraphQL resolver error", exc_info=original)
    result = {
        "message": str(original) if settings.DEBUG else "Internal Server Error",
        "locations": [loc._asdict() for loc in error.locations or []],
        "path": error.path,
        "extensions": {"exception": {"code": type(original).__name__}},
    }
    return result


def execute_operation(request: HttpRequest, data: Any) -> tuple[dict[str, Any], int]:
    if not isinstance(data, dict):
        return {"errors": [{"message": "The request body must be a JSON object."}]}, 400
    query = data.get("query")
    variables = data.get("variables") or None
    operation_name = data.get("operationName")
    if not isinstance(query, str) or not query.strip():
        return {"errors": [{"message": "Must provide a query string."}]}, 400
    if variables is not None and not isinstance(variables, dict):
        return {"errors": [{"message": "Variables must be a JSON object."}]}, 400
    document, errors = parse_and_validate(query)
    if errors:
        return {"errors": [format_error(e) for e in errors]}, 400
    result: ExecutionResult = execute(
        graphql_schema,
        document,
        context_value=request,
        variable_values=variables,
        operation_name=operation_name,
        execution_context_class=BatchingExecutionContext,
    )
    response: dict[str, Any] = {}
    if result.errors:
        response["errors"] = [format_error(e) for e in result.errors]
    response["data"] = result.data
    return response, 200


def respond(request: HttpRequest, data: Any) -> tuple[bytes, int]:
    """Run one operation, serving anonymous catalogue reads from the short-lived cache."""
    key = None
    if isinstance(data, dict) and isinstance(data.get("query"), str):
        document, errors = parse_and_validate(data["query"])
        if document is not None and not errors:
            key = response_cache.cache_key(request, data, document)
    if key is not None and (cached := response_cache.get(key)) is not None:
        return cached, 200
    try:
        body, status = execute_operation(request, data)
    except Exception as error:
        # A bug outside any field's resolution: still answer in GraphQL's shape.
        logger.exception("GraphQL execution failed")
        message = str(error) if settings.DEBUG else "Internal Server Error"
        exception = {"code": type(error).__name__}
        body, status = {"errors": [{"message": message, "extensions": {"exception": exception}}], "data": None}, 500
    encoded = orjson.dumps(body)
    if key is not None and status == 200 and "errors" not in body:
        response_cache.put(key, encoded)
    return encoded, status


def authenticate(request: HttpRequest) -> None:
    """Resolve the caller from the Authorization header (JWT) when one is sent; a token that is not
    valid is a top-level error named after the JWT library's exception, as Saleor answers."""
    try:
        user = authenticate_request(request)
    except jwt.PyJWTError as error:
        raise GraphQLError(str(error), extensions={"exception": {"code": type(error).__name__}}) from None
    if user is not None:
        request.user = user


@csrf_exempt
def graphql_view(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "graphql/graphiql.html", {"endpoint": request.path})
    if request.method == "OPTIONS":
        return HttpResponse(status=200)
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST", "OPTIONS"])
    try:
        payload = orjson.loads(request.body or b"{}")
    except orjson.JSONDecodeError:
        body = {"errors": [{"message": "Unable to parse the request body as JSON."}]}
        return HttpResponse(orjson.dumps(body), status=400, content_type="application/json")
    try:
        authenticate(request)
    except GraphQLError as error:
        body = {"errors": [format_error(error)], "data": None}
        return HttpResponse(orjson.dumps(body), status=200, content_type="application/json")
    if isinstance(payload, list):
        results = [execute_operation(request, item)[0] for item in payload]
        return HttpResponse(orjson.dumps(results), content_type="application/json")
    body, status = respond(request, payload)
    return HttpResponse(body, status=status, content_type="application/json")
