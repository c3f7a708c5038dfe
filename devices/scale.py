"""Devices for the scale data set (manage.py seed_scale), in bulk: an exceptions register for
Year 6 walkers and a few others, forty school days of hand-ins, confiscations (most released,
some held) with their chains of custody, searches, a few evidence devices linked to the school's
concerns, and the school's equipment. Append-only rows are inserted as they stay."""

import datetime

from django.apps import apps

from devices.models import (
    CustodyEvent,
    CustodyKind,
    Device,
    DeviceKind,
    DeviceStatus,
    Equipment,
    EquipmentKind,
    ExceptionReason,
    HandIn,
    PhoneException,
    Release,
    Search,
)
from esafety.people.models import Role
from esafety.scale import ScaleSchool

DAYS = 40


def _school_days(today: datetime.date, n: int) -> list[datetime.date]:
    days, day = [], today
    while len(days) < n:
        if day.weekday() < 5:
            days.append(day)
        day -= datetime.timedelta(days=1)
    return days[::-1]


def seed(ctx: ScaleSchool) -> None:
    rng, school, ins = ctx.rng, ctx.school, ctx.inserter
    office, head, dsl = ctx.people[Role.OFFICE], ctx.people[Role.HEAD], ctx.people[Role.DSL]
    if not ctx.pupils:
        return
    today = ctx.now.date()
    # Year 6 pupils who walk home (the oldest year, in a small school's sample).
    top = 6 if any(p.year == 6 for p in ctx.pupils) else max(p.year for p in ctx.pupils)
    oldest = [p for p in ctx.pupils if p.year == top]
    walkers = [p for p in oldest if rng.random() < 0.6] or oldest[:1]
    others = [p for p in ctx.pupils if p.year != top and rng.random() < 0.01]
    exceptions = []
    for p in walkers + others:
        reason = (
            ExceptionReason.WALKS_HOME
            if p.year == top
            else rng.choice([ExceptionReason.YOUNG_CARER, ExceptionReason.MEDICAL])
        )
        e = PhoneException(
            school=school,
            pupil_id=p.id,
            reason=reason,
            detail="",
            granted_by=head,
            starts_on=today - datetime.timedelta(days=120),
            review_due=today + datetime.timedelta(days=rng.randint(-5, 200)),
        )
        e.created_at = e.updated_at = ctx.now - datetime.timedelta(days=120)
        exceptions.append(e)
    ins.insert(PhoneException, exceptions)

    days = _school_days(today, DAYS)
    hand_ins = []
    for day in days:
        morning = datetime.datetime.combine(day, datetime.time(8, 40), tzinfo=datetime.UTC)
        for p in walkers:
            if rng.random() < 0.92:
                returned = None if day == today else morning + datetime.timedelta(hours=6.7)
                hand_ins.append(
                    HandIn(
                        school=school,
                        pupil_id=p.id,
                        day=day,
                        checked_in_at=morning + datetime.timedelta(minutes=rng.randint(0, 25)),
                        checked_in_by=office,
                        condition="Screen cracked" if rng.random() < 0.01 else "",
                        returned_at=returned,
                        returned_by=office if returned else None,
                    )
                )
    ins.insert(HandIn, hand_ins)

    devices, chain, releases, searches = [], [], [], []
    n = max(3, len(ctx.pupils) // 15)
    for i in range(n):
        p = rng.choice(ctx.pupils)
        taken_by = rng.choice(ctx.staff)
        at = ctx.moment()
        still_held = i < max(2, n // 20)
        d = Device(
            school=school,
            pupil_id=p.id,
            kind=rng.choice([DeviceKind.PHONE, DeviceKind.PHONE, DeviceKind.WATCH]),
            description="Phone in a dark case",
            reason="Used in a lesson; the school is phone-free.",
            taken_by=taken_by,
            taken_at=at,
            held_at="Office safe",
            status=DeviceStatus.HELD if still_held else DeviceStatus.RELEASED,
            breach=True,
            closed_at=None if still_held else at + datetime.timedelta(hours=6),
        )
        d.created_at = d.updated_at = at
        devices.append(d)
    concern_model = (
        apps.get_model("incidents", "Concern") if apps.is_installed("incidents") else None
    )
    concern_codes = (
        list(
            concern_model.objects.filter(school=school, category__in=["nudes", "iioc"])
            .exclude(status="closed")
            .values_list("code", flat=True)[:3]
        )
        if concern_model
        else []
    )
    for n_bag, code in enumerate(concern_codes):
        at = ctx.now - datetime.timedelta(days=rng.randint(1, 14))
        d = Device(
            school=school,
            kind=DeviceKind.PHONE,
            description="Phone, sealed",
            reason="May hold evidence.",
            taken_by=dsl,
            taken_at=at,
            held_at="DSL's locked cabinet",
            is_evidence=True,
            concern_code=code,
            sealed_bag=f"EB-{ctx.index:03d}-{n_bag + 1:03d}",
        )
        d.created_at = d.updated_at = at
        devices.append(d)
    ins.insert(Device, devices)
    for d in devices:
        chain.append(
            CustodyEvent(
                device_id=d.pk,
                kind=CustodyKind.TAKEN,
                at=d.taken_at,
                by=d.taken_by,
                place=d.held_at,
            )
        )
        if d.status == DeviceStatus.RELEASED:
            chain.append(
                CustodyEvent(
                    device_id=d.pk,
                    kind=CustodyKind.RETURNED,
                    at=d.closed_at,
                    by=office,
                    person="A parent",
                    note="signed: A Parent",
                )
            )
            releases.append(
                Release(
                    device_id=d.pk,
                    to_name="A Parent",
                    other_reason="collected by a relative",
                    signature="A Parent",
                    handed_over_by=office,
                    at=d.closed_at,
                )
            )
        ctx.audit.add(
            school_id=school.pk,
            at=d.taken_at,
            actor=d.taken_by,
            action="evidence.quarantined" if d.is_evidence else "device.confiscated",
            object_type="devices.device",
            object_code=d.code,
            summary="" if d.is_evidence else d.kind,
        )
    ins.insert(CustodyEvent, chain)
    ins.insert(Release, releases)
    for _ in range(max(1, len(ctx.pupils) // 60)):
        staff = rng.sample(ctx.staff, 2) if len(ctx.staff) > 1 else [ctx.staff[0], office]
        searches.append(
            Search(
                school=school,
                pupil_id=rng.choice(ctx.pupils).id,
                of="pupil",
                authorised_by=head,
                searched_by=staff[0],
                witnessed_by=staff[1] if staff[1] != staff[0] else office,
                reason="Reported to have a banned item.",
                found="Nothing",
                at=ctx.moment(),
                recorded_by=head,
            )
        )
    ins.insert(Search, searches)
    items = []
    for i in range(12):
        kind = [EquipmentKind.CAMERA, EquipmentKind.TABLET, EquipmentKind.LAPTOP][i % 3]
        e = Equipment(
            school=school,
            asset_tag=f"{kind[:3].upper()}-{i + 1:02d}",
            kind=kind,
            description="",
            encrypted=kind != EquipmentKind.CAMERA,
            off_site_with=rng.choice(ctx.staff) if i % 5 == 2 else None,
        )
        e.off_site_since = ctx.now - datetime.timedelta(days=2) if e.off_site_with else None
        items.append(e)
    ins.insert(Equipment, items)
