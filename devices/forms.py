"""The devices app's forms: they validate and normalise, and never save."""

from django import forms

from devices.models import DeviceKind, EquipmentKind, ExceptionReason, Search
from esafety.people.models import STAFF_ROLES, Guardian, Pupil, School, User
from esafety.people.templatetags.fields import DrawnOnce

OTHER = "other"


def _pupils(school: School):
    return (
        Pupil.objects.filter(school=school, left_date__isnull=True)
        .select_related("school_class")
        .order_by("last_name", "first_name")
    )


class PupilChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Pupil) -> str:
        klass = obj.school_class.name if obj.school_class else obj.year_group
        return f"{obj.last_name}, {obj.first_name} ({klass})"


class StaffChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name()


def _staff(school: School):
    return (
        User.objects.filter(
            memberships__school=school,
            memberships__role__in=STAFF_ROLES,
            memberships__is_active=True,
        )
        .distinct()
        .order_by("full_name", "email")
    )


def _date() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"})


class DeskSearchForm(forms.Form):
    q = forms.CharField(label="Find a pupil by name or class", required=False, max_length=100)


class CheckInForm(forms.Form):
    condition = forms.CharField(label="Damage (only if damaged)", required=False, max_length=200)


class ExceptionForm(forms.Form):
    pupil = PupilChoice(queryset=Pupil.objects.none(), to_field_name="code")
    reason = forms.ChoiceField(choices=ExceptionReason.choices)
    detail = forms.CharField(
        label="Details",
        required=False,
        max_length=300,
        help_text="What the family asked for; for a medical need, which plan it is part of.",
    )
    starts_on = forms.DateField(label="From", widget=_date())
    ends_on = forms.DateField(label="Until", required=False, widget=_date())
    review_due = forms.DateField(label="Review due", widget=_date())

    def __init__(self, *args, school: School, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pupil"].queryset = _pupils(school)


class ReviewForm(forms.Form):
    review_due = forms.DateField(label="Next review due", widget=_date())


class ConfiscateForm(forms.Form):
    pupil = PupilChoice(queryset=Pupil.objects.none(), to_field_name="code")
    kind = forms.ChoiceField(label="Device", choices=DeviceKind.choices)
    description = forms.CharField(
        max_length=200, help_text="Make, colour, case. Never what is on it."
    )
    reason = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    held_at = forms.CharField(label="Where it is held", max_length=200, initial="Office safe")
    condition = forms.CharField(label="Its condition", required=False, max_length=200)
    medical_confirmed = forms.BooleanField(
        label="This is a medical-exception phone and a senior leader has agreed it is taken",
        required=False,
    )

    def __init__(self, *args, school: School, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pupil"].queryset = _pupils(school)


class SearchForm(forms.Form):
    pupil = PupilChoice(queryset=Pupil.objects.none(), to_field_name="code")
    of = forms.ChoiceField(label="What was searched", choices=Search.Of.choices)
    authorised_by = StaffChoice(queryset=User.objects.none(), to_field_name="code")
    searched_by = StaffChoice(queryset=User.objects.none(), to_field_name="code")
    witnessed_by = StaffChoice(queryset=User.objects.none(), to_field_name="code")
    reason = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    found = forms.CharField(label="What was found", max_length=500, required=False)

    def __init__(self, *args, school: School, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pupil"].queryset = _pupils(school)
        staff = _staff(school)
        for name in ("authorised_by", "searched_by", "witnessed_by"):
            self.fields[name].queryset = staff


class MoveForm(forms.Form):
    place = forms.CharField(label="Moved to (a place)", required=False, max_length=200)
    person = forms.CharField(label="Or handed to (a person)", required=False, max_length=200)


class ReleaseForm(forms.Form):
    to = forms.ChoiceField(label="Released to", widget=forms.RadioSelect)
    other_name = forms.CharField(label="The other adult's name", required=False, max_length=200)
    other_reason = forms.CharField(
        label="Why someone other than a parent or carer", required=False, max_length=300
    )
    signature = forms.CharField(
        label="Signature of the person collecting it (typed full name)",
        max_length=200,
        error_messages={"required": "The person collecting it types their full name."},
    )

    def __init__(self, *args, guardians: list[Guardian], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.guardians = {str(g.code): g for g in guardians}
        self.fields["to"].choices = [
            (str(g.code), f"{g.full_name or g.email} ({g.relationship or 'parent or carer'})")
            for g in guardians
        ] + [(OTHER, "Another adult (name them and say why)")]

    def guardian(self) -> Guardian | None:
        return self.guardians.get(self.cleaned_data["to"])


class EvidenceForm(DrawnOnce, forms.Form):
    link = forms.CharField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label="Device", choices=DeviceKind.choices)
    description = forms.CharField(max_length=200, help_text="Make, colour, case.")
    sealed_bag = forms.CharField(label="Sealed bag number", max_length=50)
    held_at = forms.CharField(label="Where it is locked away", max_length=200)
    reason = forms.CharField(label="Why it is held", max_length=500)


class PoliceForm(forms.Form):
    reference = forms.CharField(label="Police reference", max_length=100)
    officer = forms.CharField(label="Officer's name and number", max_length=200)


class EvidenceReleaseForm(forms.Form):
    police_advice = forms.CharField(
        label="What the police advised", max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    to_name = forms.CharField(label="Released to", max_length=200)
    signature = forms.CharField(label="Their signature (typed full name)", max_length=200)


class EquipmentForm(forms.Form):
    asset_tag = forms.CharField(max_length=50)
    kind = forms.ChoiceField(choices=EquipmentKind.choices)
    description = forms.CharField(required=False, max_length=200)
    encrypted = forms.BooleanField(label="Its storage is encrypted", required=False)


class CheckOutForm(forms.Form):
    member = StaffChoice(
        label="Taken off site by", queryset=User.objects.none(), to_field_name="code"
    )

    def __init__(self, *args, school: School, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = _staff(school)


class SettingsForm(forms.Form):
    end_of_day = forms.TimeField(
        label="End of the school day",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="Phones still at the hand-in desk then alert the office, once.",
    )
    held_days = forms.IntegerField(
        label="Days a confiscated device may be held",
        min_value=1,
        max_value=60,
        help_text="After this the office is reminded each day until it goes back.",
    )
