import datetime

from django import forms
from django.utils import timezone

from esafety.reports import periods
from esafety.reports.models import MAX_THRESHOLD
from esafety.reports.periods import Period

# A report over more than three years is not a governors' report; it would also be slow.
LONGEST = datetime.timedelta(days=3 * 366)


def period_choices(school) -> list[tuple[str, str]]:
    today = timezone.localdate()
    choices = []
    term = periods.term_of(school, today)
    for _ in range(6):
        choices.append((f"term:{term.start:%Y-%m-%d}", term.label))
        term = periods.previous(school, term)
    year = periods.year_of(school, today)
    for _ in range(3):
        choices.append((f"year:{year.start:%Y-%m-%d}", year.label))
        year = periods.previous(school, year)
    choices.append(("custom", "Two dates of your choosing"))
    return choices


class PeriodForm(forms.Form):
    period = forms.ChoiceField(label="Period")
    start = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        self.fields["period"].choices = period_choices(school)

    def clean(self):
        data = super().clean()
        choice = data.get("period")
        if not choice:
            return data
        if choice == "custom":
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise forms.ValidationError("Give both dates for a period of your choosing.")
            if end < start:
                self.add_error("end", "The end must be on or after the start.")
            elif end - start > LONGEST:
                self.add_error("end", "A report covers at most three years.")
            else:
                data["chosen"] = periods.custom(start, end)
            return data
        kind, _, day = choice.partition(":")
        start = datetime.date.fromisoformat(day)
        data["chosen"] = (
            periods.term_of(self.school, start)
            if kind == "term"
            else periods.year_of(self.school, start)
        )
        return data

    @property
    def chosen(self) -> Period:
        return self.cleaned_data["chosen"]


class SettingsForm(forms.Form):
    sections = forms.MultipleChoiceField(
        label="Sections the board's report has",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    threshold = forms.IntegerField(
        label="Hide counts up to",
        min_value=1,
        max_value=MAX_THRESHOLD,
        help_text="Counts from 1 to this number are shown as “fewer than” the next. "
        "Official statistics use 4 or more.",
    )

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sections"].choices = [(s.key, s.title) for s in sections]
