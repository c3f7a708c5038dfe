"""`{% field form.name %}`: a form field in Bootstrap 5's markup, written in Python.

The same markup crispy-forms gives a select, a text or a date input (label, control, errors,
help text, the required mark), without rendering four nested templates per field: on the pages
opened all day (the dashboard's filters, a concern's status form) crispy's templates were a
tenth of the page's time. Any other widget falls back to crispy.
"""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.forms.boundfield import BoundField
from django.forms.widgets import Input
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

REQUIRED_MARK = mark_safe(' <span class="required-mark" aria-hidden="true">(required)</span>')


def _attrs(attrs: dict) -> SafeString:
    return format_html_join(
        "",
        ' {}="{}"',
        ((k, v) for k, v in attrs.items() if v is not None and v is not False and v is not True),
    ) + mark_safe("".join(f" {k}" for k, v in attrs.items() if v is True))  # noqa: S308


def _options(field: BoundField) -> SafeString:
    value = field.value()
    chosen = {str(v) for v in value} if isinstance(value, list | tuple) else {str(value or "")}
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (key, mark_safe(" selected") if str(key) in chosen else "", label)
            for key, label in field.field.choices
        ),
    )


@register.simple_tag
def field(bound: BoundField) -> SafeString:
    widget = bound.field.widget
    is_select = type(widget) is forms.Select
    is_input = isinstance(widget, Input) and widget.input_type in {
        "text",
        "date",
        "datetime-local",
        "email",
        "number",
        "search",
        "tel",
        "url",
    }
    if not (is_select or is_input):
        return as_crispy_field(bound)
    errors = bound.errors
    base = "select form-select" if is_select else f"{widget.input_type}input form-control"
    extra = widget.attrs.get("class", "")
    # What Django's own rendering would add: required (where the widget may say so), disabled.
    own = bound.build_widget_attrs({}, widget)
    attrs = {
        **{k: v for k, v in widget.attrs.items() if k != "class"},
        "name": bound.html_name,
        "class": f"{base}{' ' + extra if extra else ''}{' is-invalid' if errors else ''}",
        **own,
        "aria-invalid": "true" if errors else None,
        "aria-describedby": f"{bound.auto_id}_error" if errors else None,
        "id": bound.auto_id,
    }
    if is_input:
        attrs = {"type": widget.input_type, **attrs}
        value = widget.format_value(bound.value())
        if value not in (None, ""):
            attrs["value"] = value
        control = format_html("<input{}>", _attrs(attrs))
    else:
        control = format_html("<select{}>{}</select>", _attrs(attrs), _options(bound))
    label = format_html(
        '<label for="{}" class="form-label{}">{}{}</label>',
        bound.auto_id,
        " requiredField" if bound.field.required else "",
        bound.label,
        REQUIRED_MARK if bound.field.required else "",
    )
    feedback = (
        format_html(
            '<div id="{}_error" class="invalid-feedback">{}</div>',
            bound.auto_id,
            format_html_join(
                "",
                '<p id="error_{}_{}"><strong>{}</strong></p>',
                ((i, bound.auto_id, e) for i, e in enumerate(errors, 1)),
            ),
        )
        if errors
        else ""
    )
    help_text = (
        format_html(
            '<div id="{}_helptext" class="form-text">{}</div>', bound.auto_id, bound.help_text
        )
        if bound.help_text
        else ""
    )
    return format_html(
        '<div id="div_{}" class="mb-3">{}{}{}{}</div>',
        bound.auto_id,
        label,
        control,
        feedback,
        help_text,
    )
