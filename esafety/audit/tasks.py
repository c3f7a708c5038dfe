import logging

from celery import shared_task

from esafety.audit.selectors import chain_report

logger = logging.getLogger(__name__)


@shared_task(time_limit=1800, soft_time_limit=1700)
def verify_chain() -> int:
    """The nightly check of every school's chain; a break is logged as an error for the admin."""
    report = chain_report()
    for b in report.breaks:
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
        report.total,
        len(report.breaks),
        dict(report.events_per_school),
    )
    return len(report.breaks)
