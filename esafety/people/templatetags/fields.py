"""`{% field form.name %}` and `{% fields form %}`: form fields in Bootstrap 5's markup, in Python.

The markup crispy-forms gives (with this project's templates/bootstrap5 overrides) a select, a
text, date or number input, a textarea and a set of radio buttons: label tied to the control,
the required mark, the help text and errors tied to it with aria-describedby. Without rendering
four nested templates per field: a concern's page draws a form for every step and every
timeline entry, and crispy's templates were over half of that page's time.

A form with errors, and any other widget, is drawn by crispy itself: the error summary and the
rare widgets keep their one implementation.
"""

from collections.abc import Callable, Hashable

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field, as_crispy_form
from django import forms, template
from django.forms.boundfield import BoundField
from django.forms.widgets import Input
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

REQUIRED_MARK = mark_safe(' <span class="required-mark" aria-hidden="true">(required)</span>')
INPUT_TYPES = {"text", "date", "datetime-local", "email", "number", "search", "tel", "url"}


def _attrs(attrs: dict) -> SafeString:
    # Boolean attributes first, then the valued ones, each escaped as format_html would: without
    # format_html's machinery per attribute (a concern's page draws some 200 of them).
    esc = conditional_escape
    shown = [(k, v) for k, v in attrs.items() if v is not None and v is not False]
    flags = "".join(f" {esc(k)}" for k, v in shown if v is True)
    valued = "".join(f' {esc(k)}="{esc(v)}"' for k, v in shown if v is not True)
    return mark_safe(flags + valued)  # noqa: S308 (every name and value is escaped above)


def _kind(widget: forms.Widget) -> str | None:
    if type(widget) is forms.Select:
        return "select"
    if type(widget) is forms.Textarea:
        return "textarea"
    if type(widget) is forms.RadioSelect:
        return "radio"
    if isinstance(widget, Input) and widget.input_type in INPUT_TYPES:
        return "input"
    return None


def _control_attrs(bound: BoundField, base: str) -> dict:
    widget = bound.field.widget
    errors = bound.errors
    extra = widget.attrs.get("class", "")
    attrs = {
        **{k: v for k, v in widget.attrs.items() if k != "class"},
        "name": bound.html_name,
        "class": f"{base}{' ' + extra if extra else ''}{' is-invalid' if errors else ''}",
        # What Django's own rendering adds: required where the widget may say so, disabled,
        # aria-describedby for the help text.
        **bound.build_widget_attrs({}, widget),
    }
    if errors:
        attrs["aria-invalid"] = "true"
        described = (attrs.get("aria-describedby") or "").split()
        help_id, error_id = f"{bound.auto_id}_helptext", f"{bound.auto_id}_error"
        attrs["aria-describedby"] = " ".join(
            [*([help_id] if bound.help_text else []), error_id]
            + [d for d in described if d not in (help_id, error_id)]
        )
    attrs["id"] = bound.auto_id
    return attrs


def _chosen(bound: BoundField) -> set[str]:
    value = bound.value()
    return {str(v) for v in value} if isinstance(value, list | tuple) else {str(value or "")}


def _options(bound: BoundField) -> SafeString:
    # The markup format_html_join gave, escaped the same way (conditional_escape), without its
    # formatting machinery per option: a select of 150 members was a fifth of a page's render.
    chosen = _chosen(bound)
    esc = conditional_escape
    return mark_safe(  # noqa: S308 (every value is escaped above)
        "".join(
            f'<option value="{esc(key)}"{" selected" if str(key) in chosen else ""}>'
            f"{esc(label)}</option>"
            for key, label in bound.field.choices
        )
    )


def _radios(bound: BoundField) -> SafeString:
    chosen = _chosen(bound)
    required = bound.field.required
    return format_html_join(
        "",
        '<div class="form-check"><input type="radio" class="form-check-input" name="{}" '
        'value="{}" id="{}_{}"{}{}><label for="{}_{}" class="form-check-label">{}</label></div>',
        (
            (
                bound.html_name,
                key,
                bound.auto_id,
                i,
                mark_safe(" required") if required else "",
                mark_safe(" checked") if str(key) in chosen else "",
                bound.auto_id,
                i,
                label,
            )
            for i, (key, label) in enumerate(bound.field.choices)
        ),
    )


def _help(bound: BoundField) -> SafeString:
    if not bound.help_text:
        return mark_safe("")
    return format_html(
        '<div id="{}_helptext" class="form-text">{}</div>', bound.auto_id, bound.help_text
    )


