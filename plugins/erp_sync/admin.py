"""The ERP sync in the back-office, every page scoped to the member's shop.

A member sets up its connection (only the fields its kind needs; the secret write-only), tests
it, loads its ERP categories with suggested marketplace categories, uploads a file or starts a
sync and follows the run's progress; it sees its health, retries pushes and resolves conflicts.
The buttons' work is done in ``backoffice.py``.
"""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.timesince import timesince
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from saleor_ext.core.admin import VendorScopedAdminMixin, VendorScopedInlineMixin, request_is_federation
from saleor_ext.core.backoffice import register_inline, register_page_field
from saleor_ext.order.models import VendorOrder
from saleor_ext.vendor.models import Vendor

from . import backoffice, services
from .connectors.base import ConnectorError
from .connectors.file import COLUMNS, REQUIRED, FileConnector
from .models import (
    CategoryMapping,
    ConflictResolution,
    ConnectionKind,
    ErpConflict,
    ErpConnection,
    ItemLink,
    SalePushJob,
    SyncRun,
    SyncRunIssue,
    SyncRunStatus,
)

ODOO_KINDS = (ConnectionKind.ODOO_JSON2, ConnectionKind.ODOO_XMLRPC)
# Which of the connection fields each kind uses; the page's script hides the others.
KIND_FIELDS = {
    ConnectionKind.ODOO_JSON2: ("url", "database", "secret", "secret_status", "key_expires_at", "pos_stock_mode"),
    ConnectionKind.ODOO_XMLRPC: ("url", "database", "login", "secret", "secret_status", "pos_stock_mode"),
    ConnectionKind.FILE: ("upload", "current_file"),
}


def may_manage_sync(request: HttpRequest) -> bool:
    """Buttons that act on the member's ERP: for whoever may change its connection."""
    return request_is_federation(request) or request.user.has_perm("erp_sync.change_erpconnection")


class CategoryMappingInline(VendorScopedInlineMixin, admin.TabularInline):
    model = CategoryMapping
    vendor_path = "connection__vendor"
    extra = 0
    fields = ("erp_ref", "erp_name", "category", "suggestion")
    readonly_fields = ("suggestion",)
    verbose_name_plural = _("Category mapping (ERP category → marketplace category; suggestions are preset "
                            "until you save)")

    @admin.display(description=_("status"))
    def suggestion(self, obj: CategoryMapping) -> str:
        if obj.pk is None:
            return ""
        if obj.suggested:
            return gettext("suggested: check it")
        return gettext("to map") if obj.category_id is None else gettext("confirmed")


class ErpConnectionForm(forms.ModelForm):
    # Write-only: the stored key or password is never sent back to the browser.
    secret = forms.CharField(
        label=_("API key or password"), required=False, widget=forms.PasswordInput(render_value=False),
        help_text=_("Odoo 19+: an API key of the user the marketplace logs in as; Odoo 16–18: its password. "
                    "Leave empty to keep the one already set."),
    )
    upload = forms.FileField(
        label=_("Import a file"), required=False,
        help_text=_("CSV or XLSX in the template's columns; saving imports it (the file replaces the "
                    "previous one, items it no longer lists are archived)."),
    )

    class Meta:
        model = ErpConnection
        fields = (
            "vendor", "kind", "url", "database", "login", "field_mapping", "online_rule", "online_value",
            "warehouse", "default_category", "interval_minutes", "enabled",
        )

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload is None:
            return None
        if Path(upload.name).suffix.lower() not in backoffice.UPLOAD_SUFFIXES:
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        try:
            rows = FileConnector(data=upload.read(), filename=upload.name).total_rows
        except ConnectorError as exc:
            raise forms.ValidationError(gettext("The file cannot be read: %(error)s") % {"error": exc}) from exc
        finally:
            upload.seek(0)
        if not rows:
            raise forms.ValidationError(_("The file has a header but no items."))
        return upload

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        has_secret = bool(data.get("secret")) or bool(self.instance.pk and self.instance.secret_set_at)
        if kind in ODOO_KINDS:
            if not data.get("url"):
                self.add_error("url", _("The Odoo server's address is required, e.g. https://myshop.odoo.com."))
            if not data.get("database"):
                self.add_error("database", _("The Odoo database's name is required."))
            if not has_secret:
                self.add_error("secret", _("Odoo 19+ needs an API key.") if kind == ConnectionKind.ODOO_JSON2
                               else _("Odoo 16–18 needs the user's password."))
        if kind == ConnectionKind.ODOO_XMLRPC and not data.get("login"):
            self.add_error("login", _("Odoo 16–18 needs the login of the user the marketplace logs in as."))
        if data.get("upload") and kind != ConnectionKind.FILE:
            self.add_error("upload", _("Files are imported for CSV/XLSX members only; choose that kind first."))
        if data.get("online_rule") in ("tag", "field") and not data.get("online_value"):
            self.add_error("online_value", _("Name the tag or the boolean field that puts an item online."))
        return data


