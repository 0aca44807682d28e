"""What the ERP sync keeps: a member's connection, its category mapping, the link of each ERP
item to its marketplace product, every run with its issues, the sales to push back, and the
conflicts (sold in the shop and online) the vendor has to resolve."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from .crypto import decrypt, encrypt


class ConnectionKind:
    ODOO_JSON2 = "odoo_json2"
    ODOO_XMLRPC = "odoo_xmlrpc"
    FILE = "file"
    CHOICES = [(ODOO_JSON2, "Odoo 19+ (JSON-2, API key)"), (ODOO_XMLRPC, "Odoo 16–18 (XML-RPC)"),
               (FILE, "CSV/XLSX file")]


class OnlineRule:
    TAG = "tag"
    FIELD = "field"
    ALL = "all"
    CHOICES = [(TAG, "Products with a tag"), (FIELD, "Products with a boolean field set"),
               (ALL, "All sellable products with stock")]


def default_field_mapping() -> dict:
    """Which ERP fields hold what Odoo has no field of its own for (custom ``x_`` fields)."""
    return {"grade": "x_grade", "condition_notes": "x_condition_notes"}


class ErpConnection(models.Model):
    vendor = models.OneToOneField("vendor.Vendor", related_name="erp_connection", on_delete=models.CASCADE)
    kind = models.CharField(max_length=20, choices=ConnectionKind.CHOICES)
    url = models.URLField(blank=True)
    database = models.CharField(max_length=128, blank=True)
    login = models.CharField(max_length=128, blank=True)
    # Fernet token of the API key or password; read through ``secret``, never shown back.
    secret_encrypted = models.TextField(blank=True, default="")
    secret_set_at = models.DateTimeField(null=True, blank=True)
    key_expires_at = models.DateTimeField(null=True, blank=True)
    pos_stock_mode = models.CharField(max_length=16, blank=True, help_text='"real" or "closing" (Odoo PoS)')
    file_path = models.CharField(max_length=500, blank=True, help_text="File members: the file a scheduled run reads")
    field_mapping = models.JSONField(default=default_field_mapping, blank=True)
    online_rule = models.CharField(max_length=8, choices=OnlineRule.CHOICES, default=OnlineRule.ALL)
    online_value = models.CharField(max_length=128, blank=True, help_text="The tag's name or the boolean field")
    warehouse = models.ForeignKey(
        "warehouse.Warehouse", null=True, blank=True, on_delete=models.SET_NULL,
        help_text="Where the ERP's stock is kept; the vendor's first warehouse when empty",
    )
    default_category = models.ForeignKey(
        "product.Category", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="For items whose ERP category is not mapped yet",
    )
    interval_minutes = models.PositiveIntegerField(default=5)
    enabled = models.BooleanField(default=True)
    # Cursors move only in the transaction that commits a batch (items) or the stock levels.
    items_cursor = models.DateTimeField(null=True, blank=True)
    stock_cursor = models.DateTimeField(null=True, blank=True)
    last_full_reconciliation_at = models.DateTimeField(null=True, blank=True)
    last_run_started_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("pk",)

    def __str__(self) -> str:
        return f"{self.vendor} ({self.get_kind_display()})"

    @property
    def secret(self) -> str:
        return decrypt(self.secret_encrypted)

    def set_secret(self, plain: str) -> None:
        self.secret_encrypted = encrypt(plain)
        self.secret_set_at = timezone.now() if plain else None

    @property
    def secret_status(self) -> str:
        """What the back-office shows instead of the secret."""
        return f"set on {self.secret_set_at:%Y-%m-%d}" if self.secret_set_at else "not set"

    def mapping(self) -> dict:
        return {**default_field_mapping(), **(self.field_mapping or {}),
                "online_rule": self.online_rule, "online_value": self.online_value}


class CategoryMapping(models.Model):
    connection = models.ForeignKey(ErpConnection, related_name="category_mappings", on_delete=models.CASCADE)
    erp_ref = models.CharField(max_length=128)
    erp_name = models.CharField(max_length=500, blank=True)
    category = models.ForeignKey("product.Category", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    # The category was guessed from the names and the vendor has not saved the mapping since.
    suggested = models.BooleanField(default=False)

    class Meta:
        unique_together = [("connection", "erp_ref")]
        ordering = ("erp_name", "pk")

    def __str__(self) -> str:
        return f"{self.erp_name} -> {self.category or '?'}"


class ItemLink(models.Model):
    """One ERP item and the marketplace product (and default variant) it feeds."""

    # Indexed through unique_together (connection, erp_ref).
    connection = models.ForeignKey(ErpConnection, related_name="item_links", on_delete=models.CASCADE,
                                   db_index=False)
    erp_ref = models.CharField(max_length=128)
    product = models.ForeignKey("product.Product", related_name="erp_links", on_delete=models.CASCADE)
    variant = models.ForeignKey("product.ProductVariant", related_name="erp_links", on_delete=models.CASCADE)
    # [[sha256, media id], ...] in the ERP's order: an unchanged photo is neither fetched twice nor stored twice.
    image_hashes = models.JSONField(default=list, blank=True)
    # Hash of the item's last applied content: items sent again (overlap window) cost no write.
    fingerprint = models.CharField(max_length=64, blank=True)
    last_seen_at = models.DateTimeField(default=timezone.now)
    archived = models.BooleanField(default=False)

    class Meta:
        unique_together = [("connection", "erp_ref")]
        ordering = ("pk",)


class SyncRunKind:
    INCREMENTAL = "incremental"
    FULL = "full"
    FILE = "file"
    CHOICES = [(INCREMENTAL, "Incremental"), (FULL, "Full"), (FILE, "File")]


class SyncRunStatus:
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CHOICES = [(RUNNING, "Running"), (SUCCEEDED, "Succeeded"), (FAILED, "Failed")]


class SyncRun(models.Model):
    connection = models.ForeignKey(ErpConnection, related_name="runs", on_delete=models.CASCADE)
    kind = models.CharField(max_length=16, choices=SyncRunKind.CHOICES)
    status = models.CharField(max_length=16, choices=SyncRunStatus.CHOICES, default=SyncRunStatus.RUNNING)
    started_at = models.DateTimeField(default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_seconds = models.FloatField(null=True, blank=True)
    # Items the run will go through, when the source tells beforehand: seen/total is the progress.
    total = models.PositiveIntegerField(null=True, blank=True)
    seen = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    archived = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    stock_updated = models.PositiveIntegerField(default=0)
    conflicts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True, default="")

    class Meta:
        ordering = ("-started_at", "-pk")

    def __str__(self) -> str:
        return f"{self.connection} {self.kind} {self.started_at:%Y-%m-%d %H:%M} {self.status}"


class SyncRunIssue(models.Model):
    run = models.ForeignKey(SyncRun, related_name="issues", on_delete=models.CASCADE)
    item_ref = models.CharField(max_length=128, blank=True)
    row_number = models.PositiveIntegerField(null=True, blank=True)
    reason = models.TextField()
    # A rejected item was not imported; a warning was imported with a default (category, grade, photo).
    rejected = models.BooleanField(default=True)

    class Meta:
        ordering = ("pk",)


class SalePushAction:
    PUSH = "push"
    UPDATE = "update"  # lines cancelled online: the recorded sale's quantities go down to match
    CANCEL = "cancel"
    CHOICES = [(PUSH, "Record the sale"), (UPDATE, "Lower the sale's quantities"), (CANCEL, "Cancel the sale")]


class SalePushStatus:
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"  # refused for good (credentials, rights): the vendor must act, then retry
    CANCELLED = "cancelled"  # the sale was cancelled before it ever reached the ERP
    CHOICES = [(PENDING, "Pending"), (DONE, "Done"), (FAILED, "Failed"), (CANCELLED, "Cancelled")]


class SalePushJob(models.Model):
    vendor_order = models.ForeignKey("order.VendorOrder", related_name="erp_push_jobs", on_delete=models.CASCADE)
    connection = models.ForeignKey(ErpConnection, related_name="push_jobs", on_delete=models.CASCADE)
    action = models.CharField(max_length=8, choices=SalePushAction.CHOICES, default=SalePushAction.PUSH)
    reference = models.CharField(max_length=64, help_text="Idempotency key in the ERP (client_order_ref)")
    status = models.CharField(max_length=16, choices=SalePushStatus.CHOICES, default=SalePushStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True, default="")
    external_ref = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("pk",)
        constraints = [models.UniqueConstraint(fields=["vendor_order", "action"], name="one_erp_push_per_action")]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.action} {self.reference}: {self.status}"


class ConflictResolution:
    CANCELLED = "cancelled"
    REPLACED = "replaced"
    CHOICES = [(CANCELLED, "Cancelled and refunded"), (REPLACED, "Replaced by an equivalent item")]


class ErpConflict(models.Model):
    """An online order line the ERP no longer has stock for (sold in the shop too)."""

    vendor_order = models.ForeignKey("order.VendorOrder", related_name="erp_conflicts", on_delete=models.CASCADE)
    line = models.ForeignKey("order.OrderLine", related_name="erp_conflicts", on_delete=models.CASCADE)
    reason = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=16, choices=ConflictResolution.CHOICES, blank=True)

    class Meta:
        ordering = ("-created_at", "pk")
        constraints = [
            models.UniqueConstraint(fields=["line"], condition=models.Q(resolved_at__isnull=True),
                                    name="one_open_erp_conflict_per_line")
        ]
