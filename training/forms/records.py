"""Forms for records, briefings and engagement events: they validate and normalise, never save."""

import datetime

from django import forms
from django.utils import timezone

from esafety.people.models import User
from training.certificates import MAX_BYTES
from training.models import Course, EventKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _not_future(day: datetime.date) -> datetime.date:
    if day > timezone.localdate():
        raise forms.ValidationError("The date cannot be in the future.")
    return day


class RecordForm(forms.Form):
    course = forms.ModelChoiceField(queryset=Course.objects.none())
    completed_on = forms.DateField(label="Date completed", widget=DATE)
    provider = forms.CharField(
        max_length=200, help_text="Who ran it: the local authority, a training company, the DSL."
    )
    certificate = forms.FileField(
        required=False,
        help_text=f"A PDF, or a photo or screenshot of the certificate (PNG, JPEG, GIF or WebP), "
        f"up to {MAX_BYTES // (1024 * 1024)} MB. It is checked by what it contains.",
    )

    def __init__(self, *args, courses, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses

    def clean_completed_on(self) -> datetime.date:
        return _not_future(self.cleaned_data["completed_on"])


class SessionForm(forms.Form):
    course = forms.ModelChoiceField(queryset=Course.objects.none())
    held_on = forms.DateField(label="Date held", widget=DATE)
    presenter = forms.CharField(max_length=200, help_text="Who led it.")
    attendees = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Who was there",
    )

    def __init__(self, *args, courses, people, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses
        self.fields["attendees"].queryset = people
        self.fields["attendees"].label_from_instance = lambda u: u.full_name or u.email

    def clean_held_on(self) -> datetime.date:
        return _not_future(self.cleaned_data["held_on"])


class EventForm(forms.Form):
    kind = forms.ChoiceField(choices=EventKind.choices, label="What it was")
    held_on = forms.DateField(label="Date held", widget=DATE)
    topic = forms.CharField(max_length=200)
    year_groups = forms.MultipleChoiceField(
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="For a pupil lesson: the year groups it was for.",
    )
    audience = forms.CharField(
        max_length=200, required=False, help_text="Who it was for, for an evening or briefing."
    )
    presenter = forms.CharField(max_length=200)
    external = forms.BooleanField(label="Given by an external presenter", required=False)
    attendance = forms.IntegerField(min_value=0, initial=0, help_text="How many came.")

    def __init__(self, *args, year_groups, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year_groups"].choices = [(y, y) for y in year_groups]

    def clean_held_on(self) -> datetime.date:
        return _not_future(self.cleaned_data["held_on"])


class RejectForm(forms.Form):
    reason = forms.CharField(
        max_length=300,
        label="Why it cannot be accepted",
        help_text="For example: the certificate is for another course. Its owner reads this.",
    )
