"""A sliver of Saleor's own GraphQL API (``/graphql/``): what the dashboard extension
reads from Saleor with its AppBridge token — channels, product attributes, and the product types,
categories and collections the rules' condition builder picks from."""

import json

import graphene
from django.db.models import Q
from django.http import JsonResponse
from graphql_relay import to_global_id
from graphql_relay.connection.arrayconnection import cursor_to_offset, offset_to_cursor

from saleor_amazon_channel.core.host import AuthenticationFailed

from .adapter import StandInHost
from .attribute.models import Attribute, AttributeValue
from .channel.models import Channel
from .product.models import Category, Collection, ProductType


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


class AttributeValueNode(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String()
    slug = graphene.String()

    class Meta:
        name = "AttributeValue"

    @staticmethod
    def resolve_id(root, info):
        return to_global_id("AttributeValue", root.pk)


class AttributeValueFilterInput(graphene.InputObjectType):
    search = graphene.String()
    slugs = graphene.List(graphene.NonNull(graphene.String))


class AttributeNode(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String()
    slug = graphene.String()
    # Saleor's Attribute.choices reduced to first / after / filter (search: name or slug, any case; slugs).
    choices = graphene.Field(
        lambda: AttributeValueConnection, first=graphene.Int(), after=graphene.String(),
        filter=AttributeValueFilterInput(),
    )

    class Meta:
        name = "Attribute"

    @staticmethod
    def resolve_id(root, info):
        return to_global_id("Attribute", root.pk)

    @staticmethod
    def resolve_choices(root, info, first=None, after=None, filter=None):
        queryset = AttributeValue.objects.filter(attribute=root)
        if filter and filter.get("search"):
            queryset = queryset.filter(Q(name__icontains=filter["search"]) | Q(slug__icontains=filter["search"]))
        if filter and filter.get("slugs") is not None:
            queryset = queryset.filter(slug__in=filter["slugs"])
        return _page(queryset, AttributeValueConnection, AttributeValueEdge, first, after, None)


class AttributeEdge(graphene.ObjectType):
    node = graphene.Field(AttributeNode, required=True)


class PageInfo(graphene.ObjectType):
    has_next_page = graphene.Boolean(required=True)
    end_cursor = graphene.String()


class AttributeValueEdge(graphene.ObjectType):
    node = graphene.Field(AttributeValueNode, required=True)


class AttributeValueConnection(graphene.ObjectType):
    edges = graphene.List(graphene.NonNull(AttributeValueEdge), required=True)
    page_info = graphene.Field(PageInfo, required=True)
    total_count = graphene.Int()


class AttributeConnection(graphene.ObjectType):
    edges = graphene.List(graphene.NonNull(AttributeEdge), required=True)
    page_info = graphene.Field(PageInfo, required=True)
    total_count = graphene.Int()


AttributeTypeEnum = graphene.Enum("AttributeTypeEnum", [("PRODUCT_TYPE", "product-type"), ("PAGE_TYPE", "page-type")])


class AttributeFilterInput(graphene.InputObjectType):
    type = AttributeTypeEnum()
    search = graphene.String()


AttributeSortField = graphene.Enum("AttributeSortField", [("NAME", "name"), ("SLUG", "slug")])
OrderDirection = graphene.Enum("OrderDirection", [("ASC", "asc"), ("DESC", "desc")])


class AttributeSortingInput(graphene.InputObjectType):
    field = AttributeSortField(required=True)
    direction = OrderDirection(required=True)


class Query(graphene.ObjectType):
    # Like Saleor: every channel, no filter, no paging.
    channels = graphene.List(graphene.NonNull(ChannelType))
    attributes = graphene.Field(
        AttributeConnection,
        first=graphene.Int(),
        after=graphene.String(),
        filter=AttributeFilterInput(),
        sort_by=AttributeSortingInput(),
    )

    attribute = graphene.Field(AttributeNode, slug=graphene.String())

    @staticmethod
    def resolve_attribute(root, info, slug=None):
        return Attribute.objects.filter(slug=slug).first() if slug else None

    @staticmethod
    def resolve_channels(root, info):
        if not info.context.is_authenticated:
            raise Exception("You need to be authenticated as a staff member or an app to perform this action")
        return Channel.objects.all()

    @staticmethod
    def resolve_attributes(root, info, first=100, after=None, filter=None, sort_by=None):
        queryset = Attribute.objects.all()
        if filter and filter.get("type"):
            queryset = queryset.filter(type=filter["type"])
        if filter and filter.get("search"):
            # Saleor's attribute search: the name or the slug contains it, any case.
            queryset = queryset.filter(Q(name__icontains=filter["search"]) | Q(slug__icontains=filter["search"]))
        field = sort_by["field"] if sort_by else "slug"
        queryset = queryset.order_by(("-" if sort_by and sort_by["direction"] == "desc" else "") + field, "pk")
        if first is not None and not 0 <= first <= 100:
            raise Exception("first must be between 0 and 100")
        offset = cursor_to_offset(after) if after else -1
        if offset is None or offset < -1:
            raise Exception("Invalid cursor.")
        start = offset + 1
        size = 100 if first is None else first
        items = list(queryset[start : start + size + 1])
        page, more = items[:size], len(items) > size
        edges = [AttributeEdge(node=a) for a in page]
        end = offset_to_cursor(start + len(page) - 1) if page else None
        return AttributeConnection(
            edges=edges, page_info=PageInfo(has_next_page=more, end_cursor=end), total_count=queryset.count()
        )


class NamedNode(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)

    @staticmethod
    def resolve_id(root, info):
        return to_global_id(type(root).__name__, root.pk)


class CategoryNode(NamedNode):
    level = graphene.Int(required=True)
    parent = graphene.Field(lambda: CategoryNode)

    class Meta:
        name = "Category"

    @staticmethod
    def resolve_level(root, info):
        level, node = 0, root
        while node.parent_id:
            level, node = level + 1, node.parent
        return level


def _named_connection(type_name, node_type):
    edge = type(f"{type_name}CountableEdge", (graphene.ObjectType,), {"node": graphene.Field(node_type, required=True)})
    return type(f"{type_name}CountableConnection", (graphene.ObjectType,), {
        "edges": graphene.List(graphene.NonNull(edge), required=True),
        "page_info": graphene.Field(PageInfo, required=True),
        "total_count": graphene.Int(),
    }), edge


class SearchFilterInput(graphene.InputObjectType):
    search = graphene.String()


ProductTypeNode = type("ProductTypeNode", (NamedNode,), {"Meta": type("Meta", (), {"name": "ProductType"})})
CollectionNode = type("CollectionNode", (NamedNode,), {"Meta": type("Meta", (), {"name": "Collection"})})
CategoryConnection, CategoryEdge = _named_connection("Category", CategoryNode)
ProductTypeConnection, ProductTypeEdge = _named_connection("ProductType", ProductTypeNode)
CollectionConnection, CollectionEdge = _named_connection("Collection", CollectionNode)


def _page(queryset, connection, edge, first, after, search):
    if search:
        queryset = queryset.filter(name__icontains=search)
    queryset = queryset.order_by("name", "pk")
    if first is None or not 0 <= first <= 100:
        raise Exception("first must be between 0 and 100")
    offset = cursor_to_offset(after) if after else -1
    if offset is None or offset < -1:
        raise Exception("Invalid cursor.")
    start = offset + 1
    items = list(queryset[start : start + first + 1])
    page, more = items[:first], len(items) > first
    end = offset_to_cursor(start + len(page) - 1) if page else None
    return connection(edges=[edge(node=item) for item in page],
                      page_info=PageInfo(has_next_page=more, end_cursor=end), total_count=queryset.count())


class PickerQuery(Query):
    # Saleor's listing queries, reduced to first / after / filter.search (sorted by name here).
    categories = graphene.Field(CategoryConnection, first=graphene.Int(), after=graphene.String(),
                                filter=SearchFilterInput())
    product_types = graphene.Field(ProductTypeConnection, first=graphene.Int(), after=graphene.String(),
                                   filter=SearchFilterInput())
    collections = graphene.Field(CollectionConnection, first=graphene.Int(), after=graphene.String(),
                                 filter=SearchFilterInput(), channel=graphene.String())

    class Meta:
        name = "Query"

    @staticmethod
    def resolve_categories(root, info, first=None, after=None, filter=None):
        return _page(Category.objects.select_related("parent"), CategoryConnection, CategoryEdge, first, after,
                     (filter or {}).get("search"))

    @staticmethod
    def resolve_product_types(root, info, first=None, after=None, filter=None):
        return _page(ProductType.objects.all(), ProductTypeConnection, ProductTypeEdge, first, after,
                     (filter or {}).get("search"))

    @staticmethod
    def resolve_collections(root, info, first=None, after=None, filter=None, channel=None):
        return _page(Collection.objects.all(), CollectionConnection, CollectionEdge, first, after,
                     (filter or {}).get("search"))


schema = graphene.Schema(query=PickerQuery)


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
