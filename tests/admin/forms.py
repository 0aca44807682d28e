"""Turn an admin add/change page into the POST data its browser form would send."""

from __future__ import annotations

from django import forms


def _field_data(form: forms.BaseForm) -> dict[str, object]:
    data: dict[str, object] = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        if isinstance(field, forms.FileField):
            continue  # a browser sends no file when none is chosen
        value = form[name].value()
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            if widget.check_test(value):
                data[key] = "on"
        elif isinstance(widget, forms.MultiWidget):
            parts = value if isinstance(value, list | tuple) else widget.decompress(value)
            for suffix, part in zip(widget.widgets_names, parts, strict=False):
                data[f"{key}{suffix}"] = "" if part is None else part
        elif isinstance(value, list | tuple):
            data[key] = [str(v) for v in value]
        else:
            data[key] = "" if value is None else value
    return data


def page_form_data(response) -> dict[str, object]:
    """The main form and every inline formset, as rendered (unchanged values)."""
    data = _field_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_field_data(formset.management_form))
        for form in formset.forms:
            data.update(_field_data(form))
    return data


def add_inline_row(data: dict[str, object], prefix: str, **values: object) -> None:
    """Append one new row to the inline formset ``prefix``."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    for name, value in values.items():
        data[f"{prefix}-{index}-{name}"] = value
