"""A school's purposes, consent form and settings: sensible primary-school defaults on first
use, which the school then changes."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from consent.models import ConsentSettings, FormVersion, LawfulBasis, Purpose
from consent.services.common import ConsentError, audit
from esafety.people.models import School, User

C, PT = LawfulBasis.CONSENT, LawfulBasis.PUBLIC_TASK
# (label, explanation, basis, names allowed, "on their own only" offered)
DEFAULT_PURPOSES = (
    (
        "Displays in school",
        "Photos of children's work and activities on classroom and corridor displays, seen by "
        "pupils, staff and visitors. We use these as part of our job as a school unless you "
        "object.",
        PT,
        True,
        False,
    ),
    (
        "Learning records",
        "Photos and short videos in your child's learning journal and assessment records, seen "
        "by staff and by you. We use these as part of our job as a school unless you object.",
        PT,
        False,
        False,
    ),
    (
        "School website",
        "Photos on the school's public website. Children are never named.",
        C,
        False,
        True,
    ),
    (
        "Newsletter",
        "Photos in the newsletter sent home and shown on the website. Children are never named.",
        C,
        False,
        True,
    ),
    (
        "Official social media",
        "Photos and videos on the school's own social media accounts. Children are never named.",
        C,
        False,
        True,
    ),
    (
        "Press, without names",
        "Photos given to local newspapers for a story about the school, with no names.",
        C,
        False,
        True,
    ),
    (
        "Press, with names",
        "Photos given to local newspapers with your child's first name and surname.",
        C,
        True,
        False,
    ),
    (
        "External photographer",
        "The school photographer's individual, class and group photos, which you may buy.",
        C,
        False,
        True,
    ),
    (
        "Video of performances",
        "Recordings of plays, concerts and assemblies, shared with the families of the children "
        "taking part.",
        C,
        False,
        False,
    ),
)

DEFAULT_FORM = """\
We would like to use photos and videos of your child for the purposes below. For each one you \
can say yes or no, and where it is offered, "on their own only, never in group photos". You can \
change your mind at any time on this page, and we will take down what we can of anything \
already used. From the age of 12 your child decides for themselves too: where you both decide, \
the stricter choice stands. Some uses are part of our job as a school: we make them unless you \
object."""


@transaction.atomic
def consent_setup(*, school: School, actor: User | None = None) -> bool:
    """Give the school its settings, the default purposes and a first consent form, once.
    Returns whether anything was made (a second call, or a race, makes nothing)."""
    if Purpose.objects.filter(school=school).exists():
        return False
    try:
        with transaction.atomic():
            ConsentSettings.objects.get_or_create(school=school)
            for order, (label, text, basis, names, alone) in enumerate(DEFAULT_PURPOSES):
                Purpose.objects.create(
                    school=school,
                    label=label,
                    explanation=text,
                    lawful_basis=basis,
                    names_allowed=names,
                    allows_alone_only=alone,
                    order=(order + 1) * 10,
                )
            form = FormVersion.objects.create(
                school=school, number=1, text=DEFAULT_FORM, published_by=actor
            )
    except IntegrityError:
        return False
    audit(actor, school, "consent.setup", form, f"{len(DEFAULT_PURPOSES)} default purposes")
    return True


def _clean(purpose: Purpose) -> None:
    try:
        purpose.full_clean(exclude=["school"])
    except ValidationError as e:
        raise ConsentError(" ".join(e.messages)) from None


@transaction.atomic
def purpose_create(
    *,
    actor: User,
    school: School,
    label: str,
    explanation: str,
    lawful_basis: str,
    names_allowed: bool = False,
    allows_alone_only: bool = False,
    order: int = 100,
) -> Purpose:
    if Purpose.objects.filter(school=school, label__iexact=label.strip()).exists():
        raise ValidationError({"label": "There is already a purpose with this name."})
    purpose = Purpose(
        school=school,
        label=label.strip(),
        explanation=explanation.strip(),
        lawful_basis=lawful_basis,
        names_allowed=names_allowed,
        allows_alone_only=allows_alone_only,
        order=order,
    )
    _clean(purpose)
    purpose.save()
    audit(actor, school, "consent.purpose_created", purpose, f"{label}, {lawful_basis}")
    return purpose


@transaction.atomic
def purpose_update(*, actor: User, purpose: Purpose, **changes: object) -> Purpose:
    """Change a purpose's wording, basis or options, or switch it off. Decisions already made
    keep the consent form they were made on."""
    allowed = {"label", "explanation", "lawful_basis", "names_allowed", "allows_alone_only"}
    allowed |= {"order", "is_active"}
    for name, value in changes.items():
        if name not in allowed:
            raise ValueError(name)
        setattr(purpose, name, value.strip() if isinstance(value, str) else value)
    clash = Purpose.objects.filter(school=purpose.school, label__iexact=purpose.label)
    if clash.exclude(pk=purpose.pk).exists():
        raise ValidationError({"label": "There is already a purpose with this name."})
    _clean(purpose)
    purpose.save()
    audit(actor, purpose.school, "consent.purpose_changed", purpose, ", ".join(sorted(changes)))
    return purpose


@transaction.atomic
def form_version_publish(*, actor: User, school: School, text: str) -> FormVersion:
    text = text.strip()
    if len(text) < 20:
        raise ValidationError({"text": "Write the text parents read before they decide."})
    last = FormVersion.objects.filter(school=school).order_by("-number").first()
    form = FormVersion.objects.create(
        school=school, number=(last.number + 1 if last else 1), text=text, published_by=actor
    )
    audit(actor, school, "consent.form_published", form, f"v{form.number}")
    return form


@transaction.atomic
def settings_update(
    *, actor: User, school: School, own_decision_age: int, renew_each_year: bool
) -> ConsentSettings:
    settings, _ = ConsentSettings.objects.get_or_create(school=school)
    settings.own_decision_age = own_decision_age
    settings.renew_each_year = renew_each_year
    try:
        settings.full_clean(exclude=["school"])
    except ValidationError as e:
        raise ValidationError(e.message_dict) from None
    settings.save()
    audit(
        actor,
        school,
        "consent.settings_changed",
        settings,
        f"own decision from {own_decision_age}, renew each year: {renew_each_year}",
    )
    return settings
