"""The form a member of staff logs a concern with. It checks and normalises; the service saves."""

import datetime
from uuid import UUID

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from esafety.people.models import Pupil, School, User
from esafety.people.selectors import active_staff
from incidents import selectors
from incidents.categories import CATEGORIES, Category
from incidents.evidence import MAX_BYTES, MAX_FILES
from incidents.models import PupilRole
from incidents.services import InvolvedPupil

# What a file input offers to pick; the server still checks each file's contents.
ACCEPT = "image/png,image/jpeg,image/gif,image/webp,application/pdf"
# A clock a few minutes fast on a phone should not stop someone logging a concern.
FUTURE_SLACK = datetime.timedelta(minutes=10)
# The earliest "when it happened" taken: far enough back for a historic disclosure by any pupil
# (a sixth-former's whole childhood), near enough to catch a mistyped year such as 0026 or 1926.
EARLIEST_YEARS = 20
# Words a person types, not a document pasted whole: a long account is welcome, a book is not.
MAX_NARRATIVE = 20_000


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class TickBox(forms.CheckboxInput):
    """A checkbox that passes on exactly what was sent, for TickBoxField to judge; a browser
    sends "on" for a ticked box with no value of its own, and nothing for an unticked one."""

    TICKED = "on"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, check_test=lambda value: value is True or value == self.TICKED)

    def format_value(self, value) -> None:
        return None  # no value attribute, so a ticked box always sends "on"

    def value_from_datadict(self, data, files, name):
        return data.get(name)