def _health(obj: ErpConnection) -> dict:
    # One computation per row and request, shared by the list's columns.
    if not hasattr(obj, "_health"):
        obj._health = services.connection_health(obj)
    return obj._health


@admin.register(ErpConnection)
class ErpConnectionAdmin(VendorScopedAdminMixin, admin.ModelAdmin):
    form = ErpConnectionForm
    vendor_field = "vendor"
    change_form_template = "admin/erp_sync/erpconnection/change_form.html"
    list_display = ("vendor", "kind", "enabled", "last_success", "lag", "error_rate", "pending_pushes",
                    "failed_pushes", "open_conflicts", "warnings")
    list_select_related = ("vendor",)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        # The list's health columns for every row at once (the change page computes its own).
        if getattr(request, "resolver_match", None) and request.resolver_match.url_name.endswith("_changelist"):
            queryset = queryset.annotate(**services.health_annotations())
        return queryset
    readonly_fields = ("secret_status", "current_file", "key_expires_at", "pos_stock_mode", "items_cursor",
                       "stock_cursor", "last_full_reconciliation_at", "last_run_started_at", "last_success_at")
    inlines = [CategoryMappingInline]

    def get_fieldsets(self, request, obj=None):
        template_links = format_html(
            '{} <a href="{}">CSV</a> · <a href="{}">XLSX</a> ({}). {} <b>{}</b>; {} {}.',
            gettext("Template with sample rows:"),
            reverse("admin:erp_sync_erpconnection_import_template", args=["csv"]),
            reverse("admin:erp_sync_erpconnection_import_template", args=["xlsx"]),
            gettext("one line per item, header on line 1"),
            gettext("Required columns:"), ", ".join(REQUIRED),
            gettext("optional:"), ", ".join(c for c in COLUMNS if c not in REQUIRED),
        )
        fieldsets = [
            (None, {"fields": ["vendor", "kind", "enabled", "interval_minutes"]}),
            (_("Connection"), {
                "fields": ["url", "database", "login", "secret", "secret_status", "key_expires_at",
                           "pos_stock_mode", "upload", "current_file"],
                "description": format_html('<span class="erp-file-help">{}</span>', template_links),
            }),
            (_("What goes online"), {"fields": ["online_rule", "online_value", "field_mapping", "warehouse",
                                                "default_category"]}),
            (_("Sync state"), {"classes": ["collapse"], "fields": [
                "items_cursor", "stock_cursor", "last_full_reconciliation_at", "last_run_started_at",
                "last_success_at"]}),
        ]
        vendor_id = self.single_vendor_id(request)
        if vendor_id is not None:
            fieldsets[0] = (None, {"fields": ["kind", "enabled", "interval_minutes"]})
        return fieldsets

    @admin.display(description=_("file"))
    def current_file(self, obj: ErpConnection) -> str:
        # The name only: the server's folders are none of the browser's business.
        return Path(obj.file_path).name if obj.file_path else gettext("none uploaded yet")

    # -- health columns ------------------------------------------------------------------------
    @admin.display(description=_("last successful sync"), ordering="last_success_at")
    def last_success(self, obj):
        return obj.last_success_at or gettext("never")

    @admin.display(description=_("lag"))
    def lag(self, obj):
        return timesince(obj.last_success_at) if obj.last_success_at else "—"

    @admin.display(description=_("error rate"))
    def error_rate(self, obj):
        return f"{_health(obj)['error_rate']:.0%}"

    @admin.display(description=_("pending pushes"))
    def pending_pushes(self, obj):
        return _health(obj)["pending_pushes"]

    @admin.display(description=_("failed pushes"))
    def failed_pushes(self, obj):
        return _health(obj)["failed_pushes"]

    @admin.display(description=_("open conflicts"))
    def open_conflicts(self, obj):
        return _health(obj)["open_conflicts"]

    @admin.display(description=_("warnings"))
    def warnings(self, obj):
        return format_html_join(" ", "<span class=\"erp-warning\">⚠ {}</span>",
                                ((w,) for w in _health(obj)["warnings"])) or "—"

    # -- the page ------------------------------------------------------------------------------
    def add_view(self, request, form_url="", extra_context=None):
        vendor_id = self.single_vendor_id(request)
        existing = ErpConnection.objects.filter(vendor_id=vendor_id).first() if vendor_id else None
        if existing is not None:
            # One connection per member: its page, rather than a form that cannot be saved.
            return HttpResponseRedirect(reverse("admin:erp_sync_erpconnection_change", args=[existing.pk]))
        return super().add_view(request, form_url, {**(extra_context or {}), "erp_kind_fields": KIND_FIELDS})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {**(extra_context or {}), "erp_kind_fields": KIND_FIELDS}
        obj = self.get_object(request, unquote(object_id))
        health = services.connection_health(obj)
        if request.method == "GET":
            for warning in health["warnings"]:
                messages.warning(request, warning)
        extra.update(
            erp_health=health,
            erp_last_run=obj.runs.order_by("-started_at", "-pk").first(),
            erp_may_act=self.has_change_permission(request, obj) and may_manage_sync(request),
            erp_first_import=obj.last_success_at is None,
            erp_is_file=obj.kind == ConnectionKind.FILE,
        )
        return super().change_view(request, object_id, form_url, extra)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is CategoryMapping:
            # Saving the page with the mapping in view confirms the suggestions it showed.
            CategoryMapping.objects.filter(connection=form.instance, suggested=True).update(suggested=False)

    def save_model(self, request, obj, form, change):
        if form.cleaned_data.get("secret"):
            obj.set_secret(form.cleaned_data["secret"])
        super().save_model(request, obj, form, change)
        upload = form.cleaned_data.get("upload")
        if upload is not None:
            backoffice.store_uploaded_file(obj, upload)
            request._erp_import_after_save = True

    def response_add(self, request, obj, post_url_continue=None):
        if getattr(request, "_erp_import_after_save", False):
            return self._start_sync(request, obj, full=True)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if getattr(request, "_erp_import_after_save", False):
            return self._start_sync(request, obj, full=True)
        return super().response_change(request, obj)

    # -- buttons -------------------------------------------------------------------------------
    def get_urls(self):
        wrap = self.admin_site.admin_view
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path("<path:object_id>/test-connection/", wrap(self.test_connection_view), name=f"{name}_test"),
            path("<path:object_id>/load-categories/", wrap(self.load_categories_view), name=f"{name}_categories"),
            path("<path:object_id>/sync/", wrap(self.sync_view), name=f"{name}_sync"),
            path("import-template.<str:extension>", wrap(self.import_template_view),
                 name=f"{name}_import_template"),
            *super().get_urls(),
        ]

    def _target(self, request: HttpRequest, object_id: str) -> ErpConnection:
        """The connection a button acts on: another member's answers 404 like a missing one."""
        obj = self.get_object(request, unquote(object_id))
        if not (self.has_change_permission(request, obj) and may_manage_sync(request)):
            raise PermissionDenied
        return obj

    def _back(self, obj: ErpConnection) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:erp_sync_erpconnection_change", args=[obj.pk]))

    def test_connection_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self._target(request, object_id)
        try:
            report = backoffice.check_connection(obj)
        except ConnectorError as exc:
            messages.error(request, gettext("Test connection failed: %(error)s") % {"error": exc})
            return self._back(obj)
        details = [report.message or gettext("Connection OK.")]
        if report.server_version:
            details.append(gettext("Server version: %(version)s.") % {"version": report.server_version})
        if report.user_name:
            details.append(gettext("Logged in as: %(user)s.") % {"user": report.user_name})
        messages.success(request, " ".join(details))
        for warning in report.warnings:
            messages.warning(request, warning)
        return self._back(obj)

    def load_categories_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self._target(request, object_id)
        try:
            new, suggested = backoffice.load_categories(obj)
        except ConnectorError as exc:
            messages.error(request, gettext("The categories could not be loaded: %(error)s") % {"error": exc})
            return self._back(obj)
        messages.success(request, gettext(
            "%(new)s new ERP categories, %(suggested)s of them with a suggested marketplace category: check the "
            "mapping below and save.") % {"new": new, "suggested": suggested})
        return self._back(obj)

    def sync_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self._target(request, object_id)
        if obj.kind == ConnectionKind.FILE and not obj.file_path:
            messages.error(request, gettext("Upload a file first."))
            return self._back(obj)
        return self._start_sync(request, obj, full=bool(request.POST.get("full")))

    def _start_sync(self, request: HttpRequest, obj: ErpConnection, *, full: bool) -> HttpResponse:
        started = backoffice.start_sync(obj, full=full)
        if not started.started:
            messages.warning(request, gettext("A sync is already running for this shop: wait until it has finished."))
            return self._back(obj)
        if started.run_id is None:
            messages.info(request, gettext("The sync has started; its run appears in this list in a moment."))
            return HttpResponseRedirect(reverse("admin:erp_sync_syncrun_changelist"))
        return HttpResponseRedirect(reverse("admin:erp_sync_syncrun_change", args=[started.run_id]))

    def import_template_view(self, request: HttpRequest, extension: str) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            template = backoffice.template_path(extension)
        except ValueError:
            raise Http404("No such template.") from None
        return FileResponse(template.open("rb"), as_attachment=True, filename=template.name)


