"""The Odoo connectors over real HTTP against the Odoo protocol test server (simulators/odoo/):
an Odoo 19 member over JSON-2 with an API key, an Odoo 17 member over XML-RPC with a password."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from plugins.erp_sync.connectors.base import AccessDenied, AuthenticationFailed, ConnectorError, SaleLine, SalePush
from plugins.erp_sync.connectors.odoo import FieldMapping
from plugins.erp_sync.connectors.odoo_json2 import OdooJson2Connector
from plugins.erp_sync.connectors.odoo_xmlrpc import OdooXmlRpcConnector
from simulators.odoo import Rights

ITEMS = 30
KEY = "0123456789abcdef0123456789abcdef01234567"
PASSWORD = "bot-secret"


@pytest.fixture(params=["json2", "xmlrpc"])
def member(request, odoo_sim):
    """A fresh member database and a connector to it, for each protocol."""
    name = f"{request.param}_{request.node.name}"[:60].replace("[", "_").replace("]", "")
    if request.param == "json2":
        db = odoo_sim.add_database(name, version=19, items=ITEMS, seed=3)
        bot = db.add_user("bot", PASSWORD, name="Marketplace bot")
        db.add_api_key(bot, KEY, expires=datetime.now(UTC) + timedelta(days=5))
        connector = OdooJson2Connector(url=odoo_sim.url_of(name), database=name, api_key=KEY, timeout=5)
    else:
        db = odoo_sim.add_database(name, version=17, items=ITEMS, seed=3)
        db.add_user("bot", PASSWORD, name="Marketplace bot")
        connector = OdooXmlRpcConnector(url=odoo_sim.url_of(name), database=name, login="bot", password=PASSWORD,
                                        timeout=5)
    return db, connector


def _all_items(connector, changed_since=None, batch_size=1000):
    return [item for batch in connector.items(changed_since=changed_since, batch_size=batch_size) for item in batch]


def test_test_connection_tells_the_version_the_user_and_warns_of_an_expiring_key(member):
    db, connector = member

    report = connector.test_connection()

    assert report.ok
    assert report.server_version.startswith(str(db.version))
    assert report.user_name == "Marketplace bot"
    assert report.pos_stock_mode == "real"
    if isinstance(connector, OdooJson2Connector):
        assert report.key_expires_at is not None
        assert any("expires" in warning for warning in report.warnings)


def test_a_point_of_sale_updating_stock_at_closing_is_reported(member):
    db, connector = member
    db.set_pos_mode("closing")

    report = connector.test_connection()

    assert report.pos_stock_mode == "closing"
    assert any("session closes" in warning for warning in report.warnings)


def test_wrong_credentials_are_refused_clearly(odoo_sim):
    db = odoo_sim.add_database("wrong_credentials19", version=19)
    db.add_api_key(db.add_user("bot", PASSWORD), KEY)
    odoo_sim.add_database("wrong_credentials17", version=17).add_user("bot", PASSWORD)

    bad_key = OdooJson2Connector(url=odoo_sim.url_of("wrong_credentials19"), database="wrong_credentials19",
                                 api_key="f" * 40)
    bad_password = OdooXmlRpcConnector(url=odoo_sim.url_of("wrong_credentials17"), database="wrong_credentials17",
                                       login="bot", password="nope")

    with pytest.raises(AuthenticationFailed):
        bad_key.test_connection()
    with pytest.raises(AuthenticationFailed):
        bad_password.test_connection()


def test_missing_rights_are_an_access_error_not_a_crash(odoo_sim):
    db = odoo_sim.add_database("no_sales19", version=19, items=3)
    bot = db.add_user("bot", PASSWORD, rights=Rights(frozenset({"product.product", "product.template"}), frozenset()))
    db.add_api_key(bot, KEY)
    connector = OdooJson2Connector(url=odoo_sim.url_of("no_sales19"), database="no_sales19", api_key=KEY)

    with pytest.raises(AccessDenied):
        connector.call("sale.order", "search_read", domain=[], fields=["name"])
    report = connector.test_connection()
    assert any("sale.order" in warning for warning in report.warnings)


def test_the_first_pull_reads_every_storable_item_in_batches_with_stock_and_photos(member):
    db, connector = member

    batches = list(connector.items(changed_since=None, batch_size=7))
    items = [item for batch in batches for item in batch]

    products = db.records["product.product"]
    assert len(items) == len(products)
    assert all(len(batch) <= 7 for batch in batches)
    assert {item.ref for item in items} == {str(pk) for pk in products}
    for item in items:
        product = products[int(item.ref)]
        template = db.records["product.template"][product["product_tmpl_id"]]
        assert isinstance(item.price, Decimal) and item.price == Decimal(str(template["list_price"])).quantize(
            Decimal("0.01")
        )
        assert item.sku == product["default_code"]
        assert item.quantity == max(int(db.product_quantity(int(item.ref))), 0)
        assert bool(item.images) == bool(template.get("_image"))
        assert item.category_ref == str(template["categ_id"])
    assert all(item.images[0].data[:2] in (b"\xff\xd8", b"\x89P") for item in items if item.images)
    assert {category.ref for category in connector.categories()} >= {item.category_ref for item in items}


def test_incremental_pulls_see_price_new_archived_and_photo_changes_only(member):
    db, connector = member
    cursor = max(item.updated_at for item in _all_items(connector))
    templates = db.template_ids()

    db.change_items("price", ids=[templates[0]])
    db.change_items("archive", ids=[templates[1]])
    db.change_items("image", ids=[templates[2]])
    new_template = db.change_items("new", 1)[0]

    changed = {item.ref: item for item in _all_items(connector, changed_since=cursor)}

    variants = db.index("product.product", "product_tmpl_id")
    expected = {str(pk) for template in (*templates[:3], new_template) for pk in variants[template]}
    assert set(changed) == expected
    price_item = changed[str(variants[templates[0]][0])]
    assert price_item.price == Decimal(str(db.records["product.template"][templates[0]]["list_price"])).quantize(
        Decimal("0.01")
    )
    assert changed[str(variants[templates[1]][0])].active is False
    assert changed[str(variants[templates[2]][0])].images
    assert changed[str(variants[new_template][0])].quantity == 1


def test_a_sale_in_the_shop_moves_stock_not_the_item_and_a_vanished_quant_means_none(member):
    db, connector = member
    items = _all_items(connector)
    cursor = max(item.updated_at for item in items)
    stock_cursor = connector.stock_changes(changed_since=None).cursor
    sold = next(item for item in items if item.quantity == 1)

    db.sell_in_shop(int(sold.ref), cleanup=False)

    assert _all_items(connector, changed_since=cursor) == []
    changes = connector.stock_changes(changed_since=stock_cursor)
    assert changes.levels == {sold.ref: 0}
    assert changes.cursor > stock_cursor
    db.cleanup_quants()
    levels = connector.stock_levels()
    assert sold.ref not in levels
    assert levels[next(item.ref for item in items if item.quantity and item.ref != sold.ref)] >= 1


def test_the_online_rule_can_be_a_tag(member):
    db, connector = member
    connector.mapping = FieldMapping(online_rule="tag", online_value="En ligne")
    tagged = {tag_id for tag_id, tag in db.records["product.tag"].items() if tag["name"] == "En ligne"}

    items = _all_items(connector)

    for item in items:
        template = db.template_of(db.records["product.product"][int(item.ref)])
        assert item.online == (bool(tagged & set(template["product_tag_ids"])) and template["sale_ok"])


def test_the_members_own_fields_give_the_grade_the_notes_and_the_online_flag(member):
    db, connector = member
    db.add_custom_field("x_etat", "char", "État")
    db.add_custom_field("x_remarques", "text", "Remarques")
    db.add_custom_field("x_en_ligne", "boolean", "Sur la marketplace")
    templates = sorted(db.records["product.template"])[:6]
    # The shop's staff fill them in (as admin, uid 2, through the model's own write).
    db.call(2, "product.template", "write", ids=templates[:3],
            kwargs={"vals": {"x_etat": "tres-bon", "x_remarques": "Rayure au dos", "x_en_ligne": True}})
    connector.mapping = FieldMapping(grade="x_etat", condition_notes="x_remarques", online_rule="field",
                                     online_value="x_en_ligne")

    items = {int(item.ref): item for item in _all_items(connector)}

    for product_id, item in items.items():
        template = db.template_of(db.records["product.product"][product_id])
        marked = template["id"] in templates[:3]
        assert (item.grade, item.condition_notes) == (("tres-bon", "Rayure au dos") if marked else ("", ""))
        assert item.online == (marked and template["sale_ok"])
    assert any(item.online for item in items.values())


def _sale(item, reference="MKT-1001-2"):
    return SalePush(
        reference=reference,
        customer_name="Anne Peeters",
        customer_email="anne@example.be",
        lines=[SaleLine(item_ref=item.ref, quantity=1, unit_price=item.price)],
    )


def _orders(db, reference):
    return [order for order in db.records["sale.order"].values() if order.get("client_order_ref") == reference]


def test_a_pushed_sale_is_confirmed_once_and_lowers_the_shops_stock(member):
    db, connector = member
    item = next(item for item in _all_items(connector) if item.quantity == 1)

    first = connector.push_sale(_sale(item))
    again = connector.push_sale(_sale(item))

    assert first.created and not again.created
    assert first.external_ref == again.external_ref
    orders = _orders(db, "MKT-1001-2")
    assert len(orders) == 1 and orders[0]["state"] == "sale"
    assert connector.stock_levels([item.ref]).get(item.ref, 0) == 0


def test_a_push_interrupted_after_the_create_only_confirms_the_draft(member):
    db, connector = member
    item = next(item for item in _all_items(connector) if item.quantity == 1)
    partner = connector.call("res.partner", "create", vals_list=[{"name": "Anne", "email": "anne@example.be"}])
    partner_id = partner[0] if isinstance(partner, list) else partner
    connector.call("sale.order", "create", vals_list=[{
        "partner_id": partner_id, "client_order_ref": "MKT-7-1",
        "order_line": [[0, 0, {"product_id": int(item.ref), "product_uom_qty": 1, "price_unit": float(item.price)}]],
    }])

    result = connector.push_sale(_sale(item, "MKT-7-1"))

    assert result.created is False
    orders = _orders(db, "MKT-7-1")
    assert len(orders) == 1 and orders[0]["state"] == "sale"


def test_cancelling_a_pushed_sale_puts_the_item_back(member):
    db, connector = member
    item = next(item for item in _all_items(connector) if item.quantity == 1)
    connector.push_sale(_sale(item, "MKT-9-1"))

    connector.cancel_sale("MKT-9-1")
    connector.cancel_sale("MKT-9-1")  # a retry changes nothing
    connector.cancel_sale("MKT-unknown")

    assert _orders(db, "MKT-9-1")[0]["state"] == "cancel"
    assert connector.stock_levels([item.ref])[item.ref] == 1


def test_lines_cancelled_online_lower_the_recorded_sale_and_return_their_units(member):
    db, connector = member
    first, second = [item for item in _all_items(connector) if item.quantity == 1][:2]
    both = _sale(first, "MKT-11-1")
    both = SalePush(reference=both.reference, customer_name=both.customer_name, customer_email=both.customer_email,
                    lines=[*both.lines, SaleLine(item_ref=second.ref, quantity=1, unit_price=second.price)])
    connector.push_sale(both)
    kept = SalePush(reference=both.reference, customer_name=both.customer_name,
                    customer_email=both.customer_email, lines=both.lines[:1])

    connector.update_sale(kept)
    connector.update_sale(kept)  # a retry changes nothing

    [order] = _orders(db, "MKT-11-1")
    assert order["state"] == "sale"
    quantities = {line["product_id"]: line["product_uom_qty"] for line in db.records["sale.order.line"].values()
                  if line["order_id"] == order["id"]}
    assert quantities == {int(first.ref): 1, int(second.ref): 0}
    levels = connector.stock_levels([first.ref, second.ref])
    assert levels.get(first.ref, 0) == 0 and levels[second.ref] == 1


def test_a_failing_or_slow_server_gives_a_retryable_error(member):
    db, connector = member
    connector.test_connection()  # logged in (XML-RPC) before the trouble starts

    db.fail(1, status=500)
    with pytest.raises(ConnectorError) as failed:
        connector.categories()
    assert failed.value.retryable

    db.set_slow(1500)
    connector.timeout = 0.3
    try:
        with pytest.raises(ConnectorError) as slow:
            connector.categories()
    finally:
        db.set_slow(0)
    assert slow.value.retryable
    assert not isinstance(slow.value, AuthenticationFailed)