class TickBoxField(forms.Field):
    """Ticked or not, and nothing else: Django's BooleanField counts any other text as ticked,
    so a forged "definitely" would flag a child at immediate risk."""

    widget = TickBox
    default_error_messages = {"invalid": "Tick the box, or leave it empty."}

    def __init__(self, **kwargs) -> None:
        super().__init__(required=False, **kwargs)

    def to_python(self, value) -> bool:
        if value in (None, "", False):
            return False
        if value is True or value == TickBox.TICKED:
            return True
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class PupilCodesField(forms.Field):
    """The codes of the pupils ticked on the form (name "pupil", one value per pupil)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[UUID]:
        codes = []
        for raw in value or []:
            try:
                code = UUID(str(raw))
            except ValueError:
                raise forms.ValidationError(
                    "A pupil on the form is not one of this school's pupils on roll. Remove "
                    "them and find the pupil again by name."
                ) from None
            if code not in codes:
                codes.append(code)
        return codes


def now_local() -> datetime.datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


class ConcernForm(forms.Form):
    category = forms.ChoiceField(
        label="What is the concern about?",
        choices=Category.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": "Choose what the concern is about."},
    )
    immediate_risk = TickBoxField(
        label="A child is at immediate risk",
        help_text="If so, call 999 now and tell the DSL in person.",
    )
    told_dsl_in_person = forms.TypedChoiceField(
        label="Have you told the DSL in person?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether you have told the DSL in person."},
    )
    pupil = PupilCodesField(required=False, label="Pupils involved")
    pupil_query = forms.CharField(
        label="Find a pupil",
        required=False,
        max_length=100,
        help_text="Type part of a first name or surname.",
    )
    # No max_length here: it would put maxlength on the textarea, and a browser cuts a pasted
    # account short at that length without a word. clean_what_happened says so instead.
    what_happened = forms.CharField(
        label="What happened?",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What you saw or were told, in the child's own words where you can. Facts, "
        f"not opinions. At most {MAX_NARRATIVE:,} characters.",
        error_messages={"required": "Write what happened."},
    )
    occurred_at = forms.DateTimeField(
        label="When did it happen?",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": "Say when it happened (roughly is fine).",
            "invalid": "Enter the date and time it happened, for example 14/03/2026 10:30.",
        },
    )
    location = forms.CharField(
        label="Where?",
        required=False,
        max_length=200,
        help_text="For example the Year 5 classroom, the bus, or online at home.",
    )
    staff = forms.ModelMultipleChoiceField(
        label="Staff involved",
        queryset=User.objects.none(),
        required=False,
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        help_text="Anyone you name here will not see this concern.",
        error_messages={
            "invalid_choice": "Choose staff from this school's list only.",
            "invalid_pk_value": "Choose staff from this school's list only.",
        },
    )
    files = MultipleFileField(
        label="Evidence: screenshots",
        required=False,
        widget=MultipleFileInput(attrs={"accept": ACCEPT}),
        help_text=f"PNG, JPEG, GIF, WebP or PDF, up to {MAX_BYTES // (1024 * 1024)} MB each, "
        f"at most {MAX_FILES}. Never for sharing nudes, online sexual abuse or indecent images "
        "of children.",
    )

    def __init__(self, *args, school: School, reporter: User, **kwargs) -> None:
        kwargs.setdefault("initial", {"occurred_at": now_local()})
        super().__init__(*args, **kwargs)
        self.school = school
        self.reporter = reporter
        # A form sent with nobody ticked never reads the list (an empty choice is valid), so
        # the query is only built for a form that shows it or checks a choice.
        if not self.is_bound or self.data.get("staff"):
            self.fields["staff"].queryset = self._staff()
        self.involved: list[InvolvedPupil] = []
        self.source: QueryDict | None = None

    def _staff(self) -> QuerySet[User]:
        return active_staff(school=self.school).exclude(pk=self.reporter.pk)

    def staff_checkboxes(self) -> SafeString:
        """A checkbox for each member of staff the reporter may name, in crispy's Bootstrap 5
        markup, built here: at 140 staff crispy's template took 55 ms of the page's 80, and a
        template loop 25 (_staff_picker.html draws the rest of the field)."""
        ticked = {str(code) for code in self["staff"].value() or ()}
        invalid = " is-invalid" if self["staff"].errors else ""
        return format_html_join(
            "\n",
            '<div class="form-check"><input type="checkbox" class="form-check-input{}" '
            'name="staff" value="{}" id="id_staff_{}"{}>'
            '<label for="id_staff_{}" class="form-check-label">{}</label></div>',
            (
                (invalid, code, i, " checked" if str(code) in ticked else "", i, name)
                for i, (code, name) in enumerate(self._staff().values_list("code", "full_name"))
            ),
        )

    @classmethod
    def redisplay(cls, data: QueryDict, **kwargs) -> "ConcernForm":
        """The form as the person left it, not yet judged: the search-for-a-pupil button shows
        the form again with what was typed, without a page of errors about fields not done."""
        initial = {
            name: field.widget.value_from_datadict(data, {}, name)
            for name, field in cls.base_fields.items()
            if name != "files"
        }
        form = cls(initial=initial, **kwargs)
        form.source = data
        return form

    # Where each field's message in the error summary takes you: the first choice of a group.
    ANCHORS = {
        "category": "id_category_0",
        "told_dsl_in_person": "id_told_dsl_in_person_0",
        "pupil": "id_pupil_query",
        "staff": "id_staff_0",
    }

    def error_summary(self) -> list[tuple[str, str]]:
        items = []
        for name, errors in self.errors.items():
            anchor = "" if name == NON_FIELD_ERRORS else self.ANCHORS.get(name, self[name].auto_id)
            items.extend((anchor, str(message)) for message in errors)
        return items

    def immediate_risk_ticked(self) -> bool:
        """Whether the box shows ticked, so the 999 alert shows with the form."""
        return self.fields["immediate_risk"].widget.check_test(self["immediate_risk"].value())

    def clean_occurred_at(self) -> datetime.datetime:
        value = self.cleaned_data["occurred_at"]
        now = timezone.now()
        if value > now + FUTURE_SLACK:
            raise forms.ValidationError("When it happened cannot be in the future.")
        if value < now - datetime.timedelta(days=round(365.25 * EARLIEST_YEARS)):
            raise forms.ValidationError(
                f"When it happened is more than {EARLIEST_YEARS} years ago: check the year."
            )
        return value

    def clean_what_happened(self) -> str:
        value = self.cleaned_data["what_happened"].strip()
        if not value:
            raise forms.ValidationError("Write what happened.")
        return narrative_within_limit(value)

    def clean(self) -> dict:
        data = super().clean()
        # An allegation is about someone: without them named, it cannot be kept from them, nor
        # sent to the chair when it is about the head.
        if (
            data.get("category") == Category.STAFF_CONDUCT
            and not data.get("staff")
            and "staff" not in self.errors
        ):
            self.add_error(
                "staff",
                "Name the member of staff this concern is about: tick them under “Staff "
                "involved”. They will not see it.",
            )
        return data

    def clean_location(self) -> str:
        return self.cleaned_data["location"].strip()

    def clean_pupil(self) -> list[UUID]:
        codes = self.cleaned_data["pupil"]
        # Only pupils of this school on roll: a code copied from anywhere else is refused,
        # never quietly attached. Their classes are not shown from here (chosen_pupils reads
        # them to show the form again).
        found = selectors.pupils_on_roll_by_code(school=self.school, codes=codes, with_class=False)
        if len(found) != len(codes):
            raise forms.ValidationError(
                "A pupil on the form is not one of this school's pupils on roll. Remove them "
                "and find the pupil again by name."
            )
        involved = []
        for code in codes:
            role = self.data.get(f"role_{code}", "")
            if role not in PupilRole.values:
                raise forms.ValidationError(
                    f"Choose whether {found[code]} was affected, alleged to be responsible or a "
                    "witness."
                )
            involved.append(InvolvedPupil(found[code], role))
        self.involved = involved
        return codes

    def chosen_pupils(self) -> list[tuple[Pupil, str]]:
        """The pupils ticked on the form, each with its role, to show the form again."""
        data = self.data if self.is_bound else self.source
        if data is None:
            return []
        codes = []
        for value in data.getlist("pupil"):
            try:
                code = UUID(str(value))
            except ValueError:
                continue
            if code not in codes:
                codes.append(code)
        found = selectors.pupils_on_roll_by_code(school=self.school, codes=codes)
        return [
            (found[c], data.get(f"role_{c}") or PupilRole.AFFECTED) for c in codes if c in found
        ]


def narrative_within_limit(value: str) -> str:
    if len(value) > MAX_NARRATIVE:
        raise forms.ValidationError(
            f"This is {len(value):,} characters long: keep it to {MAX_NARRATIVE:,}. Write the "
            "facts the DSL needs now; they will ask you for more."
        )
    return value


class InformationForm(forms.Form):
    """Something the reporter has learnt since logging the concern, for the DSL."""

    text = forms.CharField(
        label="What have you seen or been told since?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For the DSL. Once added, it is not shown here again. If it is urgent, tell "
        "the DSL in person too.",
        error_messages={"required": "Write what you want to add."},
    )

    def clean_text(self) -> str:
        value = self.cleaned_data["text"].strip()
        if not value:
            raise forms.ValidationError("Write what you want to add.")
        return narrative_within_limit(value)


def guidance() -> list[dict]:
    """Each category's guidance, in the order of the choices, for the form to show."""
    return [
        {
            "key": key,
            "label": label,
            "do_now": CATEGORIES[key].do_now,
            "never": CATEGORIES[key].never,
            "allows_attachments": CATEGORIES[key].allows_attachments,
            "attachments_refused_because": CATEGORIES[key].attachments_refused_because,
        }
        for key, label in Category.choices
    ]
