"""At the end of each term: the term's report is built and the governors are emailed a link to
it (never the PDF: it leaves the school only through the access check). Once per school and
term, however often the task runs: the build is one row per term and the email a keyed
reminder."""

import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from esafety.audit.services import audit_record
from esafety.notify.services import Email, reminder_send
from esafety.people.models import Membership, Role, School
from esafety.reports import builds, periods
from esafety.reports.models import ReportBuild

# The days after a term ends in which its report is still sent, should the task miss a day.
WINDOW = datetime.timedelta(days=14)


def _ended_term(school: School, today: datetime.date) -> periods.Period | None:
    current = periods.term_of(school, today)
    if today - current.start >= WINDOW:
        return None
    return periods.previous(school, current)


def _build_for(school: School, term: periods.Period) -> ReportBuild:
    key = f"{term.start:%Y-%m-%d}"
    found = ReportBuild.objects.filter(school=school, term_key=key).first()
    if found:
        return found
    try:
        with transaction.atomic():
            build = ReportBuild.objects.create(
                school=school,
                requested_as="Sent to the board at the end of term",
                start=term.start,
                end=term.end,
                label=term.label,
                kind=term.kind,
                term_key=key,
            )
            audit_record(
                actor=None,
                school=school,
                action="reports.build_requested",
                obj=build,
                summary=f"End-of-term report: {term.label}",
            )
            transaction.on_commit(lambda: builds.hand_off(build.pk))
            return build
    except IntegrityError:
        # Another run made it a moment ago.
        return ReportBuild.objects.get(school=school, term_key=key)


def term_report_send(*, school: School, today: datetime.date | None = None) -> int:
    """Build the term's report and email each governor a link; 1 if this call sent it."""
    today = today or timezone.localdate()
    term = _ended_term(school, today)
    if term is None:
        return 0
    build = _build_for(school, term)
    link = reverse("reports:build", args=[school.code, build.code])
    governors = [
        m.user
        for m in Membership.objects.filter(
            school=school, role=Role.GOVERNOR, is_active=True, user__is_active=True
        ).select_related("user")
    ]
    emails = [
        Email(
            recipient=user,
            subject=f"The governors' online-safety report: {term.label}",
            body=f"The report for {term.label} is ready to read in esafety. Sign in to open "
            "it: it is not attached, as it is OFFICIAL-SENSITIVE.",
            link=link,
        )
        for user in governors
    ]
    sent = reminder_send(
        school=school,
        subject=f"school:{school.code}",
        kind="reports.term_report",
        period=build.term_key,
        emails=emails,
    )
    return int(sent)
