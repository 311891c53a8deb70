"""A thin GraphQL-over-HTTP view: parse, authenticate, execute, format.

Saleor's GraphQLView validates query cost against Saleor's own schema, so the
plugin runs its schema itself. Every failure is a JSON answer with a status and
a code: 400 bad request, 401 bad token, 405, 413; never a 500.
"""

import json
import logging
import traceback
from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from graphql.error import format_error as format_graphql_error
from graphql.execution import ExecutionResult, execute
from graphql.execution.middleware import MiddlewareManager
from graphql.execution.values import get_variable_values
from graphql.language import ast
from graphql.language.parser import parse
from graphql.validation import validate
from promise import Promise

from graphql import GraphQLError
from saleor_amazon_channel.amazon.endpoints import InsecureAmazonUrl
from saleor_amazon_channel.core.config import AmazonChannelConfig
from saleor_amazon_channel.core.host import AuthenticationFailed, get_host
from saleor_amazon_channel.graphql.core import limits
from saleor_amazon_channel.graphql.core.context import GraphQLContext, PermissionDenied
from saleor_amazon_channel.graphql.core.request_errors import QueryLimitError, RequestError
from saleor_amazon_channel.graphql.core.text_arguments import text_arguments_middleware
from saleor_amazon_channel.graphql.schema import schema

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 256 * 1024
MAX_QUERY_LENGTH = 50_000
# Nesting of the JSON body (the variables); no input of the schema nests deeper than 4.
MAX_JSON_DEPTH = 32
# Every field's arguments go through the one text validation; no promise wrapping (a store list resolves
# thousands of fields).
MIDDLEWARE = MiddlewareManager(text_arguments_middleware, wrap_in_promise=False)


def _error_response(message: str, code: str, status: int) -> JsonResponse:
    return JsonResponse({"errors": [{"message": message, "extensions": {"exception": {"code": code}}}]}, status=status)


def format_error(error: Exception) -> dict[str, Any]:
    """Saleor's error shape: ``extensions.exception.code`` is the exception's class name."""
    original = getattr(error, "original_error", None)
    while (deeper := getattr(original, "original_error", None)) is not None:
        original = deeper
    if isinstance(error, GraphQLError) and (original is None or isinstance(original, GraphQLError)):
        formatted = format_graphql_error(error)
        cause = original if original is not None else error
        if isinstance(cause, PermissionDenied):
            code = "PermissionDenied"
        elif isinstance(cause, RequestError):
            code = cause.code
        else:
            code = "GraphQLError"
        formatted["extensions"] = {"exception": {"code": code}}
        return formatted
    if isinstance(original, InsecureAmazonUrl):
        # The operator's configuration (system check E001), not a bug: say so, without the URL.
        formatted = format_graphql_error(error) if isinstance(error, GraphQLError) else {}
        formatted["message"] = original.message
        formatted["extensions"] = {"exception": {"code": "InsecureAmazonUrl"}}
        return formatted
    # An unexpected exception: logged in full, answered without internals.
    logger.error(
        "amazon_channel.graphql.unhandled_error",
        extra={"exception_type": type(original).__name__},
        exc_info=(type(original), original, original.__traceback__) if original else None,
    )
    formatted = format_graphql_error(error) if isinstance(error, GraphQLError) else {}
    formatted["message"] = "Internal Server Error"
    formatted["extensions"] = {"exception": {"code": "InternalServerError"}}
    if settings.DEBUG and original is not None:
        formatted["extensions"]["exception"]["stacktrace"] = traceback.format_exception(original)
    return formatted


def _parse(request: HttpRequest) -> tuple[str, dict[str, Any], str | None]:
    if request.content_type != "application/json":
        raise ValueError("Send the operation as application/json.")
    try:
        body = json.loads(request.body)
    except ValueError:  # not JSON, not UTF-8, or an integer of thousands of digits
        raise ValueError("The request body is not valid JSON.") from None
    except RecursionError:
        raise ValueError(f"The request body is nested deeper than {MAX_JSON_DEPTH} levels.") from None
    if json_depth(body) > MAX_JSON_DEPTH:
        raise ValueError(f"The request body is nested deeper than {MAX_JSON_DEPTH} levels.")
    if not isinstance(body, dict):
        raise ValueError("The request body must be a JSON object with a query.")
    query = body.get("query")
    variables = body.get("variables")
    operation_name = body.get("operationName")
    if not isinstance(query, str) or not query.strip():
        raise ValueError("Must provide a query string.")
    if len(query) > MAX_QUERY_LENGTH:
        raise ValueError(f"The query is longer than {MAX_QUERY_LENGTH} characters.")
    if variables is not None and not isinstance(variables, dict):
        raise ValueError("Variables must be a JSON object.")
    if operation_name is not None and not isinstance(operation_name, str):
        raise ValueError("operationName must be a string.")
    return query, variables or {}, operation_name


