"""Demo consent for the fictional school, through the services: most families have returned
the paper form, some said no to the press or social media, the demo parent decided online for
one child and not yet for the other, one pupil is marked "do not photograph", and a few photos
are used, one re-shared, with a withdrawal leaving take-downs open and one done."""

import random

from consent import selectors
from consent.models import Channel, Choice, Method, Purpose
from consent.services.decisions import (
    decisions_record_form,
    decisions_record_online,
    marking_set,
)
from consent.services.publications import publication_record, reshare_record
from consent.services.setup import consent_setup
from consent.services.takedowns import takedown_close
from esafety.people.models import Guardian, Pupil, Role, School, User


def _paper_choices(rng: random.Random, purposes: list[Purpose]) -> dict[Purpose, str]:
    choices = {}
    for p in purposes:
        if not p.needs_consent:
            # A few families object even to displays in school.
            if rng.random() < 0.03:
                choices[p] = Choice.REFUSED
            continue
        roll = rng.random()
        if "Press" in p.label or "social" in p.label:
            choice = Choice.REFUSED if roll < 0.25 else Choice.GRANTED
        else:
            choice = Choice.REFUSED if roll < 0.08 else Choice.GRANTED
        if choice == Choice.GRANTED and p.allows_alone_only and rng.random() < 0.05:
            choice = Choice.ALONE_ONLY
        choices[p] = choice
    return choices


def seed(*, school: School, people: dict[str, User], pupils: list[Pupil]) -> None:
    rng = random.Random(10)
    office, dsl, staff = people[Role.OFFICE], people[Role.DSL], people[Role.STAFF]
    parent = people[Role.PARENT]
    consent_setup(school=school, actor=office)
    purposes = list(selectors.purposes_of(school=school))
    by_label = {p.label: p for p in purposes}
    guardians: dict[int, Guardian] = {}
    for g in Guardian.objects.filter(pupil__in=pupils).order_by("id"):
        guardians.setdefault(g.pupil_id, g)
    theirs = [p for p in pupils if guardians[p.pk].user_id == parent.pk]
    for pupil in pupils:
        if pupil in theirs or rng.random() < 0.15:
            continue  # forms not returned yet
        decisions_record_form(
            actor=office,
            pupil=pupil,
            choices=_paper_choices(rng, purposes),
            method=Method.PAPER,
            guardian=guardians[pupil.pk],
        )
    # The demo parent has decided online for their first child, not yet for the second.
    if theirs:
        decisions_record_online(
            actor=parent,
            pupil=theirs[0],
            choices={
                by_label["School website"]: Choice.GRANTED,
                by_label["Newsletter"]: Choice.GRANTED,
                by_label["Press, with names"]: Choice.REFUSED,
            },
        )
    # An adopted child: never photographed or identified, whatever anyone chose.
    others = [p for p in pupils if p not in theirs]
    marked = others[5] if len(others) > 5 else others[-1]
    marking_set(
        actor=dsl,
        pupil=marked,
        reason="Adopted: the birth family must not be able to find the child from a photo.",
    )
    # Photos used, after the check.
    website, newsletter = by_label["School website"], by_label["Newsletter"]
    oldest = sorted(others, key=lambda p: p.date_of_birth)[:30]
    may = selectors.register_for(school=school, pupils=oldest, purpose=website).may
    if len(may) < 2:
        return
    relay = publication_record(
        actor=staff,
        purpose=website,
        pupils=may[:6],
        title="Sports day: the relay",
        channel=Channel.WEBSITE,
        reference="https://hollybrook.example/news/sports-day",
    )
    reshare_record(
        actor=office,
        original=relay,
        channel=Channel.SOCIAL,
        reference="School social media post, sports day",
    )
    may_news = selectors.register_for(school=school, pupils=may[:6], purpose=newsletter).may
    if not may_news:
        return
    harvest = publication_record(
        actor=office,
        purpose=newsletter,
        pupils=may_news[:4],
        title="Harvest festival",
        channel=Channel.NEWSLETTER,
        reference="Autumn newsletter, page 2 (printed and on the website)",
    )
    # A parent changes their mind about the website: the photo and its re-share come down.
    withdrawn = may_news[0]
    decisions_record_form(
        actor=office,
        pupil=withdrawn,
        choices={website: Choice.REFUSED, newsletter: Choice.REFUSED},
        method=Method.IN_PERSON,
        guardian=guardians[withdrawn.pk],
    )
    for takedown in selectors.takedowns_of(publication=harvest):
        takedown_close(
            actor=office,
            takedown=takedown,
            how="Removed from the website copy; the printed newsletter went home before the "
            "parent changed their mind",
            cannot_recall=True,
        )
