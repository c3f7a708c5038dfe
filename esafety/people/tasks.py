from celery import shared_task

from esafety.people.roster import services
from esafety.periodic import each


@shared_task(time_limit=540, soft_time_limit=500, acks_late=True)
def run_roster_import(import_id: int) -> bool:
    return services.roster_import_run(roster_import_id=import_id)


@shared_task(time_limit=540, soft_time_limit=500)
def sweep_roster_imports() -> int:
    """Run imports whose after-commit hand-off was lost. Safe to run twice at once: each import
    is claimed before it runs; one that fails is logged and the others still run."""
    return each(
        services.roster_imports_to_sweep(),
        lambda import_id: services.roster_import_run(roster_import_id=import_id),
        task="sweep_roster_imports",
        what="roster import",
    )
