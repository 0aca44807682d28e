from __future__ import annotations

import graphene

from saleor_ext.account.error_codes import AccountErrorCode as AccountErrorCodeValues

AccountErrorCode = graphene.Enum.from_enum(AccountErrorCodeValues)


class AddressTypeEnum(graphene.Enum):
    BILLING = "billing"
    SHIPPING = "shipping"
