"""Demo filtering and monitoring evidence for the fictional school, through the app's own
services: the roles named, the provision (with one change), a year of termly checks (one failed
and resolved), decisions, weekly reports acknowledged with one week missed, the on-call rota, an
urgent alert and the annual review signed. Every name and address is invented."""

import datetime

from django.utils import timezone

from esafety.people.models import Role, School, User
from filtering.models import (
    Cadence,
    CheckCategory,
    DecisionAction,
    DeviceType,
    Method,
    Outcome,
    ReviewItem,
    RoleKind,
    TargetKind,
    UserGroup,
)
from filtering.periods import monday_of, period_of
from filtering.services import checks, decisions, monitoring, provision, reviews, roles, settings
from filtering.standards import ROLE_DUTIES

TOOL = "SWGfL Test Filtering (testfiltering.com)"
PLAN = [
    (DeviceType.WINDOWS, UserGroup.KS2),
    (DeviceType.CHROMEBOOK, UserGroup.KS1),
    (DeviceType.IPAD, UserGroup.EYFS),
    (DeviceType.STAFF_LAPTOP, UserGroup.STAFF),
    (DeviceType.GUEST_WIFI, UserGroup.GUESTS),
]
CORE = [
    CheckCategory.CHILD_ABUSE,
    CheckCategory.TERRORISM,
    CheckCategory.ADULT,
    CheckCategory.OFFENSIVE,
]


