"""Forms for the filtering evidence: they validate and normalise, never save. The rules (who may
sign, what a failure needs, one acknowledgement a week) live in the services."""

import re
import uuid

from django import forms
from django.db.models import QuerySet

from esafety.people.models import User
from filtering.models import (
    Cadence,
    CheckCategory,
    DecisionAction,
    DeviceType,
    Method,
    Outcome,
    ReviewItem,
    RoleKind,
    TargetKind,
    UserGroup,
)
from filtering.standards import REVIEW_QUESTIONS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_ERRORS = {"invalid": "Give a real date."}
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)


def _people(field: forms.ModelChoiceField, queryset: QuerySet[User]) -> None:
    field.queryset = queryset
    field.label_from_instance = lambda u: u.full_name or u.email


class ConcernReferenceField(forms.CharField):
    """A concern's reference: its link pasted from the concern's page, or its code."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 300)
        kwargs.setdefault(
            "help_text",
            "Paste the link of the concern's page (or its reference), if one was logged.",
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value).strip()
        if not value:
            return None
        found = UUID_RE.findall(value)
        if not found:
            raise forms.ValidationError("That is not a concern's link or reference.")
        return uuid.UUID(found[-1])  # a concern's link ends with the concern's code


class SettingsForm(forms.Form):
    check_cadence = forms.ChoiceField(
        label="How often filtering is checked", choices=Cadence.choices
    )
    reports_from = forms.DateField(
        label="Weekly monitoring reports due from",
        required=False,
        widget=DATE,
        error_messages=DATE_ERRORS,
        help_text="Leave empty to count from when the provision was first recorded.",
    )


class RoleForm(forms.Form):
    user = forms.ModelChoiceField(
        label="Member of the school", queryset=User.objects.none(), required=False
    )
    name = forms.CharField(
        label="Name (someone outside the school)", max_length=200, required=False
    )
    organisation = forms.CharField(max_length=200, required=False)
    contact = forms.CharField(
        label="How to reach them", max_length=200, required=False, help_text="An email or phone."
    )
    duties = forms.CharField(label="What they do", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, kind: str, members: QuerySet[User], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _people(self.fields["user"], members)
        if kind == RoleKind.IT_PROVIDER:
            del self.fields["user"]
            self.fields["name"].label = "Contact's name"
            self.fields["name"].required = True
            self.fields["organisation"].required = True
        elif kind in (RoleKind.SENIOR_LEADER, RoleKind.GOVERNOR, RoleKind.DSL):
            self.fields["user"].required = True
            for name in ("name", "organisation", "contact"):
                del self.fields[name]


class ProvisionForm(forms.Form):
    filtering_provider = forms.CharField(max_length=200)
    filtering_product = forms.CharField(max_length=200)
    monitoring_provider = forms.CharField(max_length=200)
    monitoring_methods = forms.MultipleChoiceField(
        choices=Method.choices, widget=forms.CheckboxSelectMultiple
    )
    sites = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), help_text="The sites and buildings, one a line."
    )
    user_groups = forms.MultipleChoiceField(
        choices=UserGroup.choices, widget=forms.CheckboxSelectMultiple
    )
    device_types = forms.MultipleChoiceField(
        choices=DeviceType.choices, widget=forms.CheckboxSelectMultiple
    )
    mobile_data = forms.CharField(
        label="Mobile data",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Mobile data (4G/5G) is out of the school's reach: how the policy handles it.",
    )
    blocks_iwf_list = forms.BooleanField(
        label="The provider blocks the IWF's child sexual abuse list", required=False
    )
    blocks_terrorist_list = forms.BooleanField(
        label="The provider blocks the police's unlawful terrorist content list", required=False
    )
    uksic_response_url = forms.URLField(
        assume_scheme="https",
        label="The provider's UK Safer Internet Centre response",
        required=False,
        help_text="The link to the provider's published response to the UKSIC's appropriate "
        "filtering and monitoring definitions.",
    )
    change_note = forms.CharField(label="What changed, and why", max_length=300, required=False)


class DecisionForm(forms.Form):
    action = forms.ChoiceField(label="Request to", choices=DecisionAction.choices)
    target_kind = forms.ChoiceField(label="What", choices=TargetKind.choices)
    target = forms.CharField(
        label="Site, category or app", max_length=300, help_text="For example an address."
    )
    requested_by = forms.CharField(
        label="Who asked", max_length=200, help_text="Their name and role."
    )
    requested_on = forms.DateField(widget=DATE, error_messages=DATE_ERRORS)
    reason = forms.CharField(label="Why they asked", widget=forms.Textarea(attrs={"rows": 3}))
    risk_assessment = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    outcome = forms.ChoiceField(label="Decision", choices=Outcome.choices)
    decided_on = forms.DateField(widget=DATE, error_messages=DATE_ERRORS)
    concern = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_concern(self):
        value = self.cleaned_data["concern"]
        if not value:
            return None
        try:
            return uuid.UUID(value)
        except ValueError:
            raise forms.ValidationError("That concern's reference is not valid.") from None


class AppliedForm(forms.Form):
    applied_on = forms.DateField(widget=DATE, error_messages=DATE_ERRORS)
    applied_by = forms.CharField(
        label="Applied by", max_length=200, help_text="Often the IT provider's engineer."
    )


RESULT_CHOICES = [("", "Not tested"), ("blocked", "Blocked"), ("not_blocked", "Not blocked")]


class CheckForm(forms.Form):
    device_type = forms.ChoiceField(choices=DeviceType.choices)
    user_group = forms.ChoiceField(choices=UserGroup.choices)
    site = forms.CharField(max_length=200, required=False, help_text="Where on the site.")
    tool = forms.CharField(
        label="Tested with", max_length=200, initial="SWGfL Test Filtering (testfiltering.com)"
    )
    tested_on = forms.DateField(widget=DATE, error_messages=DATE_ERRORS)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for value, label in CheckCategory.choices:
            self.fields[value] = forms.ChoiceField(
                label=label, choices=RESULT_CHOICES, required=False
            )
            self.fields[f"{value}_action"] = forms.CharField(
                label=f"{label}: action taken",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="Needed when it was not blocked.",
            )

    def results(self) -> list[tuple[str, bool, str]]:
        return [
            (value, self.cleaned_data[value] == "blocked", self.cleaned_data[f"{value}_action"])
            for value in CheckCategory.values
            if self.cleaned_data.get(value)
        ]


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label="How it was resolved",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What was changed, and the re-test that showed it blocked.",
    )


class AcknowledgeForm(forms.Form):
    week_start = forms.DateField(widget=forms.HiddenInput)
    note = forms.CharField(label="What it showed", widget=forms.Textarea(attrs={"rows": 2}))
    showed_concern = forms.BooleanField(label="It showed a concern", required=False)
    concern = ConcernReferenceField(label="The concern logged from it")


class ShiftForm(forms.Form):
    user = forms.ModelChoiceField(label="On call", queryset=User.objects.none())
    starts_on = forms.DateField(widget=DATE, error_messages=DATE_ERRORS)
    ends_on = forms.DateField(widget=DATE, error_messages=DATE_ERRORS)

    def __init__(self, *args, members: QuerySet[User], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _people(self.fields["user"], members)


class AlertForm(forms.Form):
    received_at = forms.DateTimeField(widget=DATETIME, error_messages=DATE_ERRORS)
    acted_at = forms.DateTimeField(label="Acted on at", widget=DATETIME, error_messages=DATE_ERRORS)
    received_by = forms.ModelChoiceField(queryset=User.objects.none())
    action = forms.CharField(
        label="What was done",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Who was called and what happened. No child's name: log a concern for that.",
    )
    concern = ConcernReferenceField(label="The concern logged from it")

    def __init__(self, *args, members: QuerySet[User], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _people(self.fields["received_by"], members)


class ReviewForm(forms.Form):
    summary = forms.CharField(
        label="What the review found", widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for value, label in ReviewItem.choices:
            self.fields[value] = forms.BooleanField(
                label=f"{label}: met", required=False, help_text=REVIEW_QUESTIONS[value]
            )
            self.fields[f"{value}_note"] = forms.CharField(
                label=f"{label}: note",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="Needed when it is not met: what will be done.",
            )
        self.order_fields([*(f for v in ReviewItem.values for f in (v, f"{v}_note")), "summary"])

    def answers(self) -> dict[str, dict]:
        return {
            value: {"met": self.cleaned_data[value], "note": self.cleaned_data[f"{value}_note"]}
            for value in ReviewItem.values
        }


class SignForm(forms.Form):
    signature = forms.CharField(label="Your full name, as your signature", max_length=200)
    confirm = forms.BooleanField(
        label="I have read the review and sign it off for the governing body"
    )
