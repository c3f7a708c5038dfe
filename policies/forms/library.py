"""Forms the online safety lead and the head use to keep the policy library.

They validate and normalise only: the rules of a version's life (only a draft is edited, only
the head approves as headteacher, the board's approval names its meeting, a review falls after
the version takes effect) live in the services. The views put a service's refusal on the form,
beside the field it is about, so it shows in the form's error summary like any other error.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from esafety.people.models import User
from policies.models import ApprovedBy, Audience, Kind
from policies.services.library import GOVERNORS_MEETING_REQUIRED

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
REAL_DATE = "Give a real date."
MEETING_HELP = (
    "The meeting of the governing board and its minute reference, for example "
    "“Full governing board, 12 March, minute 7”."
)


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
        label="Approved by",
        choices=ApprovedBy.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say who approved it: the headteacher or the governing board."},
    )
    approved_on = forms.DateField(
        label="Date approved",
        widget=DATE,
        help_text="For the governing board, the date of the meeting that approved it.",
        error_messages={"required": "Give the date it was approved.", "invalid": REAL_DATE},
    )
    # What a governing body needs on record is the meeting that approved it (its minutes are
    # the evidence): required for the board's approval, by the service, and marked so here.
    note = forms.CharField(
        label="Meeting that approved it",
        max_length=300,
        help_text=MEETING_HELP,
        error_messages={"required": GOVERNORS_MEETING_REQUIRED},
    )

    def __init__(self, *args, as_head: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        note = self.fields["note"]
        if as_head:
            # Approving as headteacher needs no meeting; the board's approval does. The page's
            # script marks the field required while "Governing board" is chosen, and the
            # service refuses the board's approval without it either way.
            note.required = False
            note.help_text = f"Required when the governing board approved it. {MEETING_HELP}"
            note.widget.attrs["data-required-when"] = f"approved_by_body={ApprovedBy.GOVERNORS}"
        else:
            # Only the head approves as headteacher; the online safety lead records the board's.
            self.fields["approved_by_body"].choices = [
                (ApprovedBy.GOVERNORS, ApprovedBy.GOVERNORS.label)
            ]
            self.fields["approved_by_body"].initial = ApprovedBy.GOVERNORS
        self.fields["approved_on"].initial = timezone.localdate()


# The publishing and review dates' rules (after today, after it takes effect) are the service's:
# the view shows its refusal beside the field.
DATE_ERRORS = {"invalid": REAL_DATE}


class PublishForm(forms.Form):
    effective_date = forms.DateField(
        label="In force from",
        widget=DATE,
        help_text="The date the new version takes effect.",
        error_messages={"required": "Give the date it takes effect.", **DATE_ERRORS},
    )
    next_review_due = forms.DateField(
        label="Next review due",
        widget=DATE,
        help_text="A year after it takes effect unless you choose another date.",
        error_messages={"required": "Give the date of its next review.", **DATE_ERRORS},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["effective_date"].initial = today
        self.fields["next_review_due"].initial = a_year_on(today)


class ReviewDateForm(forms.Form):
    next_review_due = forms.DateField(
        label="Next review due",
        widget=DATE,
        error_messages={"required": "Give the date of its next review.", **DATE_ERRORS},
    )