def seed_filtering(*, school: School, people: dict[str, User]) -> None:
    head, osl = people[Role.HEAD], people[Role.ONLINE_SAFETY_LEAD]
    dsl, governor = people[Role.DSL], people[Role.GOVERNOR]
    today = timezone.localdate()

    for kind, user in (
        (RoleKind.SENIOR_LEADER, head),
        (RoleKind.GOVERNOR, governor),
        (RoleKind.DSL, dsl),
        (RoleKind.PROMPT_CHANGE, osl),
    ):
        roles.role_assign(school=school, actor=head, kind=kind, user=user, duties=ROLE_DUTIES[kind])
    roles.role_assign(
        school=school,
        actor=head,
        kind=RoleKind.IT_PROVIDER,
        name="Priya Lockhart",
        organisation="Brightwire Schools IT (fictional)",
        contact="support@brightwire.example",
        duties=ROLE_DUTIES[RoleKind.IT_PROVIDER],
    )
    settings.settings_update(
        school=school,
        actor=osl,
        check_cadence=Cadence.TERMLY,
        reports_from=monday_of(today - datetime.timedelta(weeks=16)),
    )
    common = dict(
        school=school,
        actor=osl,
        filtering_provider="Brightwire Schools IT (fictional)",
        filtering_product="SafeNet Filter (fictional)",
        monitoring_provider="WatchfulEye (fictional)",
        monitoring_methods=[Method.DEVICE, Method.PHYSICAL],
        sites="Main building\nEarly years unit",
        user_groups=[
            UserGroup.EYFS,
            UserGroup.KS1,
            UserGroup.KS2,
            UserGroup.STAFF,
            UserGroup.GUESTS,
        ],
        mobile_data="Pupils hand phones in at the office on arrival (see the mobile phones "
        "policy); staff do not use mobile data on school devices.",
        blocks_iwf_list=True,
        blocks_terrorist_list=True,
        uksic_response_url="https://www.example.org/uksic-filtering-response",
    )
    provision.provision_record(
        **common,
        device_types=[
            DeviceType.WINDOWS,
            DeviceType.CHROMEBOOK,
            DeviceType.STAFF_LAPTOP,
            DeviceType.GUEST_WIFI,
        ],
    )
    provision.provision_record(
        **common,
        device_types=[
            DeviceType.WINDOWS,
            DeviceType.CHROMEBOOK,
            DeviceType.IPAD,
            DeviceType.STAFF_LAPTOP,
            DeviceType.GUEST_WIFI,
        ],
        change_note="Reception's new iPads added: managed through the same filter.",
    )

    # Checks: each of the last three terms and this one, every device type and user group.
    terms, day = [], today
    for _ in range(4):
        term = period_of(day, Cadence.TERMLY)
        terms.append(term)
        day = term.start - datetime.timedelta(days=1)
    failed = None
    for n, term in enumerate(reversed(terms[1:])):  # the three past terms, oldest first
        tested_on = min(term.start + datetime.timedelta(days=20), today)
        for device, group in PLAN:
            fail = n == 1 and device == DeviceType.IPAD
            results = [checks.Result(c, True) for c in CORE]
            results.append(
                checks.Result(
                    CheckCategory.SELF_HARM,
                    not fail,
                    "Reported to Brightwire the same day; the iPads' profile was missing "
                    "the self-harm category."
                    if fail
                    else "",
                )
            )
            made = checks.check_record(
                school=school,
                actor=osl,
                device_type=device,
                user_group=group,
                tool=TOOL,
                tested_on=tested_on,
                results=results,
            )
            failed = made if fail else failed
    if failed is not None:
        checks.task_resolve(
            task=failed.task,
            actor=osl,
            resolution="Brightwire added the category to the iPads' profile; re-tested the "
            "next day and it was blocked.",
        )
    # This term: two checks done so far, the rest still due.
    for device, group in PLAN[:2]:
        checks.check_record(
            school=school,
            actor=osl,
            device_type=device,
            user_group=group,
            tool=TOOL,
            tested_on=max(terms[0].start, today - datetime.timedelta(days=3)),
            results=[checks.Result(c, True) for c in CORE],
        )

    for days_ago, action, kind, target, asked, why, outcome in (
        (
            200,
            DecisionAction.ALLOW,
            TargetKind.SITE,
            "www.coding-club.example",
            "Mr Arlo Finch, Year 5 teacher",
            "A coding site used in computing lessons was blocked as 'games'.",
            Outcome.APPROVED,
        ),
        (
            120,
            DecisionAction.BLOCK,
            TargetKind.APP,
            "An anonymous chat app (web version)",
            "Ms Cora Wren, DSL",
            "Pupils were found using it at lunchtime.",
            Outcome.APPROVED,
        ),
        (
            60,
            DecisionAction.ALLOW,
            TargetKind.CATEGORY,
            "Social media, for staff only",
            "Office manager",
            "To post on the school's own pages.",
            Outcome.REFUSED,
        ),
        (
            10,
            DecisionAction.BLOCK,
            TargetKind.SITE,
            "www.free-games-now.example",
            "Mrs Nia Hart, Year 3 teacher",
            "Pop-up adverts with adult content.",
            Outcome.APPROVED,
        ),
    ):
        on = today - datetime.timedelta(days=days_ago)
        made = decisions.decision_record(
            school=school,
            actor=osl,
            action=action,
            target_kind=kind,
            target=target,
            requested_by=asked,
            requested_on=on,
            reason=why,
            risk_assessment="Content checked by the online safety lead; no safeguarding "
            "risk to pupils from the change; reviewed at the next termly check.",
            outcome=outcome,
            decided_on=on,
        )
        if outcome == Outcome.APPROVED and days_ago > 10:
            decisions.decision_applied(
                decision=made,
                actor=osl,
                applied_on=on + datetime.timedelta(days=1),
                applied_by="Priya Lockhart, Brightwire",
            )

    # Weekly reports: every week acknowledged but one, six weeks ago.
    first = monday_of(today - datetime.timedelta(weeks=16))
    week = first
    while week + datetime.timedelta(days=7) <= monday_of(today):
        if week != monday_of(today - datetime.timedelta(weeks=6)):
            monitoring.report_acknowledge(
                school=school,
                actor=dsl,
                week_start=week,
                note="Read; nothing that needed action."
                if week != first
                else "Read; two searches for self-harm terms, followed up with the class "
                "teacher and logged as a concern.",
                showed_concern=week == first,
            )
        week += datetime.timedelta(days=7)

    for starts, ends, who in ((0, 6, dsl), (7, 13, head)):
        monitoring.shift_record(
            school=school,
            actor=osl,
            user=who,
            starts_on=monday_of(today) + datetime.timedelta(days=starts),
            ends_on=monday_of(today) + datetime.timedelta(days=ends),
        )
    received = timezone.now() - datetime.timedelta(days=23, hours=5)
    monitoring.alert_record(
        school=school,
        actor=dsl,
        received_at=received,
        acted_at=received + datetime.timedelta(minutes=25),
        received_by=dsl,
        action="Alert for a search suggesting a risk of self-harm on a school laptop taken "
        "home; parents phoned that evening, concern logged the next morning.",
    )

    review = reviews.review_complete(
        school=school,
        actor=head,
        answers={item: {"met": True, "note": ""} for item in ReviewItem.values}
        | {
            ReviewItem.CHECKS: {
                "met": False,
                "note": "The early years unit's iPads missed one "
                "category last term; added to every term's check since.",
            }
        },
        summary=f"Reviewed with the DSL and Brightwire on {today:%d %B %Y}. The provision meets "
        "the school's needs; one action on iPad checks.",
    )
    reviews.review_sign(review=review, actor=governor, signature=governor.full_name)
