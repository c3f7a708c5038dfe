import logging

from celery import shared_task

from esafety.audit.selectors import chain_breaks

logger = logging.getLogger(__name__)


@shared_task(time_limit=1800, soft_time_limit=1700)
def verify_chain() -> int:
    breaks = chain_breaks()
    for b in breaks:
        logger.error(
            "audit chain break at event %s (school %s): %s", b.event_id, b.school_id, b.reason
        )
    return len(breaks)
