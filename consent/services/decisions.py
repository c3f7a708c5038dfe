"""Decisions (append-only) by parents online or recorded by staff, the pupil's own decision,
and the "do not photograph" marking. A change to no opens the take-downs it needs."""

from collections.abc import Mapping

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from consent import rules
from consent.models import Choice, Decision, FormVersion, Marking, Method, Purpose, TakeDownReason
from consent.selectors import (
    MARKING_ROLES,
    active_marking,
    current_form,
    settings_of,
    states_for,
)
from consent.services.common import ConsentError, audit, roles_at
from consent.services.takedowns import takedowns_open_for
from esafety.audit.services import Entry, audit_record_many
from esafety.notify.models import Message
from esafety.notify.services import message_queue
from esafety.people.models import Guardian, Pupil, Role, User

# Who records a paper form, an in-person decision or a pupil's own decision.
RECORDING_ROLES = {Role.OFFICE, Role.HEAD, Role.DSL, Role.DEPUTY_DSL}


def _form(pupil: Pupil) -> FormVersion:
    form = current_form(school=pupil.school)
    if form is None:
        raise ConsentError("The school has no consent form yet.")
    return form


def _check_choice(purpose: Purpose, choice: str) -> None:
    if purpose.school_id is None or not purpose.is_active:
        raise ConsentError("This purpose is no longer in use.")
    if choice not in Choice.values:
        raise ConsentError("Choose yes or no.")
    if choice == Choice.ALONE_ONLY and not purpose.allows_alone_only:
        raise ConsentError(f'"On their own only" is not offered for {purpose.label}.')


def _withdraw(actor: User | None, pupil: Pupil, purposes: list[Purpose], before: dict) -> None:
    """Open take-downs wherever the pupil's state just became stricter."""
    after = states_for(school=pupil.school, pupils=[pupil], purposes=purposes)
    for purpose in purposes:
        old, new = before[(pupil.pk, purpose.pk)], after[(pupil.pk, purpose.pk)]
        if new.answer is rules.Answer.MAY_NOT and old.answer is not rules.Answer.MAY_NOT:
            takedowns_open_for(
                actor=actor, pupil=pupil, purposes=[purpose], reason=TakeDownReason.WITHDRAWN
            )
        elif new.answer is rules.Answer.ALONE_ONLY and old.answer is rules.Answer.MAY:
            takedowns_open_for(
                actor=actor,
                pupil=pupil,
                purposes=[purpose],
                reason=TakeDownReason.WITHDRAWN,
                group_only=True,
            )


def _save(decisions: list[Decision], actor: User, pupil: Pupil, how: str) -> None:
    for d in decisions:
        d.full_clean()
        d.save()
    audit_record_many(
        actor=actor,
        school=pupil.school,
        entries=[
            Entry(
                action="consent.decision_recorded",
                obj=d,
                summary=f"pupil MIS {pupil.mis_id}, {d.purpose.label}: {d.choice}, {how}",
            )
            for d in decisions
        ],
    )


@transaction.atomic
def decisions_record_online(
    *, actor: User, pupil: Pupil, choices: Mapping[Purpose, str]
) -> list[Decision]:
    """A parent with parental responsibility decides for their own child online. Only what
    changed is recorded; the parent is emailed that their choices changed (naming no child)."""
    guardian = (
        Guardian.objects.filter(
            pupil=pupil,
            user=actor,
            parental_responsibility=True,
            pupil__left_date__isnull=True,
        )
        .order_by("id")
        .first()
    )
    if guardian is None:
        raise ConsentError("You can decide only for your own children.")
    form = _form(pupil)
    latest = {
        d.purpose_id: d.choice
        for d in Decision.objects.filter(pupil=pupil, by_pupil=False).order_by("decided_at", "id")
    }
    purposes = list(choices)
    for purpose, choice in choices.items():
        if purpose.school_id != pupil.school_id:
            raise ConsentError("This purpose is not one of your child's school's.")
        _check_choice(purpose, choice)
    # A public-task purpose nobody has objected to already stands as "yes": saving that is
    # no decision.
    changed = [
        p
        for p in purposes
        if latest.get(p.pk, None if p.needs_consent else Choice.GRANTED) != choices[p]
    ]
    if not changed:
        return []
    before = states_for(school=pupil.school, pupils=[pupil], purposes=changed)
    made = [
        Decision(
            school=pupil.school,
            pupil=pupil,
            purpose=p,
            choice=choices[p],
            guardian=guardian,
            method=Method.ONLINE,
            recorded_by=actor,
            form_version=form,
        )
        for p in changed
    ]
    _save(made, actor, pupil, Method.ONLINE)
    _withdraw(actor, pupil, changed, before)
    school = pupil.school
    message_queue(
        kind=Message.Kind.ALERT,
        subject="Your photo and video consent choices have changed",
        body=f"Your photo and video consent choices at {school.name} have changed. "
        "You can see them, and change them again at any time, on your consent page.",
        link=reverse("consent:mine", args=[school.code]),
        school=school,
        recipient=actor,
    )
    return made


