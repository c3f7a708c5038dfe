"""The outbox sweep: whatever the after-commit hand-off did not send, sent a batch at a time.

A batch is claimed in one transaction (FOR UPDATE SKIP LOCKED, so two sweeps, or a sweep and
send_message, never claim the same message), each message is sent on its own, and the batch's
results are written together: the sweep's queries grow with its batches, not its messages.
Retries, back-off and giving up are notify.services', shared with send_message.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from esafety.notify import services
from esafety.notify.models import Message
from esafety.periodic import each

# The outbox sweep claims this many messages at a time, and sends at most SWEEP_LIMIT a run.
# A batch's results are written after it is sent, so a worker killed outright (kill -9) part way
# through a batch leaves up to this many messages sent but not marked so: they go again when
# their claim times out. Small, so that window is a handful of emails, never hundreds; the
# sweep still costs a few queries a batch rather than three a message.
SWEEP_BATCH = 20
SWEEP_LIMIT = 500


def messages_claim_due(*, limit: int) -> list[Message]:
    """Claim up to limit messages that are due, oldest first, in two queries: rows another
    worker is claiming at this moment are skipped (FOR UPDATE SKIP LOCKED), so two sweeps at once
    never claim the same message, nor does a sweep claim one send_message is claiming."""
    now = timezone.now()
    with transaction.atomic():
        messages = list(
            services.messages_due(now).select_for_update(skip_locked=True).order_by("id")[:limit]
        )
        if messages:
            Message.objects.filter(pk__in=[m.pk for m in messages]).update(
                claimed_at=now, attempts=F("attempts") + 1
            )
    for message in messages:
        message.claimed_at, message.attempts = now, message.attempts + 1
    return messages


def messages_send_due(*, limit: int = SWEEP_LIMIT) -> int:
    """Send what is due, a batch at a time: claimed together, each sent on its own, the results
    written together, so the sweep's queries grow with its batches, not its messages. A message
    that fails other than by a refused send is logged and keeps its claim until it times out."""
    done = 0
    while limit > 0 and (batch := messages_claim_due(limit=min(SWEEP_BATCH, limit))):
        limit -= len(batch)
        done += _batch_send(batch)
    return done


def _batch_send(batch: list[Message]) -> int:
    by_id = {m.pk: m for m in batch}
    sent: list[int] = []
    refused: list[Message] = []

    def send(message_id: int) -> int:
        error = services.message_deliver(by_id[message_id])
        if error is None:
            sent.append(message_id)
            return 1
        refused.append(services.message_release(by_id[message_id], error))
        return 0

    try:
        return each(by_id, send, task="sweep_outbox", what="message")
    finally:
        # Also when the task's time runs out mid-batch: what went out is never sent again.
        _results_record(sent=sent, refused=refused)


def _results_record(*, sent: list[int], refused: list[Message]) -> None:
    if sent:
        Message.objects.filter(pk__in=sent).update(sent_at=timezone.now(), last_error="")
    if refused:
        Message.objects.bulk_update(refused, ["claimed_at", "retry_at", "last_error"])
