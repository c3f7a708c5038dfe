from django import forms


class AuditFilterForm(forms.Form):
    person = forms.TypedChoiceField(required=False, coerce=str, empty_value=None)
    object_code = forms.CharField(required=False, label="Record code", max_length=64)
    date_from = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, people: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "Anyone"), *people]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The end date is before the start date.")
        return data


class AuditPageForm(forms.Form):
    """Which page of the log: the id an older page starts before, or a newer one starts after.
    A cursor that is not a number is no cursor (the newest page), never an error."""

    before = forms.IntegerField(required=False, min_value=1)
    after = forms.IntegerField(required=False, min_value=0)

    def cursor(self) -> dict[str, int | None]:
        if not self.is_valid():
            return {"before": None, "after": None}
        return {"before": self.cleaned_data["before"], "after": self.cleaned_data["after"]}
