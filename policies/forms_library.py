"""Forms the online safety lead and the head use to keep the policy library.

They validate and normalise only: the rules of a version's life (only a draft is edited, only
the head approves as headteacher, what was approved is what is published) live in the services,
whose PolicyError messages the views show as they are.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from esafety.people.models import User
from policies.models import ApprovedBy, Audience, Kind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def a_year_on(day: datetime.date) -> datetime.date:
    return day + relativedelta(years=1)


class PolicyForm(forms.Form):
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=Kind.choices)
    owner = forms.ModelChoiceField(
        queryset=User.objects.none(),
        help_text="The member of staff who keeps this policy up to date and is told when its "
        "review is due.",
    )
    audiences = forms.MultipleChoiceField(
        choices=Audience.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Who the policy applies to.",
    )
    requires_acceptance = forms.BooleanField(
        label="Everyone in these audiences must accept each published version",
        required=False,
    )
    is_public = forms.BooleanField(
        label="Show it on the school's public policies page once published",
        required=False,
        initial=True,
    )

    def __init__(self, *args, owners: QuerySet[User], editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = lambda u: u.full_name or u.email
        if editing:
            # The kind says what the policy is; a different kind is a different policy.
            del self.fields["kind"]

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError("Give the policy a title.")
        return title


class VersionForm(forms.Form):
    number = forms.CharField(
        label="Version number", max_length=20, help_text="For example 3, or 2.1."
    )
    body = forms.CharField(
        label="Text",
        widget=forms.Textarea(attrs={"rows": 18, "class": "font-monospace"}),
        help_text="Written in Markdown: # for a heading, - for a bullet, **bold**, "
        "[link text](https://…). Scripts, styles and images are removed when it is shown.",
    )

    def clean_number(self) -> str:
        number = self.cleaned_data["number"].strip().removeprefix("v").removeprefix("V").strip()
        if not number:
            raise forms.ValidationError("Give the version a number.")
        return number


class ApproveForm(forms.Form):
    approved_by_body = forms.ChoiceField(
        label="Approved by", choices=ApprovedBy.choices, widget=forms.RadioSelect
    )
    approved_on = forms.DateField(
        label="Date approved",
        widget=DATE,
        help_text="For the governing board, the date of the meeting that approved it.",
    )
    note = forms.CharField(
        label="Note",
        max_length=300,
        required=False,
        help_text="For the governing board: which meeting, and its minute reference.",
    )

    def __init__(self, *args, as_head: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not as_head:
            # Only the head approves as headteacher; the online safety lead records the board's.
            self.fields["approved_by_body"].choices = [
                (ApprovedBy.GOVERNORS, ApprovedBy.GOVERNORS.label)
            ]
            self.fields["approved_by_body"].initial = ApprovedBy.GOVERNORS
        self.fields["approved_on"].initial = timezone.localdate()

    def clean_approved_on(self) -> datetime.date:
        day = self.cleaned_data["approved_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The approval date cannot be in the future.")
        return day

    def clean(self) -> dict:
        data = super().clean()
        if data.get("approved_by_body") == ApprovedBy.GOVERNORS and not data.get("note", ""):
            self.add_error("note", "Say which meeting of the governing board approved it.")
        return data


class PublishForm(forms.Form):
    effective_date = forms.DateField(
        label="In force from", widget=DATE, help_text="The date the new version takes effect."
    )
    next_review_due = forms.DateField(
        label="Next review due",
        widget=DATE,
        help_text="A year after it takes effect unless you choose another date.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["effective_date"].initial = today
        self.fields["next_review_due"].initial = a_year_on(today)

    def clean(self) -> dict:
        data = super().clean()
        start, review = data.get("effective_date"), data.get("next_review_due")
        if review and review <= timezone.localdate():
            self.add_error("next_review_due", "The next review must be after today.")
        elif start and review and review <= start:
            self.add_error("next_review_due", "The next review must be after it takes effect.")
        return data


class ReviewDateForm(forms.Form):
    next_review_due = forms.DateField(label="Next review due", widget=DATE)

    def clean_next_review_due(self) -> datetime.date:
        day = self.cleaned_data["next_review_due"]
        if day <= timezone.localdate():
            raise forms.ValidationError("The next review must be after today.")
        return day