class SyncRunIssueInline(VendorScopedInlineMixin, admin.TabularInline):
    model = SyncRunIssue
    vendor_path = "run__connection__vendor"
    extra = 0
    can_delete = False
    fields = ("row_number", "item_ref", "reason", "rejected")
    readonly_fields = fields
    verbose_name_plural = _("Rejected lines and warnings")

    def has_add_permission(self, request, obj=None):
        return False


class _ReadOnly:
    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SyncRun)
class SyncRunAdmin(_ReadOnly, VendorScopedAdminMixin, admin.ModelAdmin):
    vendor_path = "connection__vendor"
    change_form_template = "admin/erp_sync/syncrun/change_form.html"
    list_display = ("connection", "kind", "status", "started_at", "progress", "created", "updated", "archived",
                    "rejected", "duration_seconds")
    list_filter = ("status", "kind")
    fields = ("connection", "kind", "status", "progress", "started_at", "finished_at", "duration_seconds",
              "seen", "created", "updated", "archived", "rejected", "stock_updated", "conflicts", "error")
    readonly_fields = ("progress",)
    inlines = [SyncRunIssueInline]

    @admin.display(description=_("progress"))
    def progress(self, obj: SyncRun) -> str:
        if obj.total is None:
            return gettext("%(seen)s items so far") % {"seen": obj.seen}
        return gettext("%(seen)s of %(total)s items") % {"seen": obj.seen, "total": obj.total}

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra = {**(extra_context or {}), "erp_running": obj.status == SyncRunStatus.RUNNING,
                 "erp_run": obj, "erp_percent": round(100 * obj.seen / obj.total) if obj.total else None}
        return super().change_view(request, object_id, form_url, extra)


