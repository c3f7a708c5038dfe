"""The outbox's rows in `make bench`: the daily digest and the sweep (which sends what the
benchmark's POSTs queued)."""

from esafety.contributions import BenchJob


def jobs() -> tuple[BenchJob, ...]:
    from esafety.notify import tasks

    return (
        BenchJob("daily digest", tasks.send_daily_digests),
        BenchJob("outbox sweep", tasks.sweep_outbox),
    )
