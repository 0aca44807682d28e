"""E-mails of an order: right recipient, right language, only the shop's own lines, logged once sent."""

from __future__ import annotations

import pytest

from saleor_ext.order import emails, services
from saleor_ext.order.models import OrderEvent, OrderEvents

from .factories import line_of, make_order, vendor_order_of


def plain(text: str) -> str:
    """The body with no-break spaces (amounts, French punctuation) read as spaces."""
    return text.replace("\xa0", " ").replace("\u202f", " ")


def sent_events(order):
    return [
        (event.parameters["email"], event.parameters["email_type"], event.vendor_order_id)
        for event in OrderEvent.objects.filter(order=order, type=OrderEvents.EMAIL_SENT).order_by("pk")
    ]


@pytest.fixture
def order_nl(market):
    return make_order(market.channel, market.two_shop_parts(atlas=2), user=market.customer, language_code="nl")


def test_confirmation_lists_every_shop_totals_and_vat_per_rate_in_dutch(market, order_nl, mailoutbox):
    assert emails.send_order_confirmation(order_nl.pk) is True

    [mail] = mailoutbox
    assert mail.to == ["anne@example.org"]
    assert mail.subject == f"Je bestelling nr. {order_nl.number} is bevestigd"
    body = plain(mail.body)
    assert "Hallo Anne Dupont," in body
    assert "== Vélos & Co ==" in body and "Afhalen in de winkel: Vélos & Co – magasin" in body
    assert "== Bouquinerie du Centre ==" in body and "Levering: bpost à domicile" in body
    assert "1 × Vélo de ville aan € 120,00: € 120,00" in body
    assert "2 × Atlas aan € 18,00: € 36,00" in body
    # 120 + 25 + 6 + 36 + 4.50 shipping.
    assert "Totaal incl. btw: € 191,50" in body
    # Books at 6 %; bike, helmet and the shipping at 21 %.
    assert "Btw 6 %: excl. btw € 39,62, btw € 2,38, incl. btw € 42,00" in body
    assert "Btw 21 %: excl. btw € 123,55, btw € 25,95, incl. btw € 149,50" in body
    assert "Rue de la Loi 16" in body  # the delivery address
    assert sent_events(order_nl) == [("anne@example.org", "order_confirmation", None)]


def test_confirmation_is_sent_once(market, order_nl, mailoutbox):
    emails.send_order_confirmation(order_nl.pk)
    assert emails.send_order_confirmation(order_nl.pk) is False
    assert len(mailoutbox) == 1


def test_a_shop_is_told_only_about_its_own_lines(market, mailoutbox):
    order = make_order(market.channel, market.two_shop_parts(atlas=1), user=market.customer, language_code="en")
    books = vendor_order_of(order, market.books.vendor)
    emails.send_vendor_new_order(books.pk)
    emails.send_vendor_new_order(books.pk)  # a retried task

    [mail] = mailoutbox
    assert mail.to == ["livres@bouquinerie.example"]
    assert mail.subject == f"New order no. {order.number} for Bouquinerie du Centre"
    assert "1 × L'Écume des jours at €6.00: €6.00" in plain(mail.body)  # not HTML-escaped
    assert "1 × Atlas at €18.00" in plain(mail.body)
    assert "Vélo" not in plain(mail.body) and "Casque" not in plain(mail.body)
    assert "Customer: Anne Dupont (anne@example.org)" in plain(mail.body)
    assert "Delivery address:" in plain(mail.body)
    assert sent_events(order) == [("livres@bouquinerie.example", "vendor_new_order", books.pk)]


def test_a_pickup_shop_gets_no_delivery_address(market, mailoutbox):
    order = make_order(market.channel, market.two_shop_parts(), user=market.customer)
    emails.send_vendor_new_order(vendor_order_of(order, market.bikes.vendor).pk)
    [mail] = mailoutbox
    assert mail.to == ["atelier@velos.example"]
    assert "Le client viendra les chercher à : Vélos & Co – magasin" in plain(mail.body)
    assert "Adresse de livraison" not in plain(mail.body)
    assert "Écume" not in plain(mail.body)


def test_notify_order_placed_sends_the_confirmation_and_each_shops_notice(market, mailoutbox, committed):
    order = make_order(market.channel, market.two_shop_parts(), user=market.customer)
    with committed():
        services.notify_order_placed(order)
    assert sorted(mail.to[0] for mail in mailoutbox) == [
        "anne@example.org",
        "atelier@velos.example",
        "livres@bouquinerie.example",
    ]


