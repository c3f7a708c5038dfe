"""Every read of concerns goes through here, scoped to the school and to what the role may see.

One module a side: `visibility` (the one rule, concerns_for, and what it hides), `detail` (a
concern's page), `lists` (every concern, filtered, a page at a time), `dashboard` (the DSL's
at-a-glance lists and counts), `pupils` (finding pupils, the chronology), `reporter` (what a
member logged). Callers import from here: `from incidents import selectors`.
"""

# The concern list's pager, moved to esafety.paging for the other apps' long lists.
from esafety.paging import RowsPage, page_number, rows_page
from incidents.selectors.dashboard import (
    OpenCounts,
    UnacknowledgedCounts,
    awaiting_agency,
    open_counts,
    steps_outstanding,
    unacknowledged,
    unacknowledged_count,
)
from incidents.selectors.detail import attachment_of, concern_detail, entry_of, step_of
from incidents.selectors.lists import (
    ROW_FIELDS,
    ConcernFilters,
    concern_list,
    pupils_named,
    with_steps_open,
)
from incidents.selectors.pupils import (
    CHRONOLOGY_PAGE,
    ChronologyPage,
    chronology,
    pupil_concern_links,
    pupils_matching,
)
from incidents.selectors.reporter import (
    concerns_reported_by,
    pupils_on_roll_by_code,
    reported_concern,
)
from incidents.selectors.visibility import (
    NOTHING,
    OPENING_ROLES,
    audit_events_hidden_from,
    can_work_concerns,
    concern_codes_hidden_from,
    concerns_for,
    may_open,
    visibility,
)

__all__ = [
    "CHRONOLOGY_PAGE",
    "NOTHING",
    "OPENING_ROLES",
    "ROW_FIELDS",
    "ChronologyPage",
    "ConcernFilters",
    "OpenCounts",
    "RowsPage",
    "UnacknowledgedCounts",
    "attachment_of",
    "audit_events_hidden_from",
    "awaiting_agency",
    "can_work_concerns",
    "chronology",
    "concern_codes_hidden_from",
    "concern_detail",
    "concern_list",
    "concerns_for",
    "concerns_reported_by",
    "entry_of",
    "may_open",
    "open_counts",
    "page_number",
    "pupil_concern_links",
    "pupils_matching",
    "pupils_named",
    "pupils_on_roll_by_code",
    "reported_concern",
    "rows_page",
    "step_of",
    "steps_outstanding",
    "unacknowledged",
    "unacknowledged_count",
    "visibility",
    "with_steps_open",
]
