"""Thumbnails made on first request and kept, one per (image, size, format)."""

from __future__ import annotations

from django.db import models


class Thumbnail(models.Model):
    image = models.ImageField(upload_to="thumbnails")
    size = models.PositiveIntegerField()
    # "original", "webp" or "avif": what was asked for, even if AVIF had to fall back to WebP.
    format = models.CharField(max_length=32)
    product_media = models.ForeignKey(
        "product.ProductMedia", null=True, blank=True, on_delete=models.CASCADE, related_name="thumbnails"
    )
    category = models.ForeignKey(
        "product.Category", null=True, blank=True, on_delete=models.CASCADE, related_name="thumbnails"
    )
    collection = models.ForeignKey(
        "product.Collection", null=True, blank=True, on_delete=models.CASCADE, related_name="thumbnails"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["product_media", "size", "format"],
                condition=models.Q(product_media__isnull=False),
                name="thumbnail_unique_media_size_format",
            ),
            models.UniqueConstraint(
                fields=["category", "size", "format"],
                condition=models.Q(category__isnull=False),
                name="thumbnail_unique_category_size_format",
            ),
            models.UniqueConstraint(
                fields=["collection", "size", "format"],
                condition=models.Q(collection__isnull=False),
                name="thumbnail_unique_collection_size_format",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.image.name} ({self.size}, {self.format})"
