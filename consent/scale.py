"""Consent for the scale data set (manage.py seed_scale), in bulk: each school's settings, the
default purposes and form, a decision on every consent purpose for every pupil (a paper form
for most, online for some, a few changed minds), a marked pupil or two, and a term's uses with
re-shares and take-downs open and done. Decisions are append-only, so each is inserted as it
stays. Every word is invented."""

import datetime

from consent.models import (
    Channel,
    Choice,
    ConsentSettings,
    Decision,
    FormVersion,
    Marking,
    Method,
    Publication,
    PublicationPupil,
    Purpose,
    TakeDown,
    TakeDownReason,
)
from consent.services.setup import DEFAULT_FORM, DEFAULT_PURPOSES
from esafety.people.models import Guardian, Role
from esafety.scale import ScaleSchool

CHANNELS = [Channel.WEBSITE, Channel.NEWSLETTER, Channel.SOCIAL, Channel.DISPLAY]


def seed(ctx: ScaleSchool) -> None:
    rng, school, ins = ctx.rng, ctx.school, ctx.inserter
    office, dsl = ctx.people[Role.OFFICE], ctx.people[Role.DSL]
    begun = ctx.now - datetime.timedelta(days=300)
    settings = ConsentSettings(school=school)
    settings.created_at = settings.updated_at = begun
    ins.insert(ConsentSettings, [settings])
    purposes = []
    for order, (label, text, basis, names, alone) in enumerate(DEFAULT_PURPOSES):
        p = Purpose(
            school=school,
            label=label,
            explanation=text,
            lawful_basis=basis,
            names_allowed=names,
            allows_alone_only=alone,
            order=(order + 1) * 10,
        )
        p.created_at = p.updated_at = begun
        purposes.append(p)
    ins.insert(Purpose, purposes)
    form = FormVersion(school=school, number=1, text=DEFAULT_FORM, published_by=office)
    form.published_at = begun
    ins.insert(FormVersion, [form])
    guardian: dict[int, tuple[int, int | None]] = {}
    for g_id, pupil_id, user_id in (
        Guardian.objects.filter(pupil__school=school, parental_responsibility=True)
        .order_by("id")
        .values_list("id", "pupil_id", "user_id")
    ):
        guardian.setdefault(pupil_id, (g_id, user_id))
    users = {p.user.pk: p.user for p in ctx.parents}

    decisions: list[Decision] = []
    refused: dict[int, set[int]] = {}
    for pupil in ctx.pupils:
        if pupil.id not in guardian:
            continue
        g_id, user_id = guardian[pupil.id]
        online = user_id is not None and rng.random() < 0.4
        at = begun + (ctx.now - begun) * rng.random() * 0.3
        by = users.get(user_id, office) if online else office
        for p in purposes:
            if not p.needs_consent and rng.random() > 0.03:
                continue  # used unless someone objects: only the few objections are rows
            choice = Choice.REFUSED if rng.random() < 0.12 else Choice.GRANTED
            if choice == Choice.GRANTED and p.allows_alone_only and rng.random() < 0.04:
                choice = Choice.ALONE_ONLY
            decisions.append(_decision(school, pupil.id, p, choice, g_id, online, by, form, at))
            if choice == Choice.REFUSED:
                refused.setdefault(pupil.id, set()).add(p.pk)
            elif rng.random() < 0.03:
                # A change of mind later in the year.
                later = at + (ctx.now - at) * rng.random()
                decisions.append(
                    _decision(school, pupil.id, p, Choice.REFUSED, g_id, online, by, form, later)
                )
        ctx.audit.add(
            school_id=school.pk,
            at=at,
            actor=by,
            action="consent.decision_recorded",
            object_type="people.pupil",
            object_code=pupil.code,
            summary="consent form, online" if online else "consent form, paper",
        )
    ins.insert(Decision, decisions)

    markings = []
    for pupil in rng.sample(ctx.pupils, max(1, len(ctx.pupils) // 200)):
        m = Marking(
            school=school,
            pupil_id=pupil.id,
            reason="Invented for the scale data set: not to be photographed.",
            marked_by=dsl,
        )
        m.created_at = m.updated_at = begun + datetime.timedelta(days=rng.randint(0, 200))
        markings.append(m)
        refused.setdefault(pupil.id, set()).update(p.pk for p in purposes)
    ins.insert(Marking, markings)

    _uses(ctx, purposes, refused)


def _decision(school, pupil_id, purpose, choice, g_id, online, by, form, at) -> Decision:
    d = Decision(
        school=school,
        pupil_id=pupil_id,
        purpose=purpose,
        choice=choice,
        guardian_id=g_id,
        method=Method.ONLINE if online else Method.PAPER,
        recorded_by=by,
        form_version=form,
    )
    d.decided_at = at
    return d


def _uses(ctx: ScaleSchool, purposes: list[Purpose], refused: dict[int, set[int]]) -> None:
    """A term's photos: about one per 15 pupils, each of 3 to 12 pupils from one class; one in
    ten re-shared; a take-down for each refused pupil found in a use (a third of them done)."""
    rng, school, ins = ctx.rng, ctx.school, ctx.inserter
    by_class: dict[int, list] = {}
    for p in ctx.pupils:
        by_class.setdefault(p.class_id, []).append(p)
    consent_purposes = [p for p in purposes if p.needs_consent][:4]
    staff = ctx.staff
    appearances, takedowns = [], []
    for n in range(max(2, len(ctx.pupils) // 15)):
        purpose = rng.choice(consent_purposes)
        group = rng.sample(by_class[rng.choice(list(by_class))], k=1) + rng.sample(
            ctx.pupils, k=min(len(ctx.pupils), rng.randint(2, 11))
        )
        group = list({p.id: p for p in group}.values())
        when = ctx.moment()
        use = Publication(
            school=school,
            purpose=purpose,
            title=f"Class photo {n + 1}",
            channel=rng.choice(CHANNELS),
            reference=f"Invented reference {n + 1}",
            published_on=when.date(),
            recorded_by=rng.choice(staff),
        )
        use.created_at = use.updated_at = when
        copies = [use]
        if rng.random() < 0.1:
            copy = Publication(
                school=school,
                purpose=purpose,
                title=use.title,
                channel=Channel.SOCIAL,
                reference=f"Re-share of invented reference {n + 1}",
                published_on=when.date(),
                recorded_by=rng.choice(staff),
            )
            copy.created_at = copy.updated_at = when
            copies.append(copy)
        ins.insert(Publication, [use])
        for c in copies[1:]:
            c.original_id = use.pk
        ins.insert(Publication, copies[1:])
        for c in copies:
            for p in group:
                appearances.append(PublicationPupil(publication_id=c.pk, pupil_id=p.id))
                if purpose.pk in refused.get(p.id, set()):
                    t = TakeDown(
                        school=school,
                        publication_id=c.pk,
                        pupil_id=p.id,
                        reason=TakeDownReason.WITHDRAWN,
                        opened_at=when,
                    )
                    if rng.random() < 0.35:
                        t.closed_at = when + datetime.timedelta(hours=rng.randint(1, 72))
                        t.closed_by = ctx.people[Role.OFFICE]
                        t.how = "Deleted from where it was used"
                    t.created_at = t.updated_at = when
                    takedowns.append(t)
            ctx.audit.add(
                school_id=school.pk,
                at=when,
                actor=c.recorded_by,
                action="consent.published",
                object_type="consent.publication",
                object_code=c.code,
                summary=f"{purpose.label}, {c.channel}, {len(group)} pupils",
            )
    ins.insert(PublicationPupil, appearances)
    ins.insert(TakeDown, takedowns)
