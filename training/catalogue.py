"""The default course catalogue a school starts with (DOMAIN.md, "Training"), and changes.

All staff: safeguarding induction (online safety and their part in filtering and monitoring
included) and an update every year; the DSL and deputies formal training every two years, their
knowledge refreshed every year, and Prevent awareness; governors trained at induction and
regularly updated. The annual update is due by a date in each academic year, as the training
products schools use tie it to the year (or the KCSIE edition), not to a rolling 365 days.
"""

from training.models import Group, Kind, Validity

DEFAULT_COURSES: tuple[dict, ...] = (
    {
        "title": "Safeguarding induction",
        "kind": Kind.INDUCTION,
        "validity": Validity.ONCE,
        "within_days": 30,
        "required_for": [Group.STAFF],
    },
    {
        "title": "Annual safeguarding and online-safety update",
        "kind": Kind.ANNUAL_UPDATE,
        "validity": Validity.ACADEMIC_YEAR,
        "due_month": 10,
        "due_day": 31,
        "required_for": [Group.STAFF],
    },
    {
        "title": "DSL formal training",
        "kind": Kind.DSL_FORMAL,
        "validity": Validity.ROLLING,
        "months": 24,
        "required_for": [Group.DSL],
    },
    {
        "title": "DSL annual refresh",
        "kind": Kind.DSL_REFRESH,
        "validity": Validity.ROLLING,
        "months": 12,
        "required_for": [Group.DSL],
    },
    {
        "title": "Prevent awareness",
        "kind": Kind.PREVENT,
        "validity": Validity.ROLLING,
        "months": 24,
        "required_for": [Group.DSL],
    },
    {
        "title": "Filtering and monitoring",
        "kind": Kind.FILTERING,
        "validity": Validity.ACADEMIC_YEAR,
        "due_month": 10,
        "due_day": 31,
        "required_for": [Group.DSL, Group.ONLINE_SAFETY_LEAD, Group.SAFEGUARDING_GOVERNOR],
    },
    {
        "title": "Governors' safeguarding training",
        "kind": Kind.GOVERNORS,
        "validity": Validity.ROLLING,
        "months": 36,
        "required_for": [Group.GOVERNORS, Group.CHAIR, Group.SAFEGUARDING_GOVERNOR],
    },
)
