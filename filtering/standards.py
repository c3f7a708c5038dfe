"""The words of the DfE's "Filtering and monitoring standards for schools and colleges" (March 2023,
updated October 2024), as this app encodes them: the annual review's checklist and what each
role does. Paraphrased from the gov.uk page ("Meeting digital and technology standards in schools
and colleges"); the sentences here are ours, the obligations theirs. Check the current wording
on gov.uk before changing one.
"""

from filtering.models import ReviewItem, RoleKind

# What each item of the annual review asks. The standards say the review is done at least
# annually by the senior leadership team, the DSL and the IT service provider, involving the
# responsible governor, and its results recorded.
REVIEW_QUESTIONS: dict[str, str] = {
    ReviewItem.ROLES: "A member of the senior leadership team and a governor are named as "
    "responsible, and the roles of staff and of the IT service provider are written down.",
    ReviewItem.PROVISION: "What is filtered and monitored is on record: the providers, the "
    "sites, the user groups and device types covered, and how mobile data is handled.",
    ReviewItem.ILLEGAL: "The filtering provider blocks the IWF's child sexual abuse list and "
    "the police's unlawful terrorist content list, and the school cannot turn them off.",
    ReviewItem.DECISIONS: "Decisions on what is blocked or allowed, and why, are recorded, each "
    "change risk-assessed.",
    ReviewItem.CHECKS: "Checks show filtering working on every kind of device (iPads included) "
    "and for every user group, and each failure was acted on.",
    ReviewItem.TEACHING: "Filtering blocks harmful and inappropriate content without "
    "unreasonably getting in the way of teaching and learning.",
    ReviewItem.REPORTS: "Monitoring reports are read, and what they show is acted on, including "
    "alerts out of school hours.",
    ReviewItem.TRAINING: "Staff understand their part in filtering and monitoring, are trained "
    "in it, and know how to report a concern.",
    ReviewItem.MONITORING_FIT: "Monitoring meets the safeguarding needs of the school's pupils: "
    "their ages, special educational needs, English as an additional language, and the risks "
    "they face.",
    ReviewItem.TECHNOLOGY: "New technology and new use of it (devices brought from home, "
    "generative AI) has been considered.",
}

# What each role does, offered when the role is first named (the school may write its own).
ROLE_DUTIES: dict[str, str] = {
    RoleKind.SENIOR_LEADER: "Makes sure the standards are met: procures the filtering and "
    "monitoring systems, documents what is blocked or allowed and why, reviews how well they "
    "work, oversees the reports, and makes sure staff understand their part, are trained and "
    "act on reports and concerns.",
    RoleKind.GOVERNOR: "Holds strategic responsibility on behalf of the governing body: seeks "
    "assurance that the standards are met and signs off the annual review.",
    RoleKind.DSL: "Takes lead responsibility for online safety, including understanding the "
    "filtering and monitoring in place; reads the monitoring reports and acts on concerns.",
    RoleKind.IT_PROVIDER: "Maintains the filtering and monitoring systems, gives the school the "
    "reports it needs, completes the actions the school asks for, and works with the DSL and "
    "senior leader on checks and the review.",
    RoleKind.PROMPT_CHANGE: "May make a prompt change to what is blocked or allowed when a "
    "safeguarding risk needs it, and records the decision in the log the same day.",
}
