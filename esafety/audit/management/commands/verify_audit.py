from django.core.management.base import BaseCommand, CommandError

from esafety.audit.models import AuditEvent
from esafety.audit.selectors import chain_breaks


class Command(BaseCommand):
    help = "Check the audit trail's hash chain; exit non-zero if any row was altered or removed."

    def handle(self, *args, **options) -> None:
        breaks = chain_breaks()
        total = AuditEvent.objects.count()
        if breaks:
            for b in breaks:
                school = f"school {b.school_id}" if b.school_id else "no school"
                self.stderr.write(f"audit event {b.event_id} ({school}): {b.reason}")
            raise CommandError(f"{len(breaks)} break(s) in the audit trail of {total} events")
        self.stdout.write(f"Audit trail intact: {total} events checked.")
