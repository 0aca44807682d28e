"""`me` is the caller named by the Authorization header, or null for anonymous callers."""

from __future__ import annotations

import jwt
import pytest

from saleor_ext.account.models import Address, User
from saleor_ext.account.services import deactivate_all_tokens
from saleor_ext.graphql.core.ids import to_global_id
from saleor_ext.vendor.models import Vendor, VendorStaff

from .conftest import PASSWORD, graphql, login

ME = """
{
  me {
    id email firstName lastName isStaff isActive isConfirmed dateJoined updatedAt languageCode
    avatar(size: 64) { url }
    metadata { key value }
    addresses { id firstName city postalCode country { code country } phone
                isDefaultShippingAddress isDefaultBillingAddress }
    defaultShippingAddress { streetAddress1 isDefaultShippingAddress isDefaultBillingAddress }
    defaultBillingAddress { streetAddress1 }
    vendorMemberships { role vendorSlug vendorName }
  }
}
"""


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def token(shopper) -> str:
    return login(shopper.email)["token"]


def test_me_with_a_bearer_token_returns_the_user(shopper, token):
    home = Address.objects.create(
        first_name="Anne", street_address_1="Rue de la Loi 16", city="Bruxelles", postal_code="1000", country="BE"
    )
    office = Address.objects.create(first_name="Anne", street_address_1="Quai 2", city="Namur", postal_code="5000")
    shopper.addresses.add(home, office)
    shopper.default_shipping_address = home
    shopper.metadata = {"newsletter": "yes"}
    shopper.save()

    body = graphql(ME, **bearer(token))

    assert "errors" not in body
    me = body["data"]["me"]
    assert me["id"] == to_global_id("User", shopper.pk)
    assert me["email"] == "anne.dupont@example.be"
    assert (me["firstName"], me["lastName"]) == ("Anne", "Dupont")
    assert (me["isStaff"], me["isActive"], me["isConfirmed"]) == (False, True, True)
    assert me["languageCode"] == "FR"
    assert me["avatar"] is None
    assert me["metadata"] == [{"key": "newsletter", "value": "yes"}]
    assert [a["city"] for a in me["addresses"]] == ["Bruxelles", "Namur"]
    assert me["addresses"][0]["country"]["code"] == "BE"
    assert me["addresses"][0]["phone"] is None
    assert [(a["isDefaultShippingAddress"], a["isDefaultBillingAddress"]) for a in me["addresses"]] == [
        (True, False),
        (False, False),
    ]
    assert me["defaultShippingAddress"] == {
        "streetAddress1": "Rue de la Loi 16",
        "isDefaultShippingAddress": True,
        "isDefaultBillingAddress": False,
    }
    assert me["defaultBillingAddress"] is None
    assert me["vendorMemberships"] == []


def test_me_lists_the_users_vendor_memberships(shopper, token):
    shop = Vendor.objects.create(name="Ressourcerie Namuroise", slug="namuroise")
    VendorStaff.objects.create(vendor=shop, user=shopper, role="manager")

    me = graphql("{ me { vendorMemberships { role vendorSlug vendorName } } }", **bearer(token))["data"]["me"]

    assert me["vendorMemberships"] == [
        {"role": "manager", "vendorSlug": "namuroise", "vendorName": "Ressourcerie Namuroise"}
    ]


@pytest.mark.parametrize("header", ["Bearer", "JWT"])
def test_both_authorization_prefixes_work(shopper, token, header):
    body = graphql("{ me { email } }", HTTP_AUTHORIZATION=f"{header} {token}")
    assert body["data"]["me"] == {"email": shopper.email}


def test_authorization_bearer_header_works(shopper, token):
    body = graphql("{ me { email } }", HTTP_AUTHORIZATION_BEARER=token)
    assert body["data"]["me"] == {"email": shopper.email}


def test_me_without_a_token_is_null_not_an_error(db):
    body = graphql("{ me { email } }")
    assert body == {"data": {"me": None}}


def test_tampered_token_is_an_error_not_a_500(shopper, token):
    header, payload, signature = token.split(".")
    forged_claims = jwt.decode(token, options={"verify_signature": False}) | {"is_staff": True}
    forged_payload = jwt.utils.base64url_encode(jwt.api_jws.json.dumps(forged_claims).encode()).decode()

    body = graphql("{ me { email } }", **bearer(f"{header}.{forged_payload}.{signature}"))

    assert body["data"] is None
    assert body["errors"][0]["extensions"]["exception"]["code"] == "InvalidSignatureError"


def test_garbage_token_is_an_error_not_a_500(db):
    body = graphql("{ me { email } }", **bearer("not-a-jwt"))
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["exception"]["code"] == "DecodeError"


def test_expired_token_is_an_error(shopper, settings):
    settings.JWT_TTL_ACCESS = -60
    expired = login(shopper.email)["token"]

    body = graphql("{ me { email } }", **bearer(expired))

    assert body["data"] is None
    assert body["errors"][0]["message"] == "Signature has expired"
    assert body["errors"][0]["extensions"]["exception"]["code"] == "ExpiredSignatureError"


def test_refresh_token_is_not_accepted_as_an_access_token(shopper):
    refresh = login(shopper.email)["refreshToken"]
    body = graphql("{ me { email } }", **bearer(refresh))
    assert body["errors"][0]["extensions"]["exception"]["code"] == "InvalidTokenError"


def test_token_of_a_deactivated_user_is_refused(shopper, token):
    User.objects.filter(pk=shopper.pk).update(is_active=False)
    body = graphql("{ me { email } }", **bearer(token))
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["exception"]["code"] == "InvalidTokenError"


def test_rotating_the_jwt_key_revokes_issued_tokens(shopper, token):
    assert graphql("{ me { email } }", **bearer(token))["data"]["me"] == {"email": shopper.email}

    deactivate_all_tokens(user=shopper)

    body = graphql("{ me { email } }", **bearer(token))
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["exception"]["code"] == "InvalidTokenError"
    assert login(shopper.email, PASSWORD)["errors"] == []


def test_tokens_deactivate_all_logs_out_everywhere(shopper, token):
    body = graphql("mutation { tokensDeactivateAll { errors { code } } }", **bearer(token))
    assert body["data"]["tokensDeactivateAll"] == {"errors": []}
    assert graphql("{ me { email } }", **bearer(token))["data"] is None


def test_tokens_deactivate_all_needs_a_logged_in_user(db):
    body = graphql("mutation { tokensDeactivateAll { errors { code } } }")
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
