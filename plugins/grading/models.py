"""Condition grades for second-hand items, per category family (reference/grading.md)."""

from __future__ import annotations

from django.db import models


class SchemaOrgCondition:
    NEW = "NewCondition"
    USED = "UsedCondition"
    REFURBISHED = "RefurbishedCondition"
    DAMAGED = "DamagedCondition"
    CHOICES = [(NEW, NEW), (USED, USED), (REFURBISHED, REFURBISHED), (DAMAGED, DAMAGED)]


class GoogleCondition:
    NEW = "new"
    USED = "used"
    REFURBISHED = "refurbished"
    CHOICES = [(NEW, NEW), (USED, USED), (REFURBISHED, REFURBISHED)]


class GradingScheme(models.Model):
    """A family of categories (bikes, IT…) sharing one grade scale and checklist."""

    code = models.SlugField(max_length=64, unique=True)
    name_fr = models.CharField(max_length=128)
    name_nl = models.CharField(max_length=128)
    name_en = models.CharField(max_length=128)
    # Root categories whose whole subtree uses this scheme.
    categories = models.ManyToManyField("product.Category", blank=True, related_name="grading_schemes")
    checklist = models.JSONField(
        blank=True, default=list, help_text="Items a grader checks: [{code, label_fr, label_nl, label_en, type}]"
    )

    class Meta:
        ordering = ("code",)

    def __str__(self) -> str:
        return self.name_en


class Grade(models.Model):
    scheme = models.ForeignKey(GradingScheme, related_name="grades", on_delete=models.CASCADE)
    code = models.SlugField(max_length=64)
    # 1 is the best condition; sorting "best first" is ascending rank.
    rank = models.PositiveSmallIntegerField()
    label_fr = models.CharField(max_length=128)
    label_nl = models.CharField(max_length=128)
    label_en = models.CharField(max_length=128)
    description_fr = models.TextField(blank=True, default="")
    description_nl = models.TextField(blank=True, default="")
    description_en = models.TextField(blank=True, default="")
    schema_org_condition = models.CharField(max_length=32, choices=SchemaOrgCondition.CHOICES)
    google_condition = models.CharField(max_length=16, choices=GoogleCondition.CHOICES)
    ebay_condition_id = models.PositiveIntegerField(blank=True, null=True)

    class Meta:
        ordering = ("scheme", "rank")
        unique_together = [("scheme", "code"), ("scheme", "rank")]

    def __str__(self) -> str:
        return f"{self.scheme.code}:{self.code}"

    def label(self, language_code: str) -> str:
        lang = (language_code or "en")[:2].lower()
        return getattr(self, f"label_{lang}", None) or self.label_en


class VariantGrade(models.Model):
    """The grade given to one variant, with the grader's checklist answers."""

    variant = models.OneToOneField("product.ProductVariant", related_name="grading", on_delete=models.CASCADE)
    grade = models.ForeignKey(Grade, related_name="variant_grades", on_delete=models.PROTECT)
    notes = models.TextField(blank=True, default="")
    checklist = models.JSONField(blank=True, default=dict)
    graded_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["grade", "variant"])]
