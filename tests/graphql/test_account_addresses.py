"""The shopper's address book through the API: validated addresses, defaults, only one's own addresses."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saleor_ext.account.models import Address, User
from saleor_ext.graphql.core.ids import to_global_id
from tests.account.helpers import bearer, codes, data_of, graphql, login, make_shopper

pytestmark = pytest.mark.django_db

ADDRESS_FIELDS = """
id firstName lastName companyName streetAddress1 streetAddress2 city cityArea postalCode countryArea
country { code country } phone isDefaultShippingAddress isDefaultBillingAddress metadata { key value }
"""

CREATE = f"""
mutation Create($input: AddressInput!, $type: AddressTypeEnum) {{
  accountAddressCreate(input: $input, type: $type) {{
    address {{ {ADDRESS_FIELDS} }}
    user {{ defaultShippingAddress {{ id }} defaultBillingAddress {{ id }} addresses {{ id }} }}
    errors {{ field message code addressType }}
  }}
}}
"""

UPDATE = f"""
mutation Update($id: ID!, $input: AddressInput!) {{
  accountAddressUpdate(id: $id, input: $input) {{
    address {{ {ADDRESS_FIELDS} }}
    errors {{ field message code }}
  }}
}}
"""

DELETE = """
mutation Delete($id: ID!) {
  accountAddressDelete(id: $id) {
    address { id city }
    user { addresses { id } defaultShippingAddress { id } defaultBillingAddress { id } }
    errors { field message code }
  }
}
"""

SET_DEFAULT = """
mutation SetDefault($id: ID!, $type: AddressTypeEnum!) {
  accountSetDefaultAddress(id: $id, type: $type) {
    user { defaultShippingAddress { id } defaultBillingAddress { id } }
    errors { field message code }
  }
}
"""

BRUSSELS = {
    "firstName": "Anne",
    "lastName": "Dupont",
    "streetAddress1": "Rue de la Loi 16",
    "postalCode": "1000",
    "city": "Bruxelles",
    "country": "BE",
    "phone": "02 123 45 67",
}


@pytest.fixture
def shopper():
    return make_shopper()


@pytest.fixture
def auth(shopper) -> dict:
    return bearer(login(shopper.email)["token"])


def create(auth: dict, address: dict, type: str | None = None) -> dict:
    return data_of(graphql(CREATE, {"input": address, "type": type}, **auth), "accountAddressCreate")


def test_a_first_address_is_normalised_and_becomes_both_defaults(shopper, auth):
    result = create(auth, {**BRUSSELS, "metadata": [{"key": "door", "value": "blue"}]})

    assert result["errors"] == []
    address = result["address"]
    assert address == {
        "id": address["id"],
        "firstName": "Anne",
        "lastName": "Dupont",
        "companyName": "",
        "streetAddress1": "Rue de la Loi 16",
        "streetAddress2": "",
        "city": "BRUXELLES",
        "cityArea": "",
        "postalCode": "1000",
        "countryArea": "",
        "country": {"code": "BE", "country": "Belgium"},
        "phone": "+3221234567",
        "isDefaultShippingAddress": True,
        "isDefaultBillingAddress": True,
        "metadata": [{"key": "door", "value": "blue"}],
    }
    assert result["user"] == {
        "defaultShippingAddress": {"id": address["id"]},
        "defaultBillingAddress": {"id": address["id"]},
        "addresses": [{"id": address["id"]}],
    }
    assert list(shopper.addresses.values_list("city", flat=True)) == ["BRUXELLES"]


def test_a_typed_address_takes_over_that_default_only(auth):
    home = create(auth, BRUSSELS)["address"]["id"]

    office = create(
        auth, {**BRUSSELS, "streetAddress1": "Place d'Armes 1", "postalCode": "5000", "city": "Namur"}, "SHIPPING"
    )

    assert office["errors"] == []
    assert office["address"]["isDefaultShippingAddress"] is True
    assert office["address"]["isDefaultBillingAddress"] is False
    assert office["user"]["defaultShippingAddress"] == {"id": office["address"]["id"]}
    assert office["user"]["defaultBillingAddress"] == {"id": home}


@pytest.mark.parametrize(
    ("address", "city"),
    [
        ({"streetAddress1": "Damrak 1", "postalCode": "1012 LG", "city": "Amsterdam", "country": "NL"}, "AMSTERDAM"),
        ({"streetAddress1": "5 rue de la Paix", "postalCode": "75002", "city": "Paris", "country": "FR"}, "PARIS"),
        ({"streetAddress1": "2 rue du Fort", "postalCode": "1130", "city": "Luxembourg", "country": "LU"},
         "LUXEMBOURG"),
        ({"streetAddress1": "Unter den Linden 1", "postalCode": "10117", "city": "Berlin", "country": "DE"}, "BERLIN"),
    ],
    ids=["NL", "FR", "LU", "DE"],
)
def test_neighbouring_countries_addresses_are_accepted(auth, address, city):
    result = create(auth, address)
    assert result["errors"] == []
    assert result["address"]["city"] == city


@pytest.mark.parametrize(
    ("country", "postal_code"), [("BE", "10000"), ("NL", "10122"), ("FR", "7500"), ("LU", "113"), ("DE", "1011")]
)
def test_a_bad_postal_code_is_refused_on_postal_code(auth, country, postal_code):
    result = create(auth, {**BRUSSELS, "country": country, "postalCode": postal_code, "phone": None})

    assert result["address"] is None
    assert codes(result) == [("postalCode", "INVALID")]
    assert result["errors"][0]["addressType"] is None
    assert Address.objects.count() == 0


def test_missing_fields_are_required(auth):
    result = create(auth, {"firstName": "Anne", "country": "BE"})
    assert sorted(codes(result)) == [("city", "REQUIRED"), ("postalCode", "REQUIRED"), ("streetAddress1", "REQUIRED")]


def test_an_unknown_country_code_is_a_graphql_validation_error(auth):
    body = graphql(CREATE, {"input": {**BRUSSELS, "country": "XX"}}, **auth)
    assert body["errors"][0]["message"].startswith("Variable '$input' got invalid value 'XX' at 'input.country'")


def test_a_shopper_cannot_skip_validation(auth):
    result = create(auth, {**BRUSSELS, "postalCode": "10000", "skipValidation": True})
    assert codes(result) == [("postalCode", "INVALID")]


def test_staff_managing_users_may_store_an_unchecked_address_for_a_customer(shopper):
    from django.contrib.auth.models import Permission

    staff = make_shopper("staff@reemploi.example", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="manage_users"))
    mutation = """
    mutation($customer: ID, $input: AddressInput!) {
      accountAddressCreate(customerId: $customer, input: $input) { address { postalCode } errors { code } }
    }
    """
    variables = {"customer": to_global_id("User", shopper.pk), "input": {**BRUSSELS, "postalCode": "B-1000",
                                                                          "skipValidation": True}}
    result = data_of(graphql(mutation, variables, **bearer(login(staff.email)["token"])), "accountAddressCreate")

    assert result == {"address": {"postalCode": "B-1000"}, "errors": []}
    assert shopper.addresses.get().validation_skipped is True
    assert staff.addresses.count() == 0


def test_a_shopper_cannot_add_to_someone_elses_book(shopper, auth):
    other = make_shopper("other@example.be")
    mutation = """
    mutation($customer: ID, $input: AddressInput!) {
      accountAddressCreate(customerId: $customer, input: $input) { address { id } errors { code } }
    }
    """
    body = graphql(mutation, {"customer": to_global_id("User", other.pk), "input": BRUSSELS}, **auth)
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    assert other.addresses.count() == 0


def test_update_changes_the_given_fields_and_validates_the_result(auth):
    address_id = create(auth, BRUSSELS)["address"]["id"]

    result = data_of(
        graphql(UPDATE, {"id": address_id, "input": {"postalCode": "5000", "city": "namur", "companyName": "Asbl"}},
                **auth),
        "accountAddressUpdate",
    )

    assert result["errors"] == []
    moved = result["address"]
    assert (moved["streetAddress1"], moved["postalCode"], moved["city"], moved["companyName"]) == (
        "Rue de la Loi 16", "5000", "NAMUR", "Asbl"
    )
    assert moved["isDefaultShippingAddress"] is True

    bad = data_of(graphql(UPDATE, {"id": address_id, "input": {"postalCode": "50000"}}, **auth), "accountAddressUpdate")
    assert codes(bad) == [("postalCode", "INVALID")]
    assert Address.objects.get().postal_code == "5000"


def test_update_merges_metadata(auth):
    address_id = create(auth, {**BRUSSELS, "metadata": [{"key": "door", "value": "blue"}]})["address"]["id"]
    result = data_of(
        graphql(UPDATE, {"id": address_id, "input": {"metadata": [{"key": "floor", "value": "2"}]}}, **auth),
        "accountAddressUpdate",
    )
    metadata = {item["key"]: item["value"] for item in result["address"]["metadata"]}
    assert metadata == {"door": "blue", "floor": "2"}


def test_someone_elses_address_is_not_found(auth):
    other = make_shopper("other@example.be")
    theirs = Address.objects.create(street_address_1="Rue 2", postal_code="4000", city="LIEGE", country="BE")
    other.addresses.add(theirs)
    stray = Address.objects.create(street_address_1="Rue 3", postal_code="4000", city="LIEGE", country="BE")
    for address in (theirs, stray):
        address_id = to_global_id("Address", address.pk)
        update = data_of(graphql(UPDATE, {"id": address_id, "input": {"city": "x"}}, **auth), "accountAddressUpdate")
        delete = data_of(graphql(DELETE, {"id": address_id}, **auth), "accountAddressDelete")
        default = data_of(graphql(SET_DEFAULT, {"id": address_id, "type": "BILLING"}, **auth),
                          "accountSetDefaultAddress")
        for result in (update, delete, default):
            assert codes(result) == [("id", "NOT_FOUND")]
    assert Address.objects.get(pk=theirs.pk).city == "LIEGE"
    assert other.addresses.count() == 1


@pytest.mark.parametrize("bad_id", ["not-an-id", to_global_id("User", 1), to_global_id("Address", "abc")])
def test_a_malformed_id_is_a_graphql_error_code(auth, bad_id):
    result = data_of(graphql(DELETE, {"id": bad_id}, **auth), "accountAddressDelete")
    assert codes(result) == [("id", "GRAPHQL_ERROR")]


def test_delete_removes_the_address_and_its_default_roles(auth):
    home = create(auth, BRUSSELS)["address"]["id"]
    office = create(auth, {**BRUSSELS, "postalCode": "5000", "city": "Namur"})["address"]["id"]

    result = data_of(graphql(DELETE, {"id": home}, **auth), "accountAddressDelete")

    assert result["errors"] == []
    assert result["address"] == {"id": home, "city": "BRUXELLES"}
    assert result["user"] == {"addresses": [{"id": office}], "defaultShippingAddress": None,
                              "defaultBillingAddress": None}
    assert Address.objects.count() == 1


def test_set_default_address(shopper, auth):
    home = create(auth, BRUSSELS)["address"]["id"]
    office = create(auth, {**BRUSSELS, "postalCode": "5000", "city": "Namur"})["address"]["id"]

    result = data_of(graphql(SET_DEFAULT, {"id": office, "type": "BILLING"}, **auth), "accountSetDefaultAddress")

    assert result == {
        "user": {"defaultShippingAddress": {"id": home}, "defaultBillingAddress": {"id": office}},
        "errors": [],
    }
    shopper.refresh_from_db()
    assert shopper.default_billing_address.city == "NAMUR"


@pytest.mark.parametrize(
    ("document", "variables"),
    [
        (CREATE, {"input": BRUSSELS}),
        (UPDATE, {"id": to_global_id("Address", 1), "input": BRUSSELS}),
        (DELETE, {"id": to_global_id("Address", 1)}),
        (SET_DEFAULT, {"id": to_global_id("Address", 1), "type": "SHIPPING"}),
    ],
    ids=["create", "update", "delete", "set-default"],
)
def test_the_address_book_needs_a_logged_in_user(document, variables):
    body = graphql(document, variables)
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    assert list(body["data"].values()) == [None]


ME_ADDRESSES = f"""
{{
  me {{
    addresses {{ {ADDRESS_FIELDS} }}
    defaultShippingAddress {{ {ADDRESS_FIELDS} }}
    defaultBillingAddress {{ id city }}
  }}
}}
"""


def count_me_queries(auth: dict) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as captured:
        body = graphql(ME_ADDRESSES, **auth)
    return len(captured), data_of(body, "me")


def test_me_addresses_cost_the_same_for_one_and_many_addresses(shopper, auth):
    shopper.addresses.add(Address.objects.create(street_address_1="Rue 1", postal_code="1000", city="BRUXELLES"))
    shopper.default_shipping_address = shopper.default_billing_address = shopper.addresses.get()
    shopper.save()
    one, me = count_me_queries(auth)
    assert len(me["addresses"]) == 1

    for number in range(2, 9):
        address = Address.objects.create(
            street_address_1=f"Rue {number}", postal_code="1000", city="BRUXELLES", country="NL" if number % 2 else "BE"
        )
        shopper.addresses.add(address)
    many, me = count_me_queries(auth)

    assert len(me["addresses"]) == 8
    assert many == one
    assert me["defaultShippingAddress"]["streetAddress1"] == "Rue 1"
    assert [a["isDefaultBillingAddress"] for a in me["addresses"]] == [True] + [False] * 7


def test_user_type_exposes_what_the_storefront_reads(shopper, auth):
    User.objects.filter(pk=shopper.pk).update(language_code="nl-be")
    me = data_of(graphql("{ me { id email firstName lastName isConfirmed dateJoined languageCode avatar { url alt } "
                         "addresses { id } defaultShippingAddress { id } defaultBillingAddress { id } } }", **auth),
                 "me")
    assert me["languageCode"] == "NL_BE"
    assert me["avatar"] is None and me["addresses"] == [] and me["defaultShippingAddress"] is None
    assert me["dateJoined"] and me["isConfirmed"] is True


def test_several_mutations_in_one_document_each_see_the_book_as_it_is(auth):
    home = create(auth, BRUSSELS)["address"]["id"]
    document = """
    mutation($id: ID!) {
      first: accountSetDefaultAddress(id: $id, type: BILLING) { user { addresses { city } } errors { code } }
      second: accountAddressUpdate(id: $id, input: {postalCode: "5000", city: "Namur"}) {
        user { defaultShippingAddress { city } addresses { city } }
        errors { code }
      }
    }
    """
    data = graphql(document, {"id": home}, **auth)["data"]
    assert data["first"]["user"]["addresses"] == [{"city": "BRUXELLES"}]
    assert data["second"]["user"] == {"defaultShippingAddress": {"city": "NAMUR"}, "addresses": [{"city": "NAMUR"}]}
