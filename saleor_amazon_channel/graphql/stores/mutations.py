from collections.abc import Callable, Mapping
from typing import Any

import graphene

from saleor_amazon_channel.core import ids
from saleor_amazon_channel.core.host import MANAGE_CHANNELS
from saleor_amazon_channel.errors import refusal
from saleor_amazon_channel.graphql.core.context import Info
from saleor_amazon_channel.graphql.core.mutations import AmazonMutation
from saleor_amazon_channel.graphql.stores.types import (
    AmazonProductIdSource,
    AmazonProductIdType,
    AmazonStore,
)
from saleor_amazon_channel.outcomes import Outcome
from saleor_amazon_channel.stores import services as store_service
from saleor_amazon_channel.stores.models import AmazonStore as AmazonStoreModel

NAME_HELP = "The merchant's own label for the store, e.g. “Amazon Store USA”. Unique."


class AmazonProductIdentifierInput(graphene.InputObjectType):
    type = AmazonProductIdType(required=True, description="The identifier Amazon matches on.")
    source = AmazonProductIdSource(required=True, description="A Saleor attribute, or the variant SKU.")
    attribute = graphene.String(description="Slug of the Saleor product or variant attribute (source ATTRIBUTE).")


class AmazonStoreCreateInput(graphene.InputObjectType):
    name = graphene.String(required=True, description=NAME_HELP)
    contact_email = graphene.String(required=True, description="Preferred contact address for this store.")
    channel = graphene.ID(required=True, description="The Saleor channel the store sells from (Channel ID).")
    marketplace = graphene.String(
        required=True, description="Amazon marketplace: country code (US) or marketplace ID (ATVPDKIKX0DER)."
    )
    product_identifier = graphene.Field(AmazonProductIdentifierInput, required=True)
    is_active = graphene.Boolean(description="Defaults to true.")


class AmazonStoreUpdateInput(graphene.InputObjectType):
    name = graphene.String(description=NAME_HELP)
    contact_email = graphene.String()
    channel = graphene.ID()
    marketplace = graphene.String(description="Accepted only unchanged: a store's marketplace is fixed.")
    product_identifier = graphene.Field(AmazonProductIdentifierInput)
    is_active = graphene.Boolean()


def get_store_or_error(global_id: object, field: str = "store") -> AmazonStoreModel:
    """The store a global ID names; else a refusal about ``field`` (the argument that carried it)."""
    pk = ids.decode(global_id, "AmazonStore")
    if pk is None:
        raise refusal(field, "This is not an Amazon store ID.", Outcome.INVALID)
    store = AmazonStoreModel.objects.select_related("channel", "authorization").filter(pk=pk).first()
    if store is None:
        raise refusal(field, "No Amazon store has this ID.", Outcome.NOT_FOUND)
    return store


class AmazonStoreMutation(AmazonMutation):
    """A mutation about a store (MANAGE_CHANNELS): it answers with the store."""

    class Meta:
        abstract = True

    amazon_store = graphene.Field(AmazonStore)

    permissions = (MANAGE_CHANNELS,)


class AmazonStoreByIdMutation(AmazonStoreMutation):
    """A mutation of one existing store: the argument naming it and its lookup, once. The store's own
    mutations name it ``id``; another domain's (catalog, listings, rules, orders) ``store_id``."""

    class Meta:
        abstract = True

    class Arguments:
        id = graphene.ID(required=True)

    store_argument = "id"
    # The domain service of a mutation with no input but the store: (store, requestor) -> store.
    act: Callable[..., AmazonStoreModel] | None = None

    @classmethod
    def perform_mutation(cls, root: object, info: Info, **data: Any) -> "AmazonStoreMutation":
        argument = cls.store_argument
        store = get_store_or_error(data.pop(argument), field="store" if argument == "id" else argument)
        return cls.perform_on_store(info, store, **data)

    @classmethod
    def perform_on_store(cls, info: Info, store: AmazonStoreModel, *args: Any, **data: Any) -> "AmazonStoreMutation":
        if cls.act is None:
            raise NotImplementedError
        return cls.payload(cls.act(store, info.context.requestor))

    @classmethod
    def payload(cls, store: AmazonStoreModel) -> "AmazonStoreMutation":
        return cls(amazon_store=store, errors=[])


def _input_dict(input_object: Mapping[str, Any]) -> dict[str, Any]:
    """Only the keys the client sent (graphene 2 keeps absent fields out of the dict)."""
    data = dict(input_object)
    if "product_identifier" in data and data["product_identifier"] is not None:
        data["product_identifier"] = dict(data["product_identifier"])
    return data


class AmazonStoreCreate(AmazonStoreMutation):
    class Arguments:
        input = AmazonStoreCreateInput(required=True)

    class Meta:
        description = "Add an Amazon store. Requires MANAGE_CHANNELS."

    @classmethod
    def perform_mutation(cls, root: object, info: Info, input: Mapping[str, Any]) -> "AmazonStoreCreate":
        store = store_service.create_store(_input_dict(input), info.context.requestor)
        return cls(amazon_store=store, errors=[])


class AmazonStoreUpdate(AmazonStoreByIdMutation):
    class Arguments:
        id = graphene.ID(required=True)
        input = AmazonStoreUpdateInput(required=True)

    class Meta:
        description = "Edit an Amazon store. Its marketplace cannot change. Requires MANAGE_CHANNELS."

    @classmethod
    def perform_on_store(cls, info: Info, store: AmazonStoreModel, input: Mapping[str, Any]) -> "AmazonStoreUpdate":
        store = store_service.update_store(store, _input_dict(input), info.context.requestor)
        return cls(amazon_store=store, errors=[])


class AmazonStoreDelete(AmazonStoreByIdMutation):
    class Meta:
        description = (
            "Delete an Amazon store and its settings. The seller's authorization stays in Seller Central: "
            "revoke it there under Manage Your Apps. Requires MANAGE_CHANNELS."
        )

    act = staticmethod(store_service.delete_store)
