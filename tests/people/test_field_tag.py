"""`{% field %}` draws a select or an input as crispy-forms would, for what a person and a
screen reader rely on: the label tied to the control, the chosen value, the error announced
and tied to the control, the required mark where Django would say required."""

import re

from django import forms
from django.template import Context, Template


class Sample(forms.Form):
    colour = forms.ChoiceField(choices=[("", "Any"), ("red", "Red"), ("blue", "Blue & green")])
    since = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(required=False, help_text="What changed")
    agree = forms.BooleanField(required=False)


def draw(form, name: str) -> str:
    return Template("{% load fields %}{% field form." + name + " %}").render(
        Context({"form": form})
    )


def test_a_select_keeps_the_chosen_value_and_escapes_labels():
    html = draw(Sample({"colour": "blue"}), "colour")
    assert '<label for="id_colour" class="form-label requiredField">Colour' in html
    assert 'id="id_colour"' in html and 'class="select form-select"' in html
    assert '<option value="blue" selected>Blue &amp; green</option>' in html
    assert '<option value="red">' in html
    # The first choice is empty, so Django says required (a select without one would not).
    assert re.search(r"<select[^>]* required", html)
    assert "(required)</span>" in html


def test_an_error_is_tied_to_its_control():
    form = Sample({"colour": "purple"})
    assert not form.is_valid()
    html = draw(form, "colour")
    assert 'class="select form-select is-invalid"' in html
    assert 'aria-invalid="true" aria-describedby="id_colour_error"' in html
    assert '<div id="id_colour_error" class="invalid-feedback">' in html
    assert "Select a valid choice." in html


def test_an_input_shows_its_value_and_help_text():
    html = draw(Sample({"since": "2026-11-30", "note": "<b>x</b>"}), "since")
    assert '<input type="date" name="since" class="dateinput form-control"' in html
    assert 'value="2026-11-30"' in html
    assert " required" not in html
    note = draw(Sample({"note": "<b>x</b>"}), "note")
    assert 'value="&lt;b&gt;x&lt;/b&gt;"' in note
    assert '<div id="id_note_helptext" class="form-text">What changed</div>' in note


def test_any_other_widget_is_drawn_by_crispy():
    html = draw(Sample(), "agree")
    assert 'type="checkbox"' in html and "form-check-input" in html
