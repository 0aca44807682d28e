from __future__ import annotations

import graphene
from django.conf import settings

from saleor_ext.channel.models import Channel
from saleor_ext.site.models import SiteSettings

from ..channel.types import CountryDisplay, country_display
from ..core.types import LanguageCodeEnum, LanguageDisplay


class Domain(graphene.ObjectType):
    host = graphene.String(required=True)
    ssl_enabled = graphene.Boolean(required=True)
    url = graphene.String(required=True)


class Shop(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    description = graphene.String()
    header_text = graphene.String()
    domain = graphene.Field(Domain, required=True)
    languages = graphene.List(graphene.NonNull(LanguageDisplay), required=True)
    default_country = graphene.Field(CountryDisplay)
    channel_currencies = graphene.List(graphene.NonNull(graphene.String), required=True)
    track_inventory_by_default = graphene.Boolean()
    limit_quantity_per_checkout = graphene.Int()
    reserve_stock_duration_anonymous_user = graphene.Int()
    reserve_stock_duration_authenticated_user = graphene.Int()
    enable_account_confirmation_by_email = graphene.Boolean()
    allow_login_without_confirmation = graphene.Boolean()
    version = graphene.String(required=True)
    schema_version = graphene.String(required=True)

    @staticmethod
    def resolve_id(_root, _info):
        return "U2hvcDox"  # base64("Shop:1"): there is one shop.

    @staticmethod
    def resolve_domain(root, info):
        host = info.context.get_host()
        secure = info.context.is_secure()
        return Domain(host=host, ssl_enabled=secure, url=f"{'https' if secure else 'http'}://{host}/")

    @staticmethod
    def resolve_languages(_root, _info):
        return [
            LanguageDisplay(code=LanguageCodeEnum[code.upper()], language=name) for code, name in settings.LANGUAGES
        ]

    @staticmethod
    def resolve_default_country(_root, _info):
        return country_display(settings.DEFAULT_COUNTRY)

    @staticmethod
    def resolve_channel_currencies(_root, _info):
        return sorted(set(Channel.objects.values_list("currency_code", flat=True)))

    @staticmethod
    def resolve_version(_root, _info):
        return "3.23.0-marketplace"

    @staticmethod
    def resolve_schema_version(_root, _info):
        return "3.23"


class ShopQueries(graphene.ObjectType):
    shop = graphene.Field(Shop, required=True)

    @staticmethod
    def resolve_shop(_root, _info):
        return SiteSettings.get()
