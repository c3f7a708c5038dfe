from django import forms

from esafety.people.models import User


class AuditFilterForm(forms.Form):
    person = forms.TypedChoiceField(required=False, coerce=str, empty_value=None)
    object_code = forms.CharField(required=False, label="Record code", max_length=64)
    date_from = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, school, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        people = (
            User.objects.filter(memberships__school=school)
            .exclude(memberships__role="parent")
            .distinct()
            .order_by("full_name", "email")
            .values_list("code", "full_name", "email")
        )
        self.fields["person"].choices = [("", "Anyone")] + [
            (str(code), name or email) for code, name, email in people
        ]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The end date is before the start date.")
        return data
