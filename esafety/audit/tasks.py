import logging
from collections import Counter

from celery import shared_task

from esafety.audit.chain import ChainBreak, chain_report
from esafety.audit.models import AuditEvent
from esafety.people.models import School
from esafety.periodic import each

logger = logging.getLogger(__name__)


# acks_late=False: a check, not work that is owed. A run killed mid-way is not redelivered
# (its half-hour limit is longer than the broker's visibility timeout, which would hand a
# running check to a second worker); the next night's run checks everything again.
@shared_task(time_limit=1800, soft_time_limit=1700, acks_late=False)
def verify_chain() -> int:
    """The nightly check of every school's chain; a break is logged as an error for the admin.

    Each school's chain (and the chain of events with no school) is checked on its own, so a row
    that cannot be read in one school leaves the others checked."""
    breaks: list[ChainBreak] = []
    per_school: Counter = Counter()

    def check(school_id: int | None) -> int:
        events = AuditEvent.objects.filter(school_id=school_id)
        if school_id is None:
            events = AuditEvent.objects.filter(school__isnull=True)
        report = chain_report(events=events)
        breaks.extend(report.breaks)
        per_school.update(report.events_per_school)
        return report.total

    total = each(
        [None, *School.objects.order_by("id").values_list("id", flat=True)],
        check,
        task="verify_chain",
        what="school chain",
    )
    for b in breaks:
        logger.error(
            "audit chain break at event %s (school %s, %s at %s): %s",
            b.event_id,
            b.school_id,
            b.action,
            b.at,
            b.reason,
        )
    # The counts make a deletion of a school's newest events visible from one night to the next.
    logger.info(
        "audit chain checked: %s events, %s break(s), per school %s",
        total,
        len(breaks),
        dict(per_school),
    )
    return len(breaks)
