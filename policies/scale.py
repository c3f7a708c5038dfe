"""Policies for the scale data set (manage.py seed_scale), in bulk: each school's online-safety
policy and its AUPs (staff, parents, pupils by key stage), each with a retired and a published
version, and the acceptances a school year leaves: most staff, many parents, pupils co-signed by
a parent or signed off in class. Acceptances are append-only, so each is inserted as it stays.
Every word is invented."""

import datetime

from esafety.people.models import Role
from esafety.scale import ScaleSchool
from policies.audiences import key_stage_audience
from policies.models import (
    Acceptance,
    AcceptanceKind,
    ApprovedBy,
    Audience,
    Kind,
    Method,
    Policy,
    PolicyAudience,
    PolicyVersion,
    VersionStatus,
)

BODY = """\
## Purpose

This is a fictional policy for a scale data set. It says how the school keeps everyone safe
online, who does what, and what happens when something goes wrong.

## Review

Reviewed every year, and sooner after a serious incident.
"""


def seed(ctx: ScaleSchool) -> None:
    rng = ctx.rng
    school = ctx.school
    osl, head = ctx.people[Role.ONLINE_SAFETY_LEAD], ctx.people[Role.HEAD]
    published_at = ctx.now - datetime.timedelta(days=200)
    first_at = ctx.now - datetime.timedelta(days=565)
    stages = sorted(
        {key_stage_audience(f"Year {p.year}" if p.year else "Reception") for p in ctx.pupils}
        - {None}
    )
    plans = [
        (
            "Online safety policy",
            Kind.ONLINE_SAFETY,
            [Audience.STAFF, Audience.GOVERNORS, Audience.PARENTS],
            False,
        ),
        ("Staff acceptable use policy", Kind.AUP, [Audience.STAFF], True),
        ("Governors' acceptable use policy", Kind.AUP, [Audience.GOVERNORS], True),
        ("Parents' acceptable use agreement", Kind.AUP, [Audience.PARENTS], True),
    ] + [
        (f"Pupils' acceptable use agreement ({dict(Audience.choices)[s]})", Kind.AUP, [s], True)
        for s in stages
    ]
    policies, audiences, versions = [], [], []
    published: dict[str, PolicyVersion] = {}  # audience -> the AUP version it must accept
    for title, kind, _applies, accept in plans:
        p = Policy(school=school, title=title, kind=kind, owner=osl, requires_acceptance=accept)
        p.created_at = p.updated_at = first_at
        policies.append(p)
    ctx.inserter.insert(Policy, policies)
    for p, (_title, _kind, applies, accept) in zip(policies, plans, strict=True):
        audiences += [PolicyAudience(policy_id=p.pk, audience=a) for a in applies]
        old = PolicyVersion(
            policy_id=p.pk,
            number="1",
            body=BODY,
            effective_date=first_at.date(),
            status=VersionStatus.RETIRED,
            created_by=osl,
            approved_by_body=ApprovedBy.HEAD,
            approved_by=head,
            approved_on=first_at.date(),
            published_at=first_at,
            published_by=osl,
            next_review_due=first_at.date() + datetime.timedelta(days=365),
            retired_at=published_at,
        )
        old.created_at, old.updated_at = first_at, published_at
        new = PolicyVersion(
            policy_id=p.pk,
            number="2",
            body=BODY,
            effective_date=published_at.date(),
            status=VersionStatus.PUBLISHED,
            created_by=osl,
            approved_by_body=ApprovedBy.GOVERNORS,
            approved_on=published_at.date(),
            published_at=published_at,
            published_by=osl,
            next_review_due=published_at.date() + datetime.timedelta(days=365),
        )
        new.created_at = new.updated_at = published_at
        versions += [old, new]
        if accept:
            published[applies[0]] = new
    ctx.inserter.insert(PolicyAudience, audiences)
    ctx.inserter.insert(PolicyVersion, versions)
    for p, v in zip(policies, versions[1::2], strict=True):
        for at, action, obj, summary in (
            (first_at, "policy.created", p, p.title),
            (published_at, "policy_version.published", v, f"v{v.number}"),
        ):
            ctx.audit.add(
                school_id=school.pk,
                at=at,
                actor=osl,
                action=action,
                object_type=obj._meta.label_lower,
                object_code=obj.code,
                summary=summary,
            )

    acceptances: list[Acceptance] = []

    def accept(version, kind, user, pupil_id, method, recorded_by, action, summary) -> None:
        at = published_at + (ctx.now - published_at) * rng.random()
        acceptances.append(
            Acceptance(
                version=version,
                school=school,
                kind=kind,
                user=user,
                pupil_id=pupil_id,
                method=method,
                typed_name=(user or recorded_by).full_name,
                recorded_by=recorded_by,
                accepted_at=at,
            )
        )
        ctx.audit.add(
            school_id=school.pk,
            at=at,
            actor=recorded_by,
            action=action,
            object_type="policies.policyversion",
            object_code=version.code,
            summary=summary,
        )

    for audience, people, share in (
        (Audience.STAFF, ctx.staff, 0.9),
        (Audience.GOVERNORS, ctx.governors, 0.8),
        (Audience.PARENTS, [p.user for p in ctx.parents], 0.6),
    ):
        version = published[audience]
        for u in people:
            if rng.random() < share:
                accept(
                    version,
                    AcceptanceKind.OWN,
                    u,
                    None,
                    Method.ONLINE,
                    u,
                    "acceptance.recorded",
                    "v2, online",
                )
    parent_of: dict[int, object] = {}
    for parent in ctx.parents:
        for pid in parent.pupil_ids:
            parent_of.setdefault(pid, parent.user)
    teachers = ctx.staff
    for pupil in ctx.pupils:
        version = published.get(
            key_stage_audience(f"Year {pupil.year}" if pupil.year else "Reception")
        )
        r = rng.random()
        if version is None:
            continue
        if r < 0.5 and pupil.id in parent_of:
            u = parent_of[pupil.id]
            accept(
                version,
                AcceptanceKind.COSIGN,
                u,
                pupil.id,
                Method.ONLINE,
                u,
                "acceptance.cosigned",
                "v2 for a pupil",
            )
        elif r < 0.8:
            t = rng.choice(teachers)
            accept(
                version,
                AcceptanceKind.PUPIL,
                None,
                pupil.id,
                Method.IN_CLASS,
                t,
                "acceptance.pupil_signed_off",
                "v2, in class",
            )
    ctx.inserter.insert(Acceptance, acceptances)
