"""Every write about concerns: the app's public write API. Callers use these names through
`incidents.services`; each lives in the module for what it does (log, work, nudes, escalation),
with what they share in `common`."""

from incidents.services.common import ConcernError
from incidents.services.escalation import (
    concern_escalate,
    concerns_due_for_escalation,
    concerns_escalate,
    escalation_due,
)
from incidents.services.log import InvolvedPupil, concern_add_information, concern_log
from incidents.services.nudes import nudes_answer, nudes_decision_record, review_meeting_record
from incidents.services.work import (
    SETTABLE,
    concern_acknowledge,
    concern_add_note,
    concern_close,
    concern_correct,
    concern_record_read,
    concern_reopen,
    concern_set_status,
    concerns_record_read,
    referral_record,
    step_complete,
)

__all__ = [
    "SETTABLE",
    "ConcernError",
    "InvolvedPupil",
    "concern_acknowledge",
    "concern_add_information",
    "concern_add_note",
    "concern_close",
    "concern_correct",
    "concern_escalate",
    "concern_log",
    "concern_record_read",
    "concern_reopen",
    "concern_set_status",
    "concerns_due_for_escalation",
    "concerns_escalate",
    "concerns_record_read",
    "escalation_due",
    "nudes_answer",
    "nudes_decision_record",
    "referral_record",
    "review_meeting_record",
    "step_complete",
]
