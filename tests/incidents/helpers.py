"""Plain functions the concern tests share: URLs, form data, and working a concern to the point
a test needs."""

import datetime
from pathlib import Path

from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from esafety.notify.models import Message
from incidents import services
from incidents.categories import KEPT_BY, NUDES_QUESTIONS, Category
from incidents.models import Attachment, Concern, ConcernPupil, StepState, TimelineEntry


def new_url(personas) -> str:
    return reverse("incidents:new", args=[personas.school.code])


def stored_files() -> list[Path]:
    root = Path(settings.PRIVATE_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def csrf_checking_client(user) -> Client:
    """A client that checks CSRF tokens as a browser's requests are checked (the test client
    skips the check unless asked)."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def form_data(involved=None, **overrides) -> dict:
    data = {
        "category": Category.CYBERBULLYING,
        "told_dsl_in_person": "no",
        "occurred_at": (timezone.localtime() - datetime.timedelta(hours=1)).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "location": "Year 5 classroom",
        "what_happened": "Unkind messages about her in the class group chat.",
    }
    if involved is not None:
        data["pupil"] = [str(involved.code)]
        data[f"role_{involved.code}"] = "affected"
    data.update(overrides)
    return data


def nothing_saved() -> None:
    assert not Concern.objects.exists()
    assert not ConcernPupil.objects.exists()
    assert not Attachment.objects.exists()
    assert not TimelineEntry.objects.exists()
    assert not Message.objects.exists()
    assert stored_files() == []


def _nudes_ready(personas, log_concern):
    concern = log_concern("nudes")
    services.concern_acknowledge(actor=personas.dsl, concern=concern)
    finish_steps(concern, personas.dsl)
    services.review_meeting_record(
        actor=personas.dsl,
        concern=concern,
        held_on=datetime.date.today(),
        attendees="DSL, deputy DSL",
        summary="Reviewed what was shared and with whom.",
    )
    return concern


def _answer_all(personas, concern, answers):
    from incidents.categories import NUDES_QUESTIONS

    for (key, _), answer in zip(NUDES_QUESTIONS, answers, strict=True):
        services.nudes_answer(actor=personas.dsl, concern=concern, question=key, answer=answer)


def _close(personas, concern):
    return services.concern_close(
        actor=personas.dsl,
        concern=concern,
        outcome="Handled.",
        lessons_learnt="Reviewed.",
        parents_informed=True,
    )


def url(name: str, concern: Concern, *extra) -> str:
    return reverse(f"incidents:{name}", args=[concern.school.code, concern.code, *extra])


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def reload(concern: Concern) -> Concern:
    return Concern.objects.get(pk=concern.pk)


def finish_steps(concern: Concern, actor) -> None:
    """Tick every step done by hand: the steps a record does (KEPT_BY) are left to the record."""
    for step in concern.steps.filter(state=StepState.OPEN).exclude(key__in=KEPT_BY):
        services.step_complete(actor=actor, concern=concern, step=step, done=True, note="Done.")


def answered_no(concern, actor, upto: int = len(NUDES_QUESTIONS)) -> None:
    services.review_meeting_record(
        actor=actor, concern=concern, held_on=timezone.localdate(), attendees="DSL", summary="."
    )
    for key, _text in NUDES_QUESTIONS[:upto]:
        services.nudes_answer(actor=actor, concern=concern, question=key, answer=False)
