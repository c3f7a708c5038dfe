"""The catalogue and settings forms (the online safety lead and the head keep them)."""

from django import forms

from esafety.people.models import User
from training.models import Group, Kind, Validity

MONTHS = [(m, f"{m:02d}") for m in range(1, 13)]


class CourseForm(forms.Form):
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=Kind.choices)
    validity = forms.ChoiceField(choices=Validity.choices, widget=forms.RadioSelect)
    months = forms.IntegerField(
        required=False, min_value=1, max_value=120, help_text="Rolling: how many months it counts."
    )
    within_days = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=365,
        label="Within days of starting",
        help_text="Once: within how many days of starting it is due.",
    )
    due_month = forms.TypedChoiceField(
        choices=[("", "—"), *[(m, f"{m}") for m in range(1, 13)]],
        coerce=int,
        empty_value=None,
        required=False,
        label="Due month",
        help_text="Each academic year: the month (1 to 12) it is due by.",
    )
    due_day = forms.IntegerField(
        required=False, min_value=1, max_value=31, label="Due day of the month"
    )
    required_for = forms.MultipleChoiceField(
        choices=Group.choices, widget=forms.CheckboxSelectMultiple, label="Required for"
    )
    is_active = forms.BooleanField(
        required=False, initial=True, label="In use (shown in the matrix)"
    )


class SettingsForm(forms.Form):
    expiring_days = forms.IntegerField(
        min_value=1,
        max_value=180,
        label="Expiring within (days)",
        help_text="A record shows as expiring this many days before it lapses.",
    )
    safeguarding_governor = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label="Safeguarding governor"
    )
    read_and_sign = forms.MultipleChoiceField(
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Read and sign (shown as matrix columns)",
        help_text="Documents staff accept in Policies, such as KCSIE Part 1. A new edition needs "
        "a new acknowledgement.",
    )

    def __init__(self, *args, governors, documents, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["safeguarding_governor"].queryset = governors
        self.fields["safeguarding_governor"].label_from_instance = lambda u: u.full_name or u.email
        self.fields["read_and_sign"].choices = [
            (str(d.code), f"{d.title} (edition {d.edition})") for d in documents
        ]