def json_depth(value: object, limit: int = MAX_JSON_DEPTH) -> int:
    """Nesting depth of a parsed JSON value, without recursion; stops counting past ``limit``."""
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if not isinstance(item, (dict, list)):
            continue
        deepest = max(deepest, depth)
        if deepest > limit:
            return deepest
        children = item.values() if isinstance(item, dict) else item
        stack.extend((child, depth + 1) for child in children)
    return deepest


def _limit_error(error: GraphQLError) -> JsonResponse:
    return JsonResponse({"errors": [format_error(error)]}, status=400)


def _document(
    query: str, variables: dict[str, Any], operation_name: str | None, anonymous: bool
) -> ast.Document:
    """The parsed document, within every limit; raises GraphQLError (syntax or limit)."""
    limits.precheck(query)
    try:
        document = parse(query)
    except RecursionError:
        raise QueryLimitError("The query is nested too deeply.", "QueryTooDeep") from None
    limits.check(document, variables, operation_name, anonymous, schema)
    return document


def _check_variables(document: ast.Document, variables: dict[str, Any], operation_name: str | None) -> None:
    """Coerce the variables once up front: graphql-core 2 raises a bare Exception for some bad
    values (an Int past 32 bits), which would otherwise read as a server error."""
    operations = [d for d in document.definitions if isinstance(d, ast.OperationDefinition)]
    if operation_name:
        operations = [o for o in operations if o.name is not None and o.name.value == operation_name]
    if len(operations) != 1 or not operations[0].variable_definitions:
        return  # execution reports a missing or ambiguous operation itself
    try:
        get_variable_values(schema, operations[0].variable_definitions, variables)
    except GraphQLError:
        raise
    except Exception as error:
        raise GraphQLError(f"A variable has an invalid value: {error}") from None


def graphql_view(request: HttpRequest, config: AmazonChannelConfig) -> JsonResponse:
    if request.method == "OPTIONS":
        response = JsonResponse({})
        response["Allow"] = "POST, OPTIONS"
        return response
    if request.method != "POST":
        response = _error_response("Send GraphQL operations with POST.", "MethodNotAllowed", 405)
        response["Allow"] = "POST, OPTIONS"
        return response
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY_BYTES:
        return _error_response(f"The request body is larger than {MAX_BODY_BYTES} bytes.", "RequestTooLarge", 413)
    try:
        query, variables, operation_name = _parse(request)
    except ValueError as error:
        return _error_response(str(error), "BadRequest", 400)

    host = get_host()
    try:
        requestor = host.authenticate(request)
    except AuthenticationFailed:
        return _error_response("Invalid or expired token.", "InvalidTokenError", 401)

    try:
        document = _document(query, variables, operation_name, anonymous=not requestor.is_authenticated)
    except GraphQLError as error:  # syntax or a limit
        return _limit_error(error)

    context = GraphQLContext(request=request, requestor=requestor, config=config, host=host)
    try:
        errors = validate(schema, document)
        if errors:
            result = ExecutionResult(errors=errors, invalid=True)
        else:
            _check_variables(document, variables, operation_name)
            executed = execute(
                schema,
                document,
                context_value=context,
                variable_values=variables,
                operation_name=operation_name,
                middleware=MIDDLEWARE,
            )
            # The default (synchronous) executor answers at once; a promise only with another executor.
            result = executed.get() if isinstance(executed, Promise) else executed
    except GraphQLError as error:
        result = ExecutionResult(errors=[error], invalid=True)
    except RecursionError:
        return _limit_error(QueryLimitError("The query is nested too deeply.", "QueryTooDeep"))
    except Exception as error:  # what graphql() itself does with an execution failure
        result = ExecutionResult(errors=[error], invalid=True)
    payload: dict[str, Any] = {}
    if result.errors:
        payload["errors"] = [format_error(error) for error in result.errors]
    if not result.invalid:
        payload["data"] = result.data
    return JsonResponse(payload, status=400 if result.invalid else 200)
