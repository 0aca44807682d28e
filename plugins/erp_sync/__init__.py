"""ERP sync: members' Odoo or CSV/XLSX files feed the catalogue; online sales go back to their Odoo.

README
------
- ``models.py``: ``ErpConnection`` (one per vendor: kind ``odoo_json2`` / ``odoo_xmlrpc`` / ``file``,
  credentials Fernet-encrypted, field mapping, "online" rule, interval, cursors), ``CategoryMapping``,
  ``ItemLink``, ``SyncRun`` + ``SyncRunIssue``, ``SalePushJob`` and ``ErpConflict``.
- ``connectors/``: ``base.py`` (the interface), ``file.py`` (CSV/XLSX; template and sample in
  ``templates/erp_import_template.{csv,xlsx}``), ``odoo_json2.py`` and ``odoo_xmlrpc.py``;
  ``connector_for(connection)`` builds the right one.
- ``sync/``: ``run_sync(connection, full=False)`` — ``engine.py`` (the run), ``lock.py`` (one run per
  member), ``batches.py`` (batches each in one transaction, the items cursor), ``items.py`` (the
  catalogue writes, archiving), ``images.py`` (photos), ``stock.py`` (stock reconciliation,
  conflicts), ``categories.py`` (the ERP's categories and their mapping), ``context.py``.
- ``services.py``: sale pushes and cancels (``queue_sale_pushes``, ``run_push_job``), conflict
  resolution (``resolve_conflict``), per-member health for the back-office.
- ``plugin.py``: ``order_created`` queues the pushes, ``order_lines_cancelled`` the cancels.
- ``tasks.py``: ``sync_vendor_task``, ``push_sale_task`` and the per-minute ``erp_sync_tick_task``.
- Commands: ``manage.py import_items FILE --vendor SLUG [--dry-run]`` and
  ``manage.py sync_vendor SLUG [--full]``.
- Settings: ``ERP_SECRET_KEY``, ``ERP_BATCH_SIZE``, ``ERP_CURSOR_OVERLAP_SECONDS``,
  ``ERP_FULL_RECONCILIATION_MINUTES``, ``ERP_DEFAULT_CATEGORY_SLUG``, ``ERP_IMAGE_TIMEOUT``.
"""