@admin.register(ItemLink)
class ItemLinkAdmin(_ReadOnly, VendorScopedAdminMixin, admin.ModelAdmin):
    vendor_path = "connection__vendor"
    list_display = ("erp_ref", "product", "connection", "last_seen_at", "archived")
    search_fields = ("erp_ref",)


class _ManagesSync:
    def has_manage_sync_permission(self, request: HttpRequest) -> bool:
        return may_manage_sync(request)


@admin.register(SalePushJob)
class SalePushJobAdmin(_ManagesSync, _ReadOnly, VendorScopedAdminMixin, admin.ModelAdmin):
    vendor_path = "connection__vendor"
    list_display = ("reference", "action", "status", "attempts", "next_attempt_at", "external_ref", "last_error")
    list_filter = ("status", "action")
    actions = ["retry_now"]

    @admin.action(description=_("Retry now (pending or failed)"), permissions=["manage_sync"])
    def retry_now(self, request, queryset):
        outcome = backoffice.retry_push_jobs(queryset.select_related("connection"))
        summary = gettext("%(done)s recorded in the ERP, %(pending)s still pending, %(failed)s failed.") % {
            "done": outcome.done, "pending": outcome.pending, "failed": outcome.failed}
        level = messages.SUCCESS if not (outcome.pending or outcome.failed) else messages.WARNING
        self.message_user(request, summary, level)
        for error in outcome.errors:
            self.message_user(request, error, messages.ERROR)


