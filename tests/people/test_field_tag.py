"""`{% field %}` and `{% fields %}` draw what crispy-forms draws (with this project's bootstrap5
templates), element for element and attribute for attribute: the label tied to the control, the
chosen value, the required mark, the help text and errors tied to the control. Compared on every
form the concern pages draw, and on a sample with each widget kind."""

from html.parser import HTMLParser

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field, as_crispy_form
from django import forms
from django.template import Context, Template

from devices.forms import EvidenceForm
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


DRAWN_ONCE = [
    lambda: work.NoteForm(prefix="note"),
    lambda: work.StepForm(prefix="step-record"),
    lambda: work.StepForm(prefix="step-inform"),
    lambda: work.CorrectionForm(prefix="c1"),
    lambda: work.ReferralForm(prefix="ref"),
    lambda: work.ReferralForm(prefix="ref", child_protection=True),
    lambda: EvidenceForm(prefix="evidence", initial={"link": "token-one"}),
]


@pytest.mark.parametrize("make", DRAWN_ONCE)
def test_a_blank_form_drawn_once_is_what_drawing_it_afresh_gives(make):
    from esafety.people.templatetags.fields import _draw, _kind

    first, again = draw(make(), "fields form"), draw(make(), "fields form")
    fresh = "".join(
        str(b.as_widget() if b.is_hidden else _draw(b, _kind(b.field.widget))) for b in make()
    )
    assert first == again == fresh


def test_what_tells_blank_forms_apart_gives_each_its_own_drawing():
    steps = {draw(work.StepForm(prefix=f"step-{key}"), "fields form") for key in ("a", "b")}
    referrals = {
        draw(work.ReferralForm(prefix="ref", child_protection=cp), "fields form")
        for cp in (False, True)
    }
    assert len(steps) == len(referrals) == 2
    assert "KCSIE asks for the reasons to be kept" in "".join(referrals)
    initial = draw(work.NoteForm(prefix="note", initial={"kind": "action"}), "fields form")
    assert initial != draw(work.NoteForm(prefix="note"), "fields form")


def test_a_bound_form_is_drawn_with_what_was_typed_not_the_blank():
    draw(work.NoteForm(prefix="note"), "fields form")
    typed = work.NoteForm({"note-kind": "note", "note-text": "Spoke to <Sam>"}, prefix="note")
    assert "Spoke to &lt;Sam&gt;" in draw(typed, "fields form")
    refused = work.NoteForm({"note-kind": "note", "note-text": ""}, prefix="note")
    assert "There is a problem" in draw(refused, "fields form")


def test_a_hidden_value_made_per_record_is_drawn_every_time():
    one = draw(EvidenceForm(prefix="evidence", initial={"link": "token-one"}), "fields form")
    two = draw(EvidenceForm(prefix="evidence", initial={"link": "token-two"}), "fields form")
    assert 'value="token-one"' in one and 'value="token-two"' in two
    assert one.replace("token-one", "token-two") == two
