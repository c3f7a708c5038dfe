"""Forms for accepting: they validate and normalise, and never save."""

import uuid

from django import forms

from policies.models import Method

NAME_MAX = 200


def _typed_name_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=NAME_MAX,
        help_text="Your typed name is your signature.",
        error_messages={
            "required": "Type your full name as your signature.",
            "max_length": "Type your name in 200 characters or fewer.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


def _clean_name(value: str, message: str) -> str:
    name = " ".join(value.split())
    if len(name) < 2:
        raise forms.ValidationError(message)
    return name


class AcceptForm(forms.Form):
    """Accept a version for oneself, or (with a pupil) co-sign a child's AUP."""

    version = forms.UUIDField(widget=forms.HiddenInput)
    pupil = forms.UUIDField(widget=forms.HiddenInput, required=False)
    agree = forms.BooleanField(
        label="I have read and accept this policy",
        error_messages={"required": "Tick the box to say you have read and accept it."},
    )
    typed_name = _typed_name_field("Your full name")

    def __init__(self, *args, child_name: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if child_name:
            agree = self.fields["agree"]
            agree.label = f"I have read this agreement with {child_name} and co-sign it for them"
            agree.error_messages["required"] = (
                f"Tick the box to co-sign the agreement for {child_name}."
            )

    def clean_typed_name(self) -> str:
        return _clean_name(
            self.cleaned_data["typed_name"], "Type your full name as your signature."
        )


class ClassSignoffForm(forms.Form):
    """The pupils of one key stage who signed their AUP, ticked one by one."""

    version = forms.UUIDField(widget=forms.HiddenInput)
    pupils = forms.MultipleChoiceField(
        label="Pupils who signed",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick at least one pupil who signed the agreement."},
    )
    method = forms.ChoiceField(
        label="How they signed",
        choices=[(Method.IN_CLASS, "In class"), (Method.PAPER, "On a paper form")],
        initial=Method.IN_CLASS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose in class or on a paper form."},
    )

    def __init__(self, *args, pupils=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pupils"].choices = [(str(p.code), p.full_name) for p in pupils]

    def error_summary(self) -> list[tuple[str, str]]:
        """For the error summary (templates/_form_errors.html): the page draws the pupils' ticks
        itself, among those already signed, so their error leads to the whole list."""
        items: list[tuple[str, str]] = [("", str(e)) for e in self.non_field_errors()]
        for name in ("pupils", "method", "version"):
            bound = self[name]
            anchor = {"pupils": f"{bound.auto_id}-list", "method": f"{bound.auto_id}_0"}
            items.extend((anchor.get(name, ""), str(e)) for e in bound.errors)
        return items


class KioskLinkForm(forms.Form):
    label = forms.CharField(
        label="Where the tablet is",
        max_length=100,
        help_text="For example Main reception. Only staff see this name.",
        error_messages={"required": "Say where the tablet is, for example Main reception."},
    )

    def clean_label(self) -> str:
        return " ".join(self.cleaned_data["label"].split())


class KioskRevokeForm(forms.Form):
    link = forms.UUIDField(widget=forms.HiddenInput)


class VisitorForm(forms.Form):
    # A shared tablet must not offer the last visitor's name to the next one.
    _off = {"autocomplete": "off", "autocapitalize": "words"}

    # A fresh key with every blank form: the same submission sent twice records one visitor.
    submission = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    name = forms.CharField(
        label="Your name",
        max_length=NAME_MAX,
        error_messages={"required": "Type your name."},
        widget=forms.TextInput(attrs=_off),
    )
    organisation = forms.CharField(
        label="Your organisation",
        max_length=NAME_MAX,
        required=False,
        help_text="Leave empty if you are visiting on your own behalf.",
        widget=forms.TextInput(attrs=_off),
    )
    visiting = forms.CharField(
        label="Who you are visiting",
        max_length=NAME_MAX,
        error_messages={"required": "Say who you are visiting."},
        widget=forms.TextInput(attrs=_off),
    )
    agree = forms.BooleanField(
        label="I have read and accept the visitors' agreement",
        error_messages={"required": "Tick the box to say you have read and accept it."},
    )
    typed_name = forms.CharField(
        label="Sign by typing your full name",
        max_length=NAME_MAX,
        error_messages={"required": "Type your name to sign the agreement."},
        widget=forms.TextInput(attrs=_off),
    )

    def clean_name(self) -> str:
        return _clean_name(self.cleaned_data["name"], "Type your name.")

    def clean_visiting(self) -> str:
        return _clean_name(self.cleaned_data["visiting"], "Say who you are visiting.")

    def clean_organisation(self) -> str:
        return " ".join(self.cleaned_data["organisation"].split())

    def clean_typed_name(self) -> str:
        return _clean_name(self.cleaned_data["typed_name"], "Type your name to sign.")
