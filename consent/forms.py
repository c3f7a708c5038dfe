"""Consent forms: validate and normalise, never save."""

from django import forms

from consent.models import Channel, Choice, LawfulBasis, Method, Purpose


class ChildChoicesForm(forms.Form):
    """Every purpose for one child, on one form: a radio group each."""

    def __init__(self, *args, purposes: list[Purpose], initial_choices: dict, prefix: str, **kw):
        super().__init__(*args, prefix=prefix, **kw)
        self.purposes = purposes
        for purpose in purposes:
            options = [(Choice.GRANTED, "Yes")]
            if purpose.allows_alone_only:
                options.append((Choice.ALONE_ONLY, "On their own only, never in group photos"))
            options.append((Choice.REFUSED, "No" if purpose.needs_consent else "No, I object"))
            self.fields[purpose.code.hex] = forms.ChoiceField(
                label=purpose.label,
                choices=options,
                widget=forms.RadioSelect,
                # A consent purpose with no decision is left unanswered (it counts as no); the
                # parent need not answer everything at once.
                required=False,
                initial=initial_choices.get(purpose.pk, ""),
                help_text=purpose.explanation
                + (" Names may appear." if purpose.names_allowed else "")
                + ("" if purpose.needs_consent else " We use this unless you object."),
            )

    def choices(self) -> dict[Purpose, str]:
        return {
            p: self.cleaned_data[p.code.hex]
            for p in self.purposes
            if self.cleaned_data.get(p.code.hex)
        }


WHO_PUPIL = "pupil"


class RecordDecisionForm(forms.Form):
    purpose = forms.ChoiceField(label="Purpose")
    choice = forms.ChoiceField(label="Decision", choices=Choice.choices, widget=forms.RadioSelect)
    who = forms.ChoiceField(label="Who decided")
    method = forms.ChoiceField(
        label="How",
        choices=[(Method.PAPER, Method.PAPER.label), (Method.IN_PERSON, Method.IN_PERSON.label)],
    )

    def __init__(self, *args, purposes, guardians, pupil_may_decide: bool, **kw):
        super().__init__(*args, **kw)
        self.purpose_by_code = {p.code.hex: p for p in purposes}
        self.fields["purpose"].choices = [(p.code.hex, p.label) for p in purposes]
        self.guardian_by_code = {g.code.hex: g for g in guardians}
        who = [
            (g.code.hex, f"{g.full_name or g.email} ({g.relationship or 'parent or carer'})")
            for g in guardians
        ]
        if pupil_may_decide:
            who.append((WHO_PUPIL, "The pupil, for themselves"))
        self.fields["who"].choices = who


class MarkingForm(forms.Form):
    reason = forms.CharField(
        label="Why (only the DSL and the head will ever see this)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class GroupForm(forms.Form):
    """A purpose and a group of pupils: a class, a year group."""

    purpose = forms.ChoiceField(label="Purpose")
    school_class = forms.ChoiceField(label="Class", required=False)
    year_group = forms.ChoiceField(label="or a year group", required=False)

    def __init__(self, *args, purposes, classes, years, **kw):
        super().__init__(*args, **kw)
        self.fields["purpose"].choices = [(p.code.hex, p.label) for p in purposes]
        self.fields["school_class"].choices = [("", "—")] + [(c.code.hex, c.name) for c in classes]
        self.fields["year_group"].choices = [("", "—")] + [(y, y) for y in years]

    def clean(self):
        data = super().clean()
        if not data.get("school_class") and not data.get("year_group"):
            raise forms.ValidationError("Choose a class or a year group.")
        return data


class PublishForm(forms.Form):
    title = forms.CharField(label="What it is", max_length=200)
    channel = forms.ChoiceField(label="Where", choices=Channel.choices)
    reference = forms.CharField(label="Link or reference", max_length=500, required=False)
    published_on = forms.DateField(
        label="When", widget=forms.DateInput(attrs={"type": "date"}), required=False
    )


class ReshareForm(forms.Form):
    channel = forms.ChoiceField(label="Where it was re-shared", choices=Channel.choices)
    reference = forms.CharField(label="Link or reference", max_length=500, required=False)


class TakeDownCloseForm(forms.Form):
    how = forms.CharField(label="How it was removed", max_length=300)
    cannot_recall = forms.BooleanField(
        label="It cannot be recalled (for example a printed newsletter): the note says why",
        required=False,
    )


class PurposeForm(forms.ModelForm):
    class Meta:
        model = Purpose
        fields = [
            "label",
            "explanation",
            "lawful_basis",
            "names_allowed",
            "allows_alone_only",
            "order",
            "is_active",
        ]
        widgets = {"explanation": forms.Textarea(attrs={"rows": 3})}
        labels = {"lawful_basis": "Lawful basis", "is_active": "In use"}
        help_texts = {
            "lawful_basis": f"{LawfulBasis.CONSENT.label}: silence is no. Public task or "
            "legitimate interests: used unless someone objects.",
        }


class SettingsForm(forms.Form):
    own_decision_age = forms.IntegerField(
        label="Age from which pupils decide for themselves", min_value=8, max_value=18
    )
    renew_each_year = forms.BooleanField(
        label="Ask again at the start of each academic year", required=False
    )


class FormVersionForm(forms.Form):
    text = forms.CharField(
        label="New consent form text", widget=forms.Textarea(attrs={"rows": 6}), min_length=20
    )