def _errors(bound: BoundField) -> SafeString:
    if not bound.errors:
        return mark_safe("")
    return format_html(
        '<div id="{}_error" class="invalid-feedback">{}</div>',
        bound.auto_id,
        format_html_join(
            "",
            '<p id="error_{}_{}"><strong>{}</strong></p>',
            ((i, bound.auto_id, e) for i, e in enumerate(bound.errors, 1)),
        ),
    )


def _label(bound: BoundField, tag: str = "label") -> SafeString:
    required = bound.field.required
    if tag == "legend":
        return format_html(
            '<legend class="form-label{} fs-6">{}{}</legend>',
            " requiredField" if required else "",
            bound.label,
            REQUIRED_MARK if required else "",
        )
    return format_html(
        '<label for="{}" class="form-label{}">{}{}</label>',
        bound.auto_id,
        " requiredField" if required else "",
        bound.label,
        REQUIRED_MARK if required else "",
    )


def _draw(bound: BoundField, kind: str) -> SafeString:
    widget = bound.field.widget
    if kind == "radio":
        body = format_html(
            "<fieldset>{}<div>{}</div></fieldset>{}{}",
            _label(bound, "legend"),
            _radios(bound),
            _errors(bound),
            _help(bound),
        )
    else:
        if kind == "select":
            control = format_html(
                "<select{}>{}</select>",
                _attrs(_control_attrs(bound, "select form-select")),
                _options(bound),
            )
        elif kind == "textarea":
            attrs = {"cols": "40", "rows": "10", **_control_attrs(bound, "textarea form-control")}
            control = format_html(
                "<textarea{}>\n{}</textarea>",
                _attrs(attrs),
                widget.format_value(bound.value()) or "",
            )
        else:
            attrs = {
                "type": widget.input_type,
                **_control_attrs(bound, f"{widget.input_type}input form-control"),
            }
            value = widget.format_value(bound.value())
            if value not in (None, ""):
                attrs["value"] = value
            control = format_html("<input{}>", _attrs(attrs))
        body = format_html("{}{}{}{}", _label(bound), control, _errors(bound), _help(bound))
    return format_html('<div id="div_{}" class="mb-3">{}</div>', bound.auto_id, body)


@register.simple_tag
def field(bound: BoundField) -> SafeString:
    kind = _kind(bound.field.widget)
    if kind is None or (kind == "radio" and bound.errors):
        return as_crispy_field(bound)
    return _draw(bound, kind)


class DrawnOnce:
    """A form whose visible fields, blank, are drawn the same every time for its class, prefix,
    each field's initial value and `drawing_key()`: `{% fields %}` draws each once a process
    and gives the same markup after (a concern's page draws five such forms, a quarter of its
    rendering). Only for forms whose visible fields do not change with anything else (no
    choices from the database); a hidden field (a token made per record) is drawn every time,
    and a bound form is always drawn afresh, with what was typed."""

    def drawing_key(self) -> Hashable:
        """What, beyond the class, prefix and initial values, changes the blank drawing."""
        return ()


_blank_drawings: dict[tuple, SafeString] = {}
# Class × prefix × field × key: a page's worth of step keys at most, not something that grows.
MAX_BLANK_DRAWINGS = 2048


@register.simple_tag
def fields(form: forms.Form) -> SafeString:
    """Every field of a form, as `|crispy` draws them (without a <form> tag)."""
    if form.errors:
        return as_crispy_form(form)
    draw = _draw
    if not form.is_bound and isinstance(form, DrawnOnce):
        draw = _kept_drawer(form)
    drawn = []
    for bound in form:
        if bound.is_hidden:
            drawn.append(bound.as_widget())
            continue
        kind = _kind(bound.field.widget)
        if kind is None:
            return as_crispy_form(form)
        drawn.append(draw(bound, kind))
    return format_html_join("", "{}", ((d,) for d in drawn))


def _kept_drawer(form: DrawnOnce) -> Callable[[BoundField, str], SafeString]:
    """_draw for the visible fields of a blank DrawnOnce form, each kept once drawn."""
    shared = (type(form), form.prefix, form.auto_id, get_language(), form.drawing_key())

    def draw(bound: BoundField, kind: str) -> SafeString:
        key = (*shared, bound.name, repr(bound.initial))
        kept = _blank_drawings.get(key)
        if kept is None:
            kept = _draw(bound, kind)
            if len(_blank_drawings) < MAX_BLANK_DRAWINGS:
                _blank_drawings[key] = kept
        return kept

    return draw
