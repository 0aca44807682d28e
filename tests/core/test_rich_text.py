"""Plain text to Saleor's Editor.js JSON and back: escaped on the way in, the same text out."""

from __future__ import annotations

from saleor_ext.core.rich_text import editorjs_from_text, text_from_editorjs

TEXT = "Vélo <script>alert(1)</script> & casque\nselle \"neuve\"\r\n\r\nRévisé: freins & pneus"


def test_text_is_stored_as_escaped_paragraphs():
    description = editorjs_from_text(TEXT)

    assert [block["type"] for block in description["blocks"]] == ["paragraph", "paragraph"]
    assert [block["data"]["text"] for block in description["blocks"]] == [
        'Vélo &lt;script&gt;alert(1)&lt;/script&gt; &amp; casque<br>selle "neuve"',
        "Révisé: freins &amp; pneus",
    ]


def test_the_plain_text_round_trips():
    assert text_from_editorjs(editorjs_from_text(TEXT)) == TEXT.replace("\r\n", "\n")


def test_no_text_is_no_description():
    assert editorjs_from_text("") is None
    assert editorjs_from_text(" \n\n ") is None
    assert text_from_editorjs(None) == ""


def test_markup_written_by_an_editor_reads_as_its_text():
    description = {"blocks": [{"type": "paragraph", "data": {"text": "<b>Cadre</b> acier<br>&amp; alu"}}]}

    assert text_from_editorjs(description) == "Cadre acier\n& alu"