@admin.register(ErpConflict)
class ErpConflictAdmin(_ManagesSync, _ReadOnly, VendorScopedAdminMixin, admin.ModelAdmin):
    vendor_path = "vendor_order__vendor"
    list_display = ("order_number", "item", "reason", "status")
    list_select_related = ("vendor_order__order", "line")
    actions = ["cancel_and_refund", "replace_item"]

    @admin.display(description=_("order"), ordering="vendor_order__order__number")
    def order_number(self, obj: ErpConflict):
        return obj.vendor_order.order.number

    @admin.display(description=_("item"))
    def item(self, obj: ErpConflict) -> str:
        line = obj.line
        return f"{line.product_name} ({line.product_sku})" if line.product_sku else line.product_name

    @admin.display(description=_("status"), ordering="resolved_at")
    def status(self, obj: ErpConflict) -> str:
        return obj.get_resolution_display() if obj.resolved_at else gettext("open")

    def _resolve(self, request, queryset, resolution: str) -> None:
        resolved = backoffice.resolve_conflicts(queryset.select_related("line"), resolution=resolution,
                                                user=request.user)
        label = dict(ConflictResolution.CHOICES)[resolution]
        self.message_user(request, gettext("%(count)s conflicts resolved: %(how)s.") % {
            "count": resolved, "how": label.lower()}, messages.SUCCESS if resolved else messages.WARNING)

    @admin.action(description=_("Cancel and refund"), permissions=["manage_sync"])
    def cancel_and_refund(self, request, queryset):
        self._resolve(request, queryset, ConflictResolution.CANCELLED)

    @admin.action(description=_("Replace with an equivalent item"), permissions=["manage_sync"])
    def replace_item(self, request, queryset):
        self._resolve(request, queryset, ConflictResolution.REPLACED)


class VendorOrderErpConflictInline(VendorScopedInlineMixin, admin.TabularInline):
    """The conflicts of a vendor order on its own page, where the vendor looks first."""

    model = ErpConflict
    vendor_path = "vendor_order__vendor"
    extra = 0
    can_delete = False
    fields = ("line", "reason", "created_at", "resolution", "resolved_at")
    readonly_fields = fields
    verbose_name_plural = _("ERP conflicts: sold in the shop too (resolve them in ERP sync › conflicts)")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


register_inline(VendorOrder, VendorOrderErpConflictInline)


@admin.display(description=_("ERP sync"))
def erp_sync(vendor: Vendor | None) -> str:
    """On the vendor page: a link to the shop's ERP sync, or to set one up."""
    if vendor is None or vendor.pk is None:
        return "—"
    connection = ErpConnection.objects.filter(vendor=vendor).only("pk").first()
    if connection is not None:
        return format_html('<a href="{}">{}</a>', reverse("admin:erp_sync_erpconnection_change", args=[connection.pk]),
                           gettext("Open its ERP sync"))
    return format_html('<a href="{}?vendor={}">{}</a>', reverse("admin:erp_sync_erpconnection_add"), vendor.pk,
                       gettext("Set up an ERP sync"))


register_page_field(Vendor, erp_sync)
