"""What plugins add to the core's back-office pages, declared here instead of patched in.

The core's admin classes (``core/admin.py``'s mixins) read this registry when they build a
page, so a plugin adds a section or a read-only line to a core model's page without the core
knowing the plugin, and without touching the admin site's registry:

- ``register_inline(model, inline)``: an inline (a section of related rows) on the model's page;
  the admin places the plugins' inlines at its ``plugin_inlines_at`` (default: after its own).
- ``register_page_field(model, field)``: a read-only line at the end of the page's first
  section; ``field`` is a callable of the object (``None``-safe for the add page) decorated with
  ``@admin.display(description=...)`` for its label, e.g. a link to the plugin's own pages.

Plugins register from their admin module (imported by the admin's autodiscovery) or their
AppConfig's ``ready()``; registering the same thing twice has no effect.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.admin.options import InlineModelAdmin
from django.db.models import Model

PageField = Callable[[Model | None], str]

_inlines: dict[type[Model], list[type[InlineModelAdmin]]] = {}
_page_fields: dict[type[Model], list[PageField]] = {}


def register_inline(model: type[Model], inline: type[InlineModelAdmin]) -> None:
    """Show ``inline`` on ``model``'s back-office page."""
    registered = _inlines.setdefault(model, [])
    if inline not in registered:
        registered.append(inline)


def register_page_field(model: type[Model], field: PageField) -> None:
    """Show ``field(obj)`` read-only at the end of the first section of ``model``'s page."""
    registered = _page_fields.setdefault(model, [])
    if field not in registered:
        registered.append(field)


def inlines_for(model: type[Model]) -> list[type[InlineModelAdmin]]:
    return list(_inlines.get(model, ()))


def page_fields_for(model: type[Model]) -> list[PageField]:
    return list(_page_fields.get(model, ()))
