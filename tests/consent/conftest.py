import datetime
from dataclasses import dataclass

import pytest

from consent.models import Purpose
from consent.services.setup import consent_setup
from esafety.people.models import Guardian, Pupil
from tests.factories import GuardianFactory, PupilFactory, SchoolClassFactory


@dataclass
class Setup:
    school: object
    purposes: dict[str, Purpose]

    @property
    def website(self) -> Purpose:
        return self.purposes["School website"]

    @property
    def display(self) -> Purpose:
        return self.purposes["Displays in school"]

    @property
    def press(self) -> Purpose:
        return self.purposes["Press, with names"]


@pytest.fixture
def consent(personas) -> Setup:
    consent_setup(school=personas.school, actor=personas.office)
    return Setup(
        school=personas.school,
        purposes={p.label: p for p in Purpose.objects.filter(school=personas.school)},
    )


def born_years_ago(age: int, today: datetime.date | None = None) -> datetime.date:
    """A date of birth making the pupil `age` (their birthday a day past)."""
    today = today or datetime.date.today()
    return today.replace(year=today.year - age) - datetime.timedelta(days=1)


@pytest.fixture
def family(personas, consent):
    """Two children of personas.parent (parental responsibility), in one class."""
    school_class = SchoolClassFactory(school=personas.school, name="5A")
    kids = [
        PupilFactory(
            school=personas.school, first_name=name, last_name="Parent", school_class=school_class
        )
        for name in ("Ada", "Ben")
    ]
    for kid in kids:
        Guardian.objects.create(
            pupil=kid, email=personas.parent.email, user=personas.parent, full_name="Pat Parent"
        )
    return kids


def child_with_guardian(school, **kw) -> tuple[Pupil, Guardian]:
    pupil = PupilFactory(school=school, **kw)
    return pupil, GuardianFactory(pupil=pupil)
