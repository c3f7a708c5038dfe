import os
from collections.abc import Iterator, Mapping

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "esafety.settings")

app = Celery("esafety")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class BeatSchedule(Mapping):
    """The beat schedule, gathered from every app's contribution (esafety/contributions.py) when
    beat reads it, which is after Django's apps are ready: each app declares its own entries, with
    a comment saying when each runs, and this file names none of them."""

    def _entries(self) -> dict[str, dict]:
        from esafety.contributions import beat_schedule

        return beat_schedule()

    def __getitem__(self, key: str) -> dict:
        return self._entries()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries())

    def __len__(self) -> int:
        return len(self._entries())


app.conf.beat_schedule = BeatSchedule()
