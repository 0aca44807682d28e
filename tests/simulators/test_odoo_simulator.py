"""The local Odoo server over real HTTP: JSON-2 with ``requests``, XML-RPC with ``xmlrpc.client`` as it
ships, and the independent ``odoorpc`` client (JSON-RPC), as a member's Odoo 19 or 17 would answer."""

from __future__ import annotations

import subprocess
import sys
import time
import xmlrpc.client
from datetime import UTC, datetime, timedelta

import odoorpc
import pytest
import requests

from simulators.odoo import DEMO_JSON2_KEY, DEMO_XMLRPC_PASSWORD, OdooSimulator, Rights, demo

MODERN = "recyclerie19"
CLASSIC = "kringwinkel17"


@pytest.fixture(scope="module")
def sim():
    with OdooSimulator() as simulator:
        demo(simulator, items=120)
        yield simulator


@pytest.fixture
def fresh():
    """A server of its own, for tests that change data or break the server."""
    with OdooSimulator() as simulator:
        demo(simulator, items=60)
        yield simulator


def json2(sim, model, method, key=DEMO_JSON2_KEY, database=MODERN, **body):
    return requests.post(
        f"{sim.url}/json/2/{model}/{method}", json=body, timeout=10,
        headers={"Authorization": f"bearer {key}", "X-Odoo-Database": database, "User-Agent": "tests"},
    )


def ok(response):
    assert response.status_code == 200, response.text
    return response.json()


def xmlrpc_object(sim):
    return xmlrpc.client.ServerProxy(f"{sim.url}/xmlrpc/2/object", allow_none=True)


def login_classic(sim):
    uid = xmlrpc.client.ServerProxy(f"{sim.url}/xmlrpc/2/common").authenticate(
        CLASSIC, "marketplace", DEMO_XMLRPC_PASSWORD, {})
    assert uid
    return uid


# -- JSON-2 -----------------------------------------------------------------------------------------


def test_version_endpoint_tells_each_database_version(sim):
    assert requests.get(f"{sim.url}/web/version", headers={"X-Odoo-Database": MODERN}, timeout=5).json() == {
        "version": "19.0", "version_info": [19, 0, 0, "final", 0, ""]}
    assert requests.get(f"{sim.url_of(CLASSIC)}/web/version", timeout=5).json()["version"] == "17.0"


def test_search_read_with_domain_limit_offset_and_order(sim):
    everything = ok(json2(sim, "product.template", "search_read", domain=[["list_price", ">=", 20]],
                          fields=["name", "list_price", "categ_id"], order="list_price desc, id"))
    assert everything and all(row["list_price"] >= 20 for row in everything)
    prices = [row["list_price"] for row in everything]
    assert prices == sorted(prices, reverse=True)
    assert set(everything[0]) == {"id", "name", "list_price", "categ_id"}
    category_id, category_name = everything[0]["categ_id"]
    assert category_name.startswith("All / Saleable / ")

    page = ok(json2(sim, "product.template", "search_read", domain=[["list_price", ">=", 20]], fields=["name"],
                    order="list_price desc, id", offset=2, limit=3))
    assert [row["id"] for row in page] == [row["id"] for row in everything[2:5]]

    either = ok(json2(sim, "product.template", "search_read", fields=["list_price", "name"], domain=[
        "|", ["list_price", "<", 3], "&", ["name", "ilike", "vélo"], ["categ_id", "child_of", category_id]]))
    assert either and all(row["list_price"] < 3 or "vélo" in row["name"].lower() for row in either)
    counted = ok(json2(sim, "product.template", "search_count", domain=[["categ_id.name", "=", "Vélos"]]))
    # A name for a many2one matches the category's display name (its complete name), as in Odoo.
    assert counted == len(ok(json2(sim, "product.template", "search", domain=[["categ_id", "ilike", "Vélos"]])))
    assert ok(json2(sim, "product.template", "search", domain=[["categ_id", "=", "Vélos"]])) == []


