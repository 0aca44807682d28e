"""Model mixins shared by the domains (Saleor's core mixins)."""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Max, Q
from django.utils import timezone


class ModelWithMetadata(models.Model):
    metadata = models.JSONField(blank=True, default=dict)
    private_metadata = models.JSONField(blank=True, default=dict)

    class Meta:
        abstract = True
        indexes = [GinIndex(fields=["metadata"], name="%(class)s_meta_idx")]


class ModelWithExternalReference(models.Model):
    external_reference = models.CharField(max_length=250, unique=True, blank=True, null=True)

    class Meta:
        abstract = True


class PublishedQuerySet(models.QuerySet):
    def published(self):
        now = timezone.now()
        return self.filter(Q(published_at__lte=now) | Q(published_at__isnull=True), is_published=True)


class PublishableModel(models.Model):
    """Published means ``is_published`` and a publication date that is unset or past."""

    is_published = models.BooleanField(default=False)
    published_at = models.DateTimeField(blank=True, null=True)

    objects = PublishedQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_visible(self) -> bool:
        return self.is_published and (self.published_at is None or self.published_at <= timezone.now())


class SortableModel(models.Model):
    """A row that keeps its place among its siblings: new rows go last."""

    sort_order = models.IntegerField(editable=False, db_index=True, null=True)

    class Meta:
        abstract = True

    def get_ordering_queryset(self):
        raise NotImplementedError

    def save(self, *args, **kwargs):
        if self.pk is None and self.sort_order is None:
            current = self.get_ordering_queryset().aggregate(m=Max("sort_order"))["m"]
            self.sort_order = 0 if current is None else current + 1
        super().save(*args, **kwargs)


class SeoModel(models.Model):
    seo_title = models.CharField(max_length=70, blank=True, null=True)
    seo_description = models.CharField(max_length=300, blank=True, null=True)

    class Meta:
        abstract = True


class TranslationModel(models.Model):
    language_code = models.CharField(max_length=35)

    class Meta:
        abstract = True
