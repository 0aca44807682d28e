"""Member shop queries (marketplace addition)."""

from __future__ import annotations

import graphene

from saleor_ext.vendor.models import Vendor as VendorModel
from saleor_ext.vendor.models import VendorStatus

from ..core.connection import connection_args, countable_connection, paginate
from ..product.channel import get_viewer
from .types import Vendor

VendorCountableConnection = countable_connection(Vendor, "Vendor")


def _vendors(info):
    """Active member shops; staff who see everything also get onboarding and suspended ones."""
    vendors = VendorModel.objects.select_related("address")
    return vendors if get_viewer(info).sees_all else vendors.filter(status=VendorStatus.ACTIVE)


class VendorQueries(graphene.ObjectType):
    vendors = graphene.Field(VendorCountableConnection, **connection_args())
    vendor = graphene.Field(Vendor, slug=graphene.String(required=True))

    @staticmethod
    def resolve_vendors(_root, info, **kwargs):
        return paginate(_vendors(info), sort_keys=["name", "pk"], connection_name="vendors", **kwargs)

    @staticmethod
    def resolve_vendor(_root, info, slug):
        return _vendors(info).filter(slug=slug).first()
