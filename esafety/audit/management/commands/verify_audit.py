from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from esafety.audit.chain import UNLINKED, chain_report
from esafety.people.models import School


def _school_label(school: School | None) -> str:
    if school is None:
        return "No school (accounts and system events)"
    return f"{school.name} (URN {school.urn})"


class Command(BaseCommand):
    help = (
        "Check every school's audit trail hash chain. Prints what was checked; names every "
        "event that was altered or follows a deleted one, and then exits with status 1."
    )

    def handle(self, *args, **options) -> None:
        report = chain_report()
        ids = [i for i in report.events_per_school if i is not None]
        schools = School.objects.in_bulk(ids)
        broken_by_school: dict[int | None, list] = {}
        for b in report.breaks:
            broken_by_school.setdefault(b.school_id, []).append(b)

        def order(school_id: int | None) -> tuple:
            school = schools.get(school_id)
            return (school is None, school.name if school else "")

        for school_id in sorted(report.events_per_school, key=order):
            count = report.events_per_school[school_id]
            label = _school_label(schools.get(school_id))
            breaks = broken_by_school.get(school_id, [])
            if not breaks:
                self.stdout.write(f"{label}: {count} events, chain intact")
                continue
            self.stdout.write(f"{label}: {count} events, {len(breaks)} problem(s)")
            for b in breaks:
                when = timezone.localtime(b.at).strftime("%Y-%m-%d %H:%M:%S %Z") if b.at else "?"
                after = (
                    f"; the previous surviving event is {b.previous_event_id}"
                    if b.previous_event_id and b.reason == UNLINKED
                    else ""
                )
                self.stdout.write(f"  event {b.event_id} ({b.action} at {when}): {b.reason}{after}")

        if report.breaks:
            raise CommandError(
                f"The audit trail is broken: {len(report.breaks)} problem(s) among "
                f"{report.total} events. Keep a copy of the database as it is now and tell "
                "whoever runs the server: someone changed the audit table behind the "
                "application's back."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit trail intact: {report.total} events in "
                f"{len(report.events_per_school)} chain(s) checked."
            )
        )
