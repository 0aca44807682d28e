from saleor_ext.channel.models import Channel
from saleor_ext.vendor.services import vendor_create, vendor_update


def test_every_vendor_gets_its_own_channel(db):
    vendor = vendor_create(name="La Ressourcerie de Namur", slug="ressourcerie-namur", status="active")
    channel = Channel.objects.get(vendor=vendor)
    assert channel.slug == "shop-ressourcerie-namur"
    assert channel.name == "La Ressourcerie de Namur"
    assert channel.is_active is True


def test_suspending_a_vendor_deactivates_its_channel_without_duplicating_it(db):
    vendor = vendor_create(name="Vélo Liège", slug="velo-liege", status="active")
    vendor_update(vendor=vendor, status="suspended")
    assert Channel.objects.filter(vendor=vendor).count() == 1
    assert Channel.objects.get(vendor=vendor).is_active is False
