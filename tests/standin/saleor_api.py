"""A sliver of Saleor's own GraphQL API (``/graphql/``): what the dashboard extension
reads from Saleor with its AppBridge token — channels and product attributes."""

import json

import graphene
from django.http import JsonResponse
from graphql_relay import to_global_id

from saleor_amazon_channel.host import AuthenticationFailed

from .adapter import StandInHost
from .attribute.models import Attribute
from .channel.models import Channel


class ChannelType(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    currency_code = graphene.String(required=True)
    is_active = graphene.Boolean(required=True)

    class Meta:
        name = "Channel"

    @staticmethod
    def resolve_id(root, info):
        return to_global_id("Channel", root.pk)


class AttributeNode(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String()
    slug = graphene.String()

    class Meta:
        name = "Attribute"

    @staticmethod
    def resolve_id(root, info):
        return to_global_id("Attribute", root.pk)


class AttributeEdge(graphene.ObjectType):
    node = graphene.Field(AttributeNode, required=True)


class AttributeConnection(graphene.ObjectType):
    edges = graphene.List(graphene.NonNull(AttributeEdge), required=True)
    total_count = graphene.Int()


AttributeTypeEnum = graphene.Enum("AttributeTypeEnum", [("PRODUCT_TYPE", "product-type"), ("PAGE_TYPE", "page-type")])


class AttributeFilterInput(graphene.InputObjectType):
    type = AttributeTypeEnum()
    search = graphene.String()


class Query(graphene.ObjectType):
    channels = graphene.List(graphene.NonNull(ChannelType))
    attributes = graphene.Field(AttributeConnection, first=graphene.Int(), filter=AttributeFilterInput())

    @staticmethod
    def resolve_channels(root, info):
        if not info.context.is_authenticated:
            raise Exception("You need to be authenticated as a staff member or an app to perform this action")
        return Channel.objects.all()

    @staticmethod
    def resolve_attributes(root, info, first=100, filter=None):
        queryset = Attribute.objects.all()
        if filter and filter.get("type"):
            queryset = queryset.filter(type=filter["type"])
        if filter and filter.get("search"):
            queryset = queryset.filter(name__icontains=filter["search"])
        items = list(queryset[: min(first or 100, 100)])
        return AttributeConnection(edges=[AttributeEdge(node=a) for a in items], total_count=queryset.count())


schema = graphene.Schema(query=Query)


def saleor_graphql_view(request):
    if request.method == "OPTIONS":
        return JsonResponse({})
    try:
        body = json.loads(request.body)
        requestor = StandInHost().authenticate(request)
    except AuthenticationFailed:
        return JsonResponse({"errors": [{"message": "Invalid token."}]}, status=401)
    except (ValueError, TypeError):
        return JsonResponse({"errors": [{"message": "Bad request."}]}, status=400)
    result = schema.execute(
        body.get("query", ""), variable_values=body.get("variables") or {}, context_value=requestor
    )
    payload = {"data": result.data}
    if result.errors:
        payload["errors"] = [{"message": str(error)} for error in result.errors]
    return JsonResponse(payload)
