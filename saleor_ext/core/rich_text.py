"""Saleor's rich text (Editor.js JSON) from and to plain text: the one rule for every writer.

Descriptions are stored as Editor.js blocks, whose paragraph text is HTML that the storefront
and the dashboard render. Plain text from any source (the back-office, a member's ERP or file,
the configuration) is therefore escaped on the way in: a ``<script>`` typed by a vendor is shown,
never run. Only ``&``, ``<`` and ``>`` are escaped, as Editor.js itself stores a paragraph's
text (quotes stay as typed, which keeps the search index's words whole). Blank lines separate
paragraphs; a single line break stays one (``<br>``).
"""

from __future__ import annotations

from html import escape, unescape
from typing import Any

from django.utils.html import strip_tags

EDITORJS_VERSION = "2.24.3"


def editorjs_from_text(text: str) -> dict[str, Any] | None:
    """Plain text as Editor.js paragraphs, escaped; ``None`` when there is no text."""
    paragraphs = [p.strip() for p in (text or "").replace("\r\n", "\n").split("\n\n") if p.strip()]
    if not paragraphs:
        return None
    blocks = [{"type": "paragraph", "data": {"text": escape(p, quote=False).replace("\n", "<br>")}} for p in paragraphs]
    return {"blocks": blocks, "version": EDITORJS_VERSION}


def text_from_editorjs(description: dict[str, Any] | None) -> str:
    """The text a reader sees in Editor.js blocks: tags dropped, entities decoded, paragraphs
    separated by a blank line (the inverse of ``editorjs_from_text``)."""
    blocks = (description or {}).get("blocks") or []
    texts = [strip_tags(str(block.get("data", {}).get("text", "")).replace("<br>", "\n")) for block in blocks]
    return "\n\n".join(unescape(t) for t in texts if t)
