"""Shop locations and their stock (Saleor's warehouse domain)."""

from __future__ import annotations

import uuid

from django.db import models

from saleor_ext.core.models import ModelWithExternalReference, ModelWithMetadata, SortableModel


class WarehouseClickAndCollectOption:
    DISABLED = "disabled"
    LOCAL_STOCK = "local"
    ALL_WAREHOUSES = "all"
    CHOICES = [(DISABLED, "Disabled"), (LOCAL_STOCK, "Local stock only"), (ALL_WAREHOUSES, "All warehouses")]


class Warehouse(ModelWithMetadata, ModelWithExternalReference):
    id = models.UUIDField(default=uuid.uuid4, primary_key=True)
    vendor = models.ForeignKey("vendor.Vendor", related_name="warehouses", on_delete=models.CASCADE)
    name = models.CharField(max_length=250)
    slug = models.SlugField(max_length=255, unique=True, allow_unicode=True)
    channels = models.ManyToManyField("channel.Channel", related_name="warehouses", through="ChannelWarehouse")
    address = models.ForeignKey("account.Address", on_delete=models.PROTECT)
    email = models.EmailField(blank=True, default="")
    is_private = models.BooleanField(default=True)
    click_and_collect_option = models.CharField(
        max_length=30,
        choices=WarehouseClickAndCollectOption.CHOICES,
        default=WarehouseClickAndCollectOption.DISABLED,
    )

    class Meta:
        ordering = ("-slug",)

    def __str__(self) -> str:
        return self.name


class ChannelWarehouse(SortableModel):
    channel = models.ForeignKey("channel.Channel", related_name="channelwarehouse", on_delete=models.CASCADE)
    warehouse = models.ForeignKey(Warehouse, related_name="channelwarehouse", on_delete=models.CASCADE)

    class Meta:
        unique_together = [("channel", "warehouse")]
        ordering = ("sort_order", "pk")

    def get_ordering_queryset(self):
        return self.channel.channelwarehouse.all()


class Stock(models.Model):
    # Indexed through unique_together (warehouse, product_variant).
    warehouse = models.ForeignKey(Warehouse, related_name="stock", on_delete=models.CASCADE, db_index=False)
    product_variant = models.ForeignKey("product.ProductVariant", related_name="stocks", on_delete=models.CASCADE)
    quantity = models.IntegerField(default=0)
    # Denormalised counter of allocations to unfulfilled orders (issue 3 adds Allocation rows).
    quantity_allocated = models.IntegerField(default=0)

    class Meta:
        unique_together = [("warehouse", "product_variant")]
        ordering = ("pk",)

    def __str__(self) -> str:
        return f"{self.product_variant} @ {self.warehouse}: {self.quantity}"


class Reservation(models.Model):
    """Stock held for a checkout line while its payment runs; ignored once ``reserved_until`` passes."""

    checkout_line = models.ForeignKey("checkout.CheckoutLine", related_name="reservations", on_delete=models.CASCADE)
    stock = models.ForeignKey(Stock, related_name="reservations", on_delete=models.CASCADE)
    quantity_reserved = models.PositiveIntegerField(default=0)
    reserved_until = models.DateTimeField()

    class Meta:
        unique_together = [("checkout_line", "stock")]
        indexes = [models.Index(fields=["checkout_line", "reserved_until"]), models.Index(fields=["reserved_until"])]
        ordering = ("pk",)


class Allocation(models.Model):
    """Stock promised to an order line until it is fulfilled or cancelled."""

    order_line = models.ForeignKey("order.OrderLine", related_name="allocations", on_delete=models.CASCADE)
    stock = models.ForeignKey(Stock, related_name="allocations", on_delete=models.CASCADE)
    quantity_allocated = models.PositiveIntegerField(default=0)

    class Meta:
        unique_together = [("order_line", "stock")]
        ordering = ("pk",)