def test_variants_are_read_with_their_template_fields_and_storable_flag(sim):
    rows = ok(json2(sim, "product.product", "search_read", domain=[["is_storable", "=", True]], limit=5,
                    fields=["product_tmpl_id", "name", "list_price", "default_code", "image_1920", "write_date"],
                    order="write_date, id"))
    assert len(rows) == 5
    assert rows[0]["product_tmpl_id"][0] != rows[-1]["product_tmpl_id"][0]
    # The first clothes come in two sizes: variant and template ids differ from there on.
    assert any(row["id"] != row["product_tmpl_id"][0] for row in rows)
    assert all(row["default_code"].startswith("REC-") and row["list_price"] > 0 for row in rows)
    assert all(isinstance(row["image_1920"], str | bool) for row in rows)
    assert [row["write_date"] for row in rows] == sorted(row["write_date"] for row in rows)
    read = ok(json2(sim, "product.product", "read", ids=[rows[0]["id"]], fields=["lst_price", "qty_available"]))
    assert read[0]["lst_price"] == rows[0]["list_price"] and read[0]["qty_available"] in (0.0, 1.0)


def test_images_come_in_odoo_sizes(sim):
    rows = ok(json2(sim, "product.template", "search_read", domain=[["image_1920", "!=", False]], limit=1,
                    fields=["image_1920", "image_256", "image_128"]))
    assert rows[0]["image_1920"].startswith("/9j/")  # base64 of a JPEG
    assert rows[0]["image_256"] == rows[0]["image_1920"]  # never enlarged
    assert len(rows[0]["image_128"]) < len(rows[0]["image_1920"])


def test_fields_get_describes_fields_as_odoo(sim):
    fields = ok(json2(sim, "product.template", "fields_get", attributes=["type", "string", "relation", "required"]))
    assert fields["categ_id"] == {"type": "many2one", "string": "Product Category", "relation": "product.category",
                                  "required": False}
    assert fields["name"]["required"] is True
    assert "is_storable" in fields and "detailed_type" not in fields
    assert fields["product_tag_ids"]["type"] == "many2many"
    uid = login_classic(sim)
    classic = xmlrpc_object(sim).execute_kw(CLASSIC, uid, DEMO_XMLRPC_PASSWORD, "product.template", "fields_get",
                                            [], {"attributes": ["type", "selection"]})
    assert "is_storable" not in classic and ["product", "Storable Product"] in classic["detailed_type"]["selection"]


def test_sale_order_confirmation_takes_stock_and_cancel_puts_it_back(fresh):
    database = fresh.db(MODERN)
    product = ok(json2(fresh, "product.product", "search_read", domain=[["qty_available", ">", 0]],
                       fields=["id", "write_date", "list_price"], limit=1))[0]
    quants = ok(json2(fresh, "stock.quant", "search_read", domain=[["product_id", "=", product["id"]]],
                      fields=["quantity", "location_id"]))
    before = sum(quant["quantity"] for quant in quants)
    partner = ok(json2(fresh, "res.partner", "create", vals_list={"name": "Els Peeters", "email": "els@example.be"}))
    order_id = ok(json2(fresh, "sale.order", "create", vals_list={
        "partner_id": partner, "client_order_ref": "MKT-1001",
        "order_line": [[0, 0, {"product_id": product["id"], "product_uom_qty": 1, "price_unit": 12.5}]]}))
    order = ok(json2(fresh, "sale.order", "read", ids=[order_id], fields=["name", "state", "amount_total"]))[0]
    assert order["name"].startswith("S0") and order["state"] == "draft" and order["amount_total"] == 12.5
    assert ok(json2(fresh, "sale.order", "action_confirm", ids=[order_id])) is True

    after = ok(json2(fresh, "stock.quant", "search_read", domain=[["product_id", "=", product["id"]]],
                     fields=["quantity", "write_date"]))
    assert sum(quant["quantity"] for quant in after) == before - 1
    unchanged = ok(json2(fresh, "product.product", "read", ids=[product["id"]], fields=["write_date"]))[0]
    assert unchanged["write_date"] == product["write_date"]  # stock moves never touch the product
    found = ok(json2(fresh, "sale.order", "search_read", domain=[["client_order_ref", "=", "MKT-1001"]],
                     fields=["state"]))
    assert found == [{"id": order_id, "state": "sale"}]

    again = json2(fresh, "sale.order", "action_confirm", ids=[order_id])
    assert again.status_code == 422 and again.json()["name"] == "odoo.exceptions.UserError"

    ok(json2(fresh, "sale.order", "action_cancel", ids=[order_id]))
    restored = ok(json2(fresh, "stock.quant", "search_read", domain=[["product_id", "=", product["id"]]],
                        fields=["quantity"]))
    assert sum(quant["quantity"] for quant in restored) == before
    assert database.records["sale.order"][order_id]["state"] == "cancel"


