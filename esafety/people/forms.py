from django import forms
from django.contrib.auth import password_validation

from esafety.people.models import Role


class InvitationForm(forms.Form):
    email = forms.EmailField(help_text="They will get a link to set their password and sign in.")
    role = forms.ChoiceField(choices=Role.choices)

    def __init__(self, *args, allowed_roles: list[str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if allowed_roles is not None:
            self.fields["role"].choices = [c for c in Role.choices if c[0] in allowed_roles]

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(max_length=200, label="Your name")
    password1 = forms.CharField(
        label="Choose a password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters, not a common password.",
    )
    password2 = forms.CharField(
        label="Type the password again",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict:
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "The two passwords are different. Type them again.")
        elif p1:
            from esafety.people.models import User

            try:
                password_validation.validate_password(
                    p1, User(email=self.email, full_name=data.get("full_name", ""))
                )
            except forms.ValidationError as e:
                self.add_error("password1", e)
        return data


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file from your MIS",
        help_text="UTF-8 CSV with a header row. Up to 20 MB.",
    )

    MAX_BYTES = 20 * 1024 * 1024

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > self.MAX_BYTES:
            raise forms.ValidationError("The file is larger than 20 MB. Split it and try again.")
        if not f.name.lower().endswith(".csv"):
            raise forms.ValidationError("Upload a .csv file exported from your MIS.")
        return f


class PupilSearchForm(forms.Form):
    # Each word becomes a filter, so a search is kept to a sentence's length.
    q = forms.CharField(required=False, label="Name or MIS id", max_length=100)


class ClassTeacherForm(forms.Form):
    school_class = forms.UUIDField(widget=forms.HiddenInput)
    teacher = forms.ChoiceField(label="Class teacher", required=False)

    def __init__(self, *args, teachers=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["teacher"].choices = [("", "No class teacher")] + [
            (str(t.code), t.full_name or t.email) for t in teachers
        ]