@transaction.atomic
def decision_record(
    *,
    actor: User,
    pupil: Pupil,
    purpose: Purpose,
    choice: str,
    method: str,
    guardian: Guardian | None = None,
    by_pupil: bool = False,
) -> Decision:
    """Staff record a decision made on paper or in person: a guardian's, or the pupil's own
    (from the school's age of own decision; the parents are then told)."""
    return decisions_record_form(
        actor=actor,
        pupil=pupil,
        choices={purpose: choice},
        method=method,
        guardian=guardian,
        by_pupil=by_pupil,
    )[0]


@transaction.atomic
def decisions_record_form(
    *,
    actor: User,
    pupil: Pupil,
    choices: Mapping[Purpose, str],
    method: str,
    guardian: Guardian | None = None,
    by_pupil: bool = False,
) -> list[Decision]:
    """One paper form (or conversation) with decisions on several purposes."""
    school = pupil.school
    if roles_at(actor, school).isdisjoint(RECORDING_ROLES):
        raise ConsentError("Only the office, the head and the DSLs record decisions.")
    if pupil.left_date is not None:
        raise ConsentError("This pupil has left: their consent has lapsed.")
    if method not in (Method.PAPER, Method.IN_PERSON):
        raise ConsentError("Record a paper form or a decision made in person.")
    if by_pupil == (guardian is not None):
        raise ConsentError("Say who decided: a parent or carer, or the pupil.")
    if guardian is not None and (
        guardian.pupil_id != pupil.pk or not guardian.parental_responsibility
    ):
        raise ConsentError("Only a parent or carer with parental responsibility decides.")
    for purpose, choice in choices.items():
        if purpose.school_id != school.pk:
            raise ConsentError("This purpose is not this school's.")
        _check_choice(purpose, choice)
    settings = settings_of(school=school)
    if by_pupil and not rules.decides_for_themselves(
        pupil.date_of_birth, timezone.localdate(), settings.own_decision_age
    ):
        raise ConsentError(
            f"Pupils decide for themselves from age {settings.own_decision_age}; "
            "record a parent's decision instead."
        )
    purposes = list(choices)
    before = states_for(school=school, pupils=[pupil], purposes=purposes)
    form = _form(pupil)
    made = [
        Decision(
            school=school,
            pupil=pupil,
            purpose=purpose,
            choice=choice,
            guardian=guardian,
            by_pupil=by_pupil,
            method=method,
            recorded_by=actor,
            form_version=form,
        )
        for purpose, choice in choices.items()
    ]
    _save(made, actor, pupil, f"{method}{', by the pupil' if by_pupil else ''}")
    _withdraw(actor, pupil, purposes, before)
    if by_pupil:
        _tell_parents(pupil)
    return made


def _tell_parents(pupil: Pupil) -> None:
    school = pupil.school
    link = reverse("consent:mine", args=[school.code])
    users = {
        g.user
        for g in Guardian.objects.filter(
            pupil=pupil, parental_responsibility=True, user__isnull=False, user__is_active=True
        ).select_related("user")
        if g.user is not None
    }
    for user in sorted(users, key=lambda u: u.pk):
        message_queue(
            kind=Message.Kind.ALERT,
            subject="Your child has made a photo consent decision",
            body=f"One of your children at {school.name} has made their own photo and video "
            "consent decision. Where you have both decided, the stricter choice stands.",
            link=link,
            school=school,
            recipient=user,
        )


@transaction.atomic
def marking_set(*, actor: User, pupil: Pupil, reason: str) -> Marking:
    """The DSL or head marks a pupil "do not photograph": refused on every purpose, and every
    use of them becomes a take-down."""
    school = pupil.school
    if roles_at(actor, school).isdisjoint(MARKING_ROLES):
        raise ConsentError("Only the DSL and the head mark a pupil.")
    reason = reason.strip()
    if not reason:
        raise ConsentError("Write why (only the DSL and the head will ever read it).")
    if active_marking(pupil=pupil) is not None:
        raise ConsentError("This pupil is already marked.")
    marking = Marking.objects.create(school=school, pupil=pupil, reason=reason, marked_by=actor)
    # The reason never goes in the audit trail: the event says only that a marking was made.
    audit(actor, school, "consent.marked", marking, f"pupil MIS {pupil.mis_id}")
    takedowns_open_for(
        actor=actor,
        pupil=pupil,
        purposes=list(Purpose.objects.filter(school=school)),
        reason=TakeDownReason.MARKED,
    )
    return marking


@transaction.atomic
def marking_lift(*, actor: User, pupil: Pupil) -> Marking:
    school = pupil.school
    if roles_at(actor, school).isdisjoint(MARKING_ROLES):
        raise ConsentError("Only the DSL and the head lift a marking.")
    marking = active_marking(pupil=pupil)
    if marking is None:
        raise ConsentError("This pupil is not marked.")
    marking.lifted_at = timezone.now()
    marking.lifted_by = actor
    marking.save(update_fields=["lifted_at", "lifted_by", "updated_at"])
    audit(actor, school, "consent.marking_lifted", marking, f"pupil MIS {pupil.mis_id}")
    return marking
