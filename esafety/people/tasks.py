from celery import shared_task

from esafety.people import roster


@shared_task(time_limit=600, soft_time_limit=540, acks_late=True)
def run_roster_import(import_id: int) -> bool:
    return roster.roster_import_run(roster_import_id=import_id)


@shared_task(time_limit=600, soft_time_limit=540)
def sweep_roster_imports() -> int:
    """Run imports whose after-commit hand-off was lost. Safe to run twice at once: each import
    is claimed before it runs."""
    return sum(
        roster.roster_import_run(roster_import_id=i) for i in roster.roster_imports_to_sweep()
    )