def test_ready_for_pickup_gives_the_address_and_opening_hours(market, mailoutbox, committed):
    order = make_order(market.channel, market.two_shop_parts(), user=market.customer, language_code="fr")
    part = vendor_order_of(order, market.bikes.vendor)
    services.accept_vendor_order(part, market.bikes.staff)
    with committed():
        services.mark_ready_for_pickup(part, market.bikes.staff)

    [mail] = mailoutbox
    assert mail.subject == f"Votre commande n° {order.number} vous attend chez Vélos & Co"
    assert "Lieu de retrait : Vélos & Co – magasin" in plain(mail.body)
    assert all(row in plain(mail.body) for row in ("Rue Haute 12", "1000 Bruxelles", "Belgique"))
    assert "Lundi : fermé" in plain(mail.body)
    assert "Mardi : 10:00-18:00" in plain(mail.body)
    assert "Samedi : 09:00-13:00" in plain(mail.body)
    assert "1 × Vélo de ville" in plain(mail.body) and "1 × Casque" in plain(mail.body)
    assert "Écume" not in plain(mail.body)
    assert sent_events(order) == [("anne@example.org", "ready_for_pickup", part.pk)]


def test_shipping_gives_the_tracking_number(market, mailoutbox, committed):
    order = make_order(market.channel, market.two_shop_parts(atlas=2), user=market.customer, language_code="en")
    with committed():
        fulfillment = services.fulfil_lines(
            order, {line_of(order, market.atlas).pk: 2}, market.books.staff, "BPOST-0042"
        )
    [mail] = mailoutbox
    assert mail.subject == f"Bouquinerie du Centre has shipped your order no. {order.number}"
    assert "Tracking number: BPOST-0042" in plain(mail.body)
    assert "2 × Atlas" in plain(mail.body) and "Écume" not in plain(mail.body)

    with committed():
        services.update_tracking_number(fulfillment, market.books.staff, "BPOST-0043", notify_customer=True)
    assert mailoutbox[1].subject == f"New tracking number for your order no. {order.number}"
    assert "Tracking number: BPOST-0043" in plain(mailoutbox[1].body)
    assert [kind for _to, kind, _vo in sent_events(order)] == ["shipping_confirmation", "tracking_updated"]


def test_a_fulfilment_without_notification_sends_nothing(market, mailoutbox, committed):
    order = make_order(market.channel, market.two_shop_parts(), user=market.customer)
    with committed():
        services.fulfil_lines(order, {line_of(order, market.novel).pk: 1}, market.books.staff, notify_customer=False)
    assert mailoutbox == []


def test_refund_notice_names_the_cancelled_items_and_the_amount(market, mailoutbox, committed):
    order = make_order(market.channel, market.two_shop_parts(atlas=2), email="guest@example.org", language_code="fr")
    with committed():
        services.cancel_vendor_order(vendor_order_of(order, market.books.vendor), market.books.staff)

    [mail] = mailoutbox
    assert mail.to == ["guest@example.org"]
    assert mail.subject == f"Articles annulés dans votre commande n° {order.number}"
    assert "Bouquinerie du Centre ne peut pas vous fournir" in plain(mail.body)
    assert "1 × L'Écume des jours : 6,00 €" in plain(mail.body)
    assert "2 × Atlas : 36,00 €" in plain(mail.body)
    # Nothing was charged online: the shopper is told the amount is not due.
    assert "Ce montant (46,50 €) ne vous sera pas demandé." in plain(mail.body)
    assert "Vélo" not in plain(mail.body)
    assert sent_events(order) == [("guest@example.org", "order_refund", None)]


def test_refund_notice_of_a_paid_order_says_refunded(market, mailoutbox, committed):
    from .factories import pay

    order = make_order(market.channel, market.two_shop_parts(), user=market.customer, language_code="en")
    pay(order)
    with committed():
        services.cancel_lines(order, {line_of(order, market.helmet).pk: 1}, market.bikes.staff)
    [mail] = mailoutbox
    assert "We are refunding €25.00 to the payment method of your order." in plain(mail.body)


def test_unknown_language_falls_back_to_french(market, mailoutbox):
    order = make_order(market.channel, market.two_shop_parts(), user=market.customer, language_code="de")
    emails.send_order_confirmation(order.pk)
    assert mailoutbox[0].subject.startswith("Votre commande n°")


def test_a_shop_without_email_is_skipped_not_failed(market, mailoutbox):
    market.books.vendor.email = ""
    market.books.vendor.save()
    order = make_order(market.channel, market.two_shop_parts(), user=market.customer)
    assert emails.send_vendor_new_order(vendor_order_of(order, market.books.vendor).pk) is False
    assert mailoutbox == [] and sent_events(order) == []
