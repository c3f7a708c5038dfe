"""`{% field %}` and `{% fields %}` draw what crispy-forms draws (with this project's bootstrap5
templates), element for element and attribute for attribute: the label tied to the control, the
chosen value, the required mark, the help text and errors tied to the control. Compared on every
form the concern pages draw, and on a sample with each widget kind."""

from html.parser import HTMLParser

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field, as_crispy_form
from django import forms
from django.template import Context, Template

from incidents.forms import work


class Shape(HTMLParser):
    """The elements, their attributes (as sets of classes) and their words, whitespace aside."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list = []

    def handle_starttag(self, tag, attrs):
        norm = tuple(
            sorted((k, frozenset((v or "").split()) if k == "class" else v) for k, v in attrs)
        )
        self.items.append(("<", tag, norm))

    def handle_endtag(self, tag):
        self.items.append((">", tag))

    def handle_data(self, data):
        words = " ".join(data.split())
        if words:
            self.items.append(("text", words))


def shape(html: str) -> list:
    parser = Shape()
    parser.feed(str(html))
    return parser.items


def draw(form, tag: str) -> str:
    return Template("{% load fields %}{% " + tag + " %}").render(Context({"form": form}))


class Sample(forms.Form):
    colour = forms.ChoiceField(choices=[("", "Any"), ("red", "Red"), ("blue", "Blue & green")])
    since = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(required=False, help_text="What changed")
    story = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), help_text="In your words")
    size = forms.ChoiceField(choices=[("s", "Small"), ("l", "Large")], widget=forms.RadioSelect)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)


FORMS = [
    Sample(),
    Sample(
        {"colour": "blue", "since": "2026-11-30", "note": "<b>x</b>", "story": "a\nb", "size": "l"}
    ),
    work.StatusForm(prefix="status", current="in_progress"),
    work.NoteForm(prefix="note"),
    work.CorrectionForm(prefix="c1"),
    work.ReferralForm(prefix="referral"),
    work.ReviewMeetingForm(prefix="meeting"),
    work.NudesAnswerForm(prefix="q", initial={"question": "coerced"}),
    work.NudesDecisionForm(prefix="decision"),
    work.ReopenForm(prefix="reopen"),
]


@pytest.mark.parametrize("form", FORMS, ids=lambda f: type(f).__name__)
def test_a_form_is_drawn_as_crispy_draws_it(form):
    assert shape(draw(form, "fields form")) == shape(as_crispy_form(form))


@pytest.mark.parametrize("form", FORMS, ids=lambda f: type(f).__name__)
def test_each_field_is_drawn_as_crispy_draws_it(form):
    for bound in form:
        if not bound.is_hidden:
            ours = Template("{% load fields %}{% field f %}").render(Context({"f": bound}))
            assert shape(ours) == shape(as_crispy_field(bound)), bound.name


def test_a_field_with_errors_is_drawn_as_crispy_draws_it():
    form = Sample({"colour": "purple", "story": ""})
    assert not form.is_valid()
    for name in ("colour", "story", "since"):
        ours = Template("{% load fields %}{% field f %}").render(Context({"f": form[name]}))
        assert shape(ours) == shape(as_crispy_field(form[name])), name
    assert 'aria-describedby="id_colour_error"' in draw(form, "field form.colour")
    # The whole form, with its error summary, is crispy's own.
    assert "There is a problem" in draw(form, "fields form")


def test_values_are_escaped():
    form = Sample({"note": '"><script>', "colour": "blue"})
    html = draw(form, "field form.note") + draw(form, "field form.colour")
    assert "<script>" not in html
    assert "Blue &amp; green" in html
