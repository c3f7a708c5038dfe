"""Forms the DSL, deputies, head and online safety lead use to work a concern.

They validate and normalise only: the rules of the procedure (what may close, in which order the
questions come) live in the services, whose ConcernError messages the views show as they are.
"""

from django import forms
from django.utils import timezone

from esafety.people.templatetags.fields import DrawnOnce
from incidents.categories import Category
from incidents.models import Agency, EntryKind, Status
from incidents.selectors import ConcernFilters
from incidents.services import SETTABLE

YES_NO = [("yes", "Yes"), ("no", "No")]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _yes(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class ConcernFilterForm(forms.Form):
    OPEN = "open"

    category = forms.ChoiceField(choices=[("", "Any category"), *Category.choices], required=False)
    status = forms.ChoiceField(
        choices=[("", "Any status"), (OPEN, "Open (not closed)"), *Status.choices],
        required=False,
    )
    year_group = forms.ChoiceField(choices=[("", "Any year group")], required=False)
    date_from = forms.DateField(label="Logged from", required=False, widget=DATE)
    date_to = forms.DateField(label="Logged to", required=False, widget=DATE)

    def __init__(self, *args, year_groups: list[str] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year_group"].choices = [("", "Any year group")] + [(y, y) for y in year_groups]

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date is before the start date.")
        return data

    def filters(self) -> ConcernFilters:
        """The filters to apply; an invalid form filters nothing rather than failing."""
        if not self.is_valid():
            return ConcernFilters()
        data = self.cleaned_data
        status = data["status"]
        return ConcernFilters(
            category=data["category"],
            status="" if status == self.OPEN else status,
            open_only=status == self.OPEN,
            year_group=data["year_group"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="New status", choices=[(s.value, s.label) for s in SETTABLE])
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        widget=forms.TextInput,
        help_text="For example which agency you are waiting for.",
    )

    def __init__(self, *args, current: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only a change is offered: moving to the status it already has would do nothing.
        self.fields["status"].choices = [(s.value, s.label) for s in SETTABLE if s.value != current]


class NoteForm(DrawnOnce, forms.Form):
    kind = forms.ChoiceField(
        label="This is",
        choices=[(EntryKind.NOTE, "A note"), (EntryKind.ACTION, "An action taken")],
        widget=forms.RadioSelect,
        initial=EntryKind.NOTE,
    )
    text = forms.CharField(label="What to add", widget=forms.Textarea(attrs={"rows": 3}))


class CorrectionForm(DrawnOnce, forms.Form):
    text = forms.CharField(
        label="Correction",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The entry itself is kept as it is; the correction is added beside it.",
    )

    @staticmethod
    def prefix_for(entry_code: object) -> str:
        # One form per timeline entry on the concern's page, told apart by the entry's code.
        return f"correct-{entry_code}"


class StepForm(DrawnOnce, forms.Form):
    DONE = "done"
    NOT_APPLICABLE = "not_applicable"

    outcome = forms.ChoiceField(
        label="Record this step as",
        choices=[(DONE, "Done"), (NOT_APPLICABLE, "Not applicable")],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="Note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What was done; or, when it does not apply, why.",
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("outcome") == self.NOT_APPLICABLE and not data.get("note", "").strip():
            self.add_error("note", "Say why this step does not apply.")
        return data

    @property
    def done(self) -> bool:
        return self.cleaned_data["outcome"] == self.DONE


class ReferralForm(DrawnOnce, forms.Form):
    REFERRED = "referred"
    NOT_REFERRED = "not_referred"

    decision = forms.ChoiceField(
        label="Decision",
        choices=[
            (REFERRED, "Referred to an outside agency"),
            (NOT_REFERRED, "Decided not to refer"),
        ],
        widget=forms.RadioSelect,
    )
    agency = forms.ChoiceField(choices=[("", "Choose the agency"), *Agency.choices], required=False)
    referred_on = forms.DateField(label="Date referred", required=False, widget=DATE)
    reference = forms.CharField(label="The agency's reference", max_length=100, required=False)
    reasons = forms.CharField(
        label="Reasons",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when you decide not to refer: KCSIE asks for the reasons to be kept.",
    )

    def __init__(self, *args, child_protection: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A child-protection record keeps the reasons for every referral decision (KCSIE).
        self.child_protection = child_protection
        if child_protection:
            self.fields[
                "reasons"
            ].help_text = "Why you referred, or why not: KCSIE asks for the reasons to be kept."

    def drawing_key(self) -> bool:
        return self.child_protection

    def clean(self) -> dict:
        data = super().clean()
        if data.get("decision") == self.REFERRED:
            if self.child_protection and not data.get("reasons", "").strip():
                self.add_error("reasons", "Give the reasons for the referral.")
            if not data.get("agency"):
                self.add_error("agency", "Choose the agency the concern was referred to.")
            if not data.get("referred_on"):
                self.add_error("referred_on", "Give the date of the referral.")
            elif data["referred_on"] > timezone.localdate():
                self.add_error("referred_on", "The date of the referral cannot be in the future.")
        elif data.get("decision") == self.NOT_REFERRED and not data.get("reasons", "").strip():
            self.add_error("reasons", "Give the reasons for not referring.")
        return data

    @property
    def referred(self) -> bool:
        return self.cleaned_data["decision"] == self.REFERRED


class ReviewMeetingForm(forms.Form):
    held_on = forms.DateField(label="Date of the meeting", widget=DATE)
    attendees = forms.CharField(label="Who attended", max_length=500)
    summary = forms.CharField(label="Summary", widget=forms.Textarea(attrs={"rows": 4}))

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError("The meeting date cannot be in the future.")
        return held_on


class NudesAnswerForm(forms.Form):
    question = forms.CharField(widget=forms.HiddenInput)
    answer = forms.ChoiceField(label="Answer", choices=YES_NO, widget=forms.RadioSelect)
    note = forms.CharField(
        label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    @property
    def yes(self) -> bool:
        return self.cleaned_data["answer"] == "yes"


class NudesDecisionForm(forms.Form):
    reasons = forms.CharField(
        label="Why it can be handled in school",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Recorded as the decision not to refer, with its reasons.",
    )


class CloseForm(forms.Form):
    # Not required here: the service lists everything still missing at once, procedure steps
    # included, rather than the form stopping at the first empty box.
    outcome = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    lessons_learnt = forms.CharField(
        label="Lessons learnt", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    parents_informed = forms.ChoiceField(
        label="Were the parents informed?", choices=YES_NO, widget=forms.RadioSelect, required=False
    )
    parents_not_informed_reason = forms.CharField(
        label="If not, why not",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: telling them would put the child at risk.",
    )

    @property
    def parents(self) -> bool | None:
        return _yes(self.cleaned_data["parents_informed"])


class ReopenForm(forms.Form):
    reason = forms.CharField(label="Why reopen it", widget=forms.Textarea(attrs={"rows": 2}))