def test_a_failing_create_leaves_nothing_behind(fresh):
    orders = len(fresh.db(MODERN).records["sale.order"])
    response = json2(fresh, "sale.order", "create", vals_list={
        "partner_id": 1, "order_line": [[0, 0, {"product_id": 1, "product_uom_qty": 1}],
                                        [0, 0, {"product_id": 999_999, "product_uom_qty": 1}]]})
    assert response.status_code == 422 and response.json()["name"] == "odoo.exceptions.ValidationError"
    assert len(fresh.db(MODERN).records["sale.order"]) == orders
    assert not fresh.db(MODERN).records["sale.order.line"]


def test_writes_move_write_date_and_stock_changes_do_not(fresh):
    database = fresh.db(MODERN)
    template = ok(json2(fresh, "product.template", "search_read", domain=[], limit=1, order="write_date, id",
                        fields=["write_date", "product_variant_ids"]))[0]
    assert template["write_date"] < (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S")
    admin_key = database.add_api_key(2)
    assert ok(json2(fresh, "product.template", "write", key=admin_key, ids=[template["id"]],
                    vals={"list_price": 99.0})) is True
    moved = ok(json2(fresh, "product.template", "read", ids=[template["id"]], fields=["write_date", "list_price"]))
    assert moved[0]["list_price"] == 99.0 and moved[0]["write_date"] > template["write_date"]
    since = ok(json2(fresh, "product.template", "search", domain=[["write_date", ">=", moved[0]["write_date"]]]))
    assert since == [template["id"]]

    variant = template["product_variant_ids"][0]
    variant_date = ok(json2(fresh, "product.product", "read", ids=[variant], fields=["write_date"]))[0]["write_date"]
    database.sell_in_shop(variant)
    assert ok(json2(fresh, "product.product", "read", ids=[variant], fields=["write_date"]))[0]["write_date"] == (
        variant_date)
    assert ok(json2(fresh, "product.product", "search", domain=[["write_date", ">", variant_date],
                                                                 ["id", "=", variant]])) == []


def test_a_quant_at_zero_disappears_after_the_clean_up(fresh):
    database = fresh.db(MODERN)
    product_id = ok(json2(fresh, "stock.quant", "search_read", domain=[["quantity", "=", 1]], fields=["product_id"],
                          limit=1))[0]["product_id"][0]
    database.sell_in_shop(product_id, cleanup=False)
    zero = ok(json2(fresh, "stock.quant", "search_read", domain=[["product_id", "=", product_id]],
                    fields=["quantity"]))
    assert [quant["quantity"] for quant in zero] == [0.0]
    assert requests.post(f"{fresh.url}/_sim/{MODERN}/cleanup", json={}, timeout=5).json()["removed"] >= 1
    assert ok(json2(fresh, "stock.quant", "search_read", domain=[["product_id", "=", product_id]])) == []


def test_archived_records_are_hidden_unless_active_test_is_false(fresh):
    archived = fresh.db(MODERN).change_items("archive", 2)
    visible = ok(json2(fresh, "product.template", "search", domain=[["id", "in", archived]]))
    assert visible == []
    everything = ok(json2(fresh, "product.template", "search_read", domain=[["id", "in", archived]],
                          fields=["active", "product_variant_ids"], context={"active_test": False}))
    assert sorted(row["id"] for row in everything) == sorted(archived)
    assert all(row["active"] is False for row in everything)
    variants = ok(json2(fresh, "product.product", "search_read", domain=[["product_tmpl_id", "in", archived]],
                        fields=["active"], context={"active_test": False}))
    assert variants and all(row["active"] is False for row in variants)
    assert ok(json2(fresh, "product.template", "search_count", domain=[["active", "=", False]])) == 2


def test_wrong_key_expired_key_and_revoked_key_get_401(fresh):
    response = json2(fresh, "product.template", "search_read", key="not-a-key", fields=["name"])
    assert response.status_code == 401
    body = response.json()
    assert set(body) == {"name", "message", "arguments", "context", "debug"}
    assert body["name"] == "werkzeug.exceptions.Unauthorized" and body["message"] == "Invalid apikey"

    keys = ok(json2(fresh, "res.users.apikeys", "search_read", domain=[], fields=["expiration_date", "user_id"]))
    assert len(keys) == 1 and keys[0]["expiration_date"] > datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
    fresh.db(MODERN).expire_key(DEMO_JSON2_KEY)
    assert json2(fresh, "product.template", "search_count", domain=[]).status_code == 401
    fresh.db(MODERN).expire_key(DEMO_JSON2_KEY, in_days=10)
    assert ok(json2(fresh, "product.template", "search_count", domain=[])) > 0
    requests.post(f"{fresh.url}/_sim/{MODERN}/revoke_key", json={"key": DEMO_JSON2_KEY}, timeout=5)
    assert json2(fresh, "product.template", "search_count", domain=[]).status_code == 401


def test_missing_rights_give_access_error_403(fresh):
    database = fresh.db(MODERN)
    uid = database.add_user("catalogue-only", "x", rights=Rights(frozenset({"product.template"}), frozenset()))
    key = database.add_api_key(uid)
    assert ok(json2(fresh, "product.template", "search_count", key=key, domain=[])) > 0
    response = json2(fresh, "stock.quant", "search_read", key=key, fields=["quantity"])
    assert response.status_code == 403
    assert response.json()["name"] == "odoo.exceptions.AccessError"
    assert "(stock.quant)" in response.json()["message"]
    assert json2(fresh, "sale.order", "create", key=key, vals_list={"partner_id": 1}).status_code == 403


def test_unknown_model_method_database_and_bad_parameters(sim):
    unknown = json2(sim, "product.nothing", "search_read")
    assert unknown.status_code == 404 and unknown.json()["name"] == "werkzeug.exceptions.NotFound"
    assert json2(sim, "product.template", "do_magic").status_code == 404
    assert json2(sim, "product.template", "search_read", database="nowhere").status_code == 404
    bad_param = json2(sim, "product.template", "search_read", colour="blue")
    assert bad_param.status_code == 422 and "colour" in bad_param.json()["message"]
    bad_field = json2(sim, "product.template", "read", ids=[1], fields=["colour"])
    assert bad_field.status_code == 422 and bad_field.json()["name"] == "builtins.ValueError"
    missing = json2(sim, "product.template", "read", ids=[9_999_999], fields=["name"])
    assert missing.status_code == 404 and missing.json()["name"] == "odoo.exceptions.MissingError"
    # Two databases here: without X-Odoo-Database no route answers; an Odoo 17 has no JSON-2 at all.
    no_db = requests.post(f"{sim.url}/json/2/product.template/search_count", json={"domain": []}, timeout=5,
                          headers={"Authorization": f"bearer {DEMO_JSON2_KEY}"})
    assert no_db.status_code == 404
    assert json2(sim, "product.template", "search_count", database=CLASSIC, domain=[]).status_code == 404
    alone = requests.post(f"{sim.url_of(MODERN)}/json/2/product.template/search_count", json={"domain": []},
                          timeout=5, headers={"Authorization": f"bearer {DEMO_JSON2_KEY}"})
    assert alone.status_code == 200 and alone.json() > 0


def test_pos_mode_is_readable_and_closing_delays_shop_sales(fresh):
    database = fresh.db(MODERN)
    rows = ok(json2(fresh, "res.company", "search_read", domain=[], fields=["point_of_sale_update_stock_quantities"]))
    assert rows[0]["point_of_sale_update_stock_quantities"] == "real"
    requests.post(f"{fresh.url}/_sim/{MODERN}/pos_mode", json={"mode": "closing"}, timeout=5)
    rows = ok(json2(fresh, "res.company", "search_read", domain=[], fields=["point_of_sale_update_stock_quantities"]))
    assert rows[0]["point_of_sale_update_stock_quantities"] == "closing"
    product_id = ok(json2(fresh, "stock.quant", "search_read", domain=[["quantity", "=", 1]], fields=["product_id"],
                          limit=1))[0]["product_id"][0]
    database.sell_in_shop(product_id)
    assert ok(json2(fresh, "product.product", "read", ids=[product_id], fields=["qty_available"]))[0][
        "qty_available"] == 1
    database.close_pos_session()
    assert ok(json2(fresh, "product.product", "read", ids=[product_id], fields=["qty_available"]))[0][
        "qty_available"] == 0


# -- XML-RPC and JSON-RPC -----------------------------------------------------------------------------


def test_xmlrpc_authenticate_good_and_bad(sim):
    common = xmlrpc.client.ServerProxy(f"{sim.url_of(CLASSIC)}/xmlrpc/2/common")
    assert common.version()["server_version"] == "17.0"
    uid = common.authenticate(CLASSIC, "marketplace", DEMO_XMLRPC_PASSWORD, {})
    assert isinstance(uid, int) and uid > 2
    assert common.authenticate(CLASSIC, "marketplace", "wrong", {}) is False
    assert common.authenticate(CLASSIC, "nobody", DEMO_XMLRPC_PASSWORD, {}) is False
    # An API key works as the password, as in Odoo 14+.
    modern = xmlrpc.client.ServerProxy(f"{sim.url}/xmlrpc/2/common")
    assert modern.authenticate(MODERN, "marketplace-bot", DEMO_JSON2_KEY, {})


def test_xmlrpc_search_read_and_create(fresh):
    uid = login_classic(fresh)
    models = xmlrpc_object(fresh)
    rows = models.execute_kw(CLASSIC, uid, DEMO_XMLRPC_PASSWORD, "product.product", "search_read",
                             [[["detailed_type", "=", "product"], ["qty_available", ">", 0]]],
                             {"fields": ["name", "default_code", "categ_id", "write_date"], "limit": 10,
                              "order": "id"})
    assert len(rows) == 10 and rows[0]["default_code"].startswith("KRI-")
    assert rows[0]["categ_id"][1].startswith("All / Saleable / ")
    partner = models.execute_kw(CLASSIC, uid, DEMO_XMLRPC_PASSWORD, "res.partner", "create",
                                [{"name": "Marketplace klant"}])
    order = models.execute_kw(CLASSIC, uid, DEMO_XMLRPC_PASSWORD, "sale.order", "create", [[{
        "partner_id": partner, "client_order_ref": "MKT-7",
        "order_line": [[0, 0, {"product_id": rows[0]["id"], "product_uom_qty": 1}]]}]])
    assert isinstance(order, list) and len(order) == 1
    models.execute_kw(CLASSIC, uid, DEMO_XMLRPC_PASSWORD, "sale.order", "action_confirm", [order])
    read = models.execute_kw(CLASSIC, uid, DEMO_XMLRPC_PASSWORD, "sale.order", "read", [order, ["state",
                                                                                                   "amount_total"]])
    assert read[0]["state"] == "sale" and read[0]["amount_total"] > 0
    # The old positional execute works too.
    assert models.execute(CLASSIC, uid, DEMO_XMLRPC_PASSWORD, "sale.order", "search_count", [["state", "=", "sale"]])


def test_xmlrpc_faults_as_odoo_sends_them(fresh):
    uid = login_classic(fresh)
    models = xmlrpc_object(fresh)
    with pytest.raises(xmlrpc.client.Fault) as denied:
        models.execute_kw(CLASSIC, uid, "wrong", "product.product", "search", [[]])
    assert denied.value.faultCode == 3 and denied.value.faultString == "Access Denied"
    with pytest.raises(xmlrpc.client.Fault) as access:
        models.execute_kw(CLASSIC, uid, DEMO_XMLRPC_PASSWORD, "product.template", "write", [[1], {"name": "x"}])
    assert access.value.faultCode == 4 and "not allowed to modify" in access.value.faultString
    with pytest.raises(xmlrpc.client.Fault) as missing_model:
        models.execute_kw(CLASSIC, uid, DEMO_XMLRPC_PASSWORD, "product.nothing", "search", [[]])
    assert missing_model.value.faultCode == 2 and "doesn't exist" in missing_model.value.faultString
    with pytest.raises(xmlrpc.client.Fault) as bad_domain:
        models.execute_kw(CLASSIC, uid, DEMO_XMLRPC_PASSWORD, "product.product", "search", [[["nope", "=", 1]]])
    assert bad_domain.value.faultCode == 1 and "ValueError: Invalid field" in bad_domain.value.faultString
    with pytest.raises(xmlrpc.client.Fault) as unknown_db:
        xmlrpc.client.ServerProxy(f"{fresh.url}/xmlrpc/2/common").authenticate("nowhere", "a", "b", {})
    assert 'database "nowhere" does not exist' in unknown_db.value.faultString


def test_independent_client_odoorpc_logs_in_and_reads_products(sim):
    port = int(sim.url.rsplit(":", 1)[1])
    odoo = odoorpc.ODOO("127.0.0.1", protocol="jsonrpc", port=port)
    assert odoo.version == "19.0"
    assert odoo.db.list() == [MODERN, CLASSIC]
    odoo.login(MODERN, "marketplace-bot", DEMO_JSON2_KEY)
    assert odoo.env.uid > 2
    rows = odoo.env["product.template"].search_read([["list_price", "<", 10]], ["name", "list_price"], limit=5)
    assert 0 < len(rows) <= 5 and all(row["list_price"] < 10 for row in rows)
    ids = odoo.env["product.product"].search([["is_storable", "=", True]], limit=3)
    assert len(ids) == 3
    with pytest.raises(odoorpc.error.RPCError) as refused:
        odoorpc.ODOO("127.0.0.1", port=port).login(MODERN, "marketplace-bot", "wrong")
    assert "Wrong login" in str(refused.value)
    with pytest.raises(odoorpc.error.RPCError) as denied:
        odoo.env["product.template"].write([rows[0]["id"]], {"name": "x"})
    assert "not allowed to modify" in str(denied.value)


# -- test controls ------------------------------------------------------------------------------------


def test_slow_mode_delays_every_call(fresh):
    requests.post(f"{fresh.url}/_sim/{MODERN}/slow", json={"ms": 150}, timeout=5)
    started = time.perf_counter()
    ok(json2(fresh, "product.template", "search_count", domain=[]))
    assert time.perf_counter() - started >= 0.15
    fresh.db(MODERN).set_slow(0)


def test_failing_modes_break_the_asked_calls_then_recover(fresh):
    requests.post(f"{fresh.url}/_sim/{MODERN}/fail", json={"count": 2}, timeout=5)
    first, second = (json2(fresh, "product.template", "search_count", domain=[]) for _ in range(2))
    assert first.status_code == second.status_code == 500
    assert first.json()["name"] == "builtins.Exception"
    assert json2(fresh, "product.template", "search_count", domain=[]).status_code == 200

    # The third call of a run fails, the ones around it succeed (a server failing mid-run).
    fresh.db(MODERN).fail(1, after=2)
    statuses = [json2(fresh, "product.template", "search_read", domain=[], fields=["name"], limit=5, offset=offset)
                .status_code for offset in (0, 5, 10, 15)]
    assert statuses == [200, 200, 500, 200]

    uid = login_classic(fresh)
    fresh.db(CLASSIC).fail(1)
    with pytest.raises(xmlrpc.client.Fault) as fault:
        xmlrpc_object(fresh).execute_kw(CLASSIC, uid, DEMO_XMLRPC_PASSWORD, "product.product", "search", [[]])
    assert fault.value.faultCode == 1
    assert xmlrpc_object(fresh).execute_kw(CLASSIC, uid, DEMO_XMLRPC_PASSWORD, "product.product", "search_count",
                                           [[]]) > 0


def test_changes_through_the_admin_endpoint_show_in_an_incremental_pull(fresh):
    cursor = ok(json2(fresh, "product.template", "search_read", domain=[], fields=["write_date"], limit=1,
                      order="write_date desc"))[0]["write_date"]
    changes = {}
    for kind in ("price", "name", "image", "new"):
        answer = requests.post(f"{fresh.url}/_sim/{MODERN}/change", json={"kind": kind, "count": 2}, timeout=10)
        changes[kind] = answer.json()["template_ids"]
    changed = ok(json2(fresh, "product.template", "search_read", domain=[["write_date", ">", cursor]],
                       fields=["id", "image_1920", "qty_available"], context={"active_test": False}))
    assert {row["id"] for row in changed} == {one for ids in changes.values() for one in ids}
    new = [row for row in changed if row["id"] in changes["new"]]
    assert len(new) == 2
    listing = requests.get(f"{fresh.url}/_sim", timeout=5).json()
    assert [one["name"] for one in listing["databases"]] == [MODERN, CLASSIC]
    assert {"login": "marketplace", "password": DEMO_XMLRPC_PASSWORD} .items() <= listing["databases"][1][
        "credentials"][-1].items()


def test_seed_is_deterministic(fresh):
    first, second = OdooSimulator(), OdooSimulator()
    one = first.add_database("a", items=50, seed=5)
    two = second.add_database("a", items=50, seed=5)
    names = [[record["name"], record["list_price"]] for record in one.records["product.template"].values()]
    assert names == [[record["name"], record["list_price"]] for record in two.records["product.template"].values()]
    assert len({name for name, _price in names}) > 30


def test_a_large_database_is_pulled_in_pages_and_by_change_date(fresh):
    # Speed is measured by `make bench` (sync_full, sync_incremental_1pct), not here.
    big = fresh.add_database("big", version=19, items=20_000, seed=3)
    key = big.add_api_key(big.add_user("bot", "x"))
    session = requests.Session()
    session.headers.update({"Authorization": f"bearer {key}", "X-Odoo-Database": "big"})
    fields = ["name", "default_code", "barcode", "list_price", "categ_id", "description_sale", "weight", "active",
              "write_date", "product_tag_ids", "image_1920"]
    pulled = []
    for offset in range(0, 10_000, 1000):
        response = session.post(f"{fresh.url}/json/2/product.product/search_read", timeout=30, json={
            "domain": [["is_storable", "=", True]], "fields": fields, "order": "write_date, id", "offset": offset,
            "limit": 1000, "context": {"active_test": False}})
        pulled += response.json()
    assert len(pulled) == len({row["id"] for row in pulled}) == 10_000
    assert [row["write_date"] for row in pulled] == sorted(row["write_date"] for row in pulled)

    big.change_items("price", 1000)
    cursor = (datetime.now(UTC) - timedelta(seconds=5)).strftime("%Y-%m-%d %H:%M:%S")
    changed = session.post(f"{fresh.url}/json/2/product.template/search_read", timeout=30, json={
        "domain": [["write_date", ">", cursor]], "fields": ["id", "product_variant_ids"], "order": "write_date, id",
        "context": {"active_test": False}}).json()
    assert len(changed) == 1000


def test_command_line_prints_the_demo_databases():
    process = subprocess.Popen([sys.executable, "-m", "simulators.odoo", "--port", "0", "--items", "20"],
                               stdout=subprocess.PIPE, text=True)
    try:
        lines = [process.stdout.readline() for _ in range(8)]
    finally:
        process.terminate()
        process.wait(timeout=10)
    text = "".join(lines)
    assert text.startswith("ODOO_SIMULATOR_URL=http://127.0.0.1:")
    assert f"database {MODERN}: Odoo 19.0" in text and f"database {CLASSIC}: Odoo 17.0" in text
    assert DEMO_JSON2_KEY in text and DEMO_XMLRPC_PASSWORD in text
