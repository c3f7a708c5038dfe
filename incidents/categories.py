"""The concern categories, their 4C, their route and their procedure.

Encodes DOMAIN.md's table (KCSIE's 4 Cs; a school policy's Appendix A procedures; UKCIS advice on
sharing nudes). Procedures are copied onto a concern when it is logged, so changing a step here
never rewrites the record of an old concern.
"""

from dataclasses import dataclass, field

from django.db import models


class FourC(models.TextChoices):
    CONTENT = "content", "Content"
    CONTACT = "contact", "Contact"
    CONDUCT = "conduct", "Conduct"
    COMMERCE = "commerce", "Commerce"


class Category(models.TextChoices):
    NUDES = "nudes", "Sharing nudes or semi-nudes"
    SEXUAL_ABUSE = "online_sexual_abuse", "Online child sexual abuse or exploitation (grooming)"
    IIOC = "iioc", "Indecent images of children (IIOC)"
    RADICALISATION = "radicalisation", "Radicalisation or extremism"
    CYBERBULLYING = "cyberbullying", "Cyberbullying"
    ONLINE_HATE = "online_hate", "Online hate"
    FILTERING = "filtering_breach", "Filtering or monitoring breach"
    MISUSE = "misuse", "Misuse of school systems"
    STAFF_CONDUCT = "staff_conduct", "A member of staff's online conduct"
    COMMERCE = "commerce", "Scams, gambling or commercial exploitation"
    MISINFORMATION = "misinformation", "Misinformation, disinformation or conspiracy"


class Route(models.TextChoices):
    DSL = "dsl", "Designated safeguarding lead"
    ONLINE_SAFETY_LEAD = "online_safety_lead", "Online safety lead, DSL informed"
    HEAD = "head", "Headteacher (chair of governors if it concerns the head)"


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    required: bool = True
    # Required only on a concern that names a member of staff (on others it is there, optional).
    required_when_staff_involved: bool = False


@dataclass(frozen=True)
class CategoryInfo:
    category: Category
    four_c: FourC
    route: Route
    child_protection: bool
    allows_attachments: bool
    do_now: tuple[str, ...]
    never: tuple[str, ...]
    steps: tuple[Step, ...] = field(default_factory=tuple)
    attachments_refused_because: str = ""
    # The head is alerted at once as well when the concern names a member of staff (the chair
    # of governors when it is the head).
    head_told_when_staff_involved: bool = False
    # How the category reads inside a sentence ("the procedure for …"), where its label, written
    # as a heading, does not.
    sentence_name: str = ""

    @property
    def in_a_sentence(self) -> str:
        label = self.category.label
        return self.sentence_name or label[:1].lower() + label[1:]


NO_IMAGES = (
    "Never attach, view, copy, print, share or save the images, and never ask a child to send "
    "them: doing so can itself be an offence. Secure the device (switch it off, do not delete "
    "anything) and tell the DSL in person now. Describe what you were told in words instead."
)

CATEGORIES: dict[str, CategoryInfo] = {
    Category.NUDES: CategoryInfo(
        category=Category.NUDES,
        four_c=FourC.CONDUCT,
        route=Route.DSL,
        child_protection=True,
        allows_attachments=False,
        attachments_refused_because=NO_IMAGES,
        do_now=(
            "Tell the DSL in person at once.",
            "Confiscate and secure the device: switch it off, keep it locked away.",
            "Write down what the child told you, in their words.",
        ),
        never=(
            "Never view, copy, print, share, store or save the images.",
            "Never ask a child to show or send them.",
            "Never delete the images or ask a child to delete them.",
            "Never promise a child that it will stay secret.",
        ),
        steps=(
            Step("notify_dsl", "DSL notified at once"),
            Step("secure_device", "Device secured (not viewed, not wiped)"),
            Step("initial_review", "Initial review meeting held"),
            Step("risk_assessment", "Risk assessment of the children involved"),
            Step("vulnerabilities", "Vulnerabilities considered, checks made with other agencies"),
            Step("referral_decision", "Referral decision recorded with its reasons"),
            Step("safeguards", "Safeguards and support in place for those involved"),
            Step("sanctions", "Sanctions considered, without re-traumatising victims"),
            Step("inform_parents", "Parents informed, unless that would put a child at risk"),
            Step("review", "Handling of the incident reviewed"),
        ),
    ),
    Category.SEXUAL_ABUSE: CategoryInfo(
        category=Category.SEXUAL_ABUSE,
        four_c=FourC.CONTACT,
        route=Route.DSL,
        child_protection=True,
        allows_attachments=False,
        attachments_refused_because=NO_IMAGES,
        do_now=(
            "Tell the DSL in person at once.",
            "If a child is at immediate risk, call 999.",
            "Secure any device involved: switch it off, keep it locked away.",
        ),
        never=(
            "Never view, copy or save images or messages from the device.",
            "Never contact the suspected offender.",
            "Never promise a child that it will stay secret.",
        ),
        steps=(
            Step("notify_dsl", "DSL notified at once"),
            Step("secure_device", "Devices secured"),
            Step("police", "Police informed (101, or 999 if a child is at immediate risk)"),
            Step("ceop", "Child helped to report to CEOP where appropriate", required=False),
            Step("risk_assessment", "Risk assessment, including vulnerabilities and checks"),
            Step("social_care", "Referral to children's social care considered"),
            Step("safeguards", "Safeguards and support in place"),
            Step("inform_parents", "Parents informed, unless that would put a child at risk"),
            Step("review", "Handling of the incident reviewed"),
        ),
    ),
    Category.IIOC: CategoryInfo(
        category=Category.IIOC,
        four_c=FourC.CONTENT,
        route=Route.DSL,
        child_protection=True,
        allows_attachments=False,
        attachments_refused_because=NO_IMAGES,
        do_now=(
            "Tell the DSL in person at once (the head if a member of staff is involved).",
            "Secure and quarantine the device: do not switch it on again, do not wipe it.",
            "Note the web address if it was seen online; do not go back to it.",
        ),
        never=(
            "Never keep a copy of an image, unless the police ask the school to.",
            "Never forward, print or screenshot anything.",
        ),
        steps=(
            Step("notify_dsl", "DSL notified at once"),
            Step("quarantine_device", "Devices secured and quarantined"),
            Step("iwf", "Web addresses reported to the Internet Watch Foundation"),
            Step("police", "Police informed (101, or 999 if a child is at immediate risk)"),
            Step("delete_copies", "Other copies (for example in email) deleted"),
            Step(
                "lado",
                "LADO informed where a member of staff is involved",
                required=False,
                required_when_staff_involved=True,
            ),
        ),
        head_told_when_staff_involved=True,
    ),
    Category.RADICALISATION: CategoryInfo(
        category=Category.RADICALISATION,
        four_c=FourC.CONTENT,
        route=Route.DSL,
        child_protection=True,
        allows_attachments=True,
        do_now=("Tell the DSL the same day; at once if a child may be at risk of harm.",),
        never=("Never investigate the child's online activity yourself.",),
        steps=(
            Step("notify_dsl", "DSL informed"),
            Step("prevent", "Prevent (Channel) referral considered"),
            Step("decision", "Decision and its reasons recorded"),
        ),
    ),
    Category.CYBERBULLYING: CategoryInfo(
        category=Category.CYBERBULLYING,
        four_c=FourC.CONDUCT,
        route=Route.DSL,
        child_protection=True,
        allows_attachments=True,
        do_now=(
            "Reassure the child and write down what happened.",
            "Keep the evidence: a screenshot of the messages is allowed for bullying.",
        ),
        never=("Never reply to the messages or contact those responsible online.",),
        steps=(
            Step("record", "Incident recorded"),
            Step("evidence", "Evidence kept"),
            Step("identify", "Those involved identified where possible"),
            Step("removal", "Removal of the content requested"),
            Step("sanctions", "Sanctions under the anti-bullying and behaviour policies"),
            Step("inform_parents", "Parents of those involved informed"),
            Step("police", "Police contacted if a crime is suspected", required=False),
        ),
    ),
    Category.ONLINE_HATE: CategoryInfo(
        category=Category.ONLINE_HATE,
        four_c=FourC.CONDUCT,
        route=Route.DSL,
        child_protection=True,
        allows_attachments=True,
        do_now=("Write down what happened and keep the evidence.",),
        never=("Never share the hateful content further, even to show colleagues.",),
        steps=(
            Step("record", "Incident recorded"),
            Step("support", "Support offered to those targeted"),
            Step("sanctions", "Action under the anti-bullying and behaviour policies"),
            Step("police", "Police contacted if a crime is suspected", required=False),
        ),
    ),
    Category.FILTERING: CategoryInfo(
        category=Category.FILTERING,
        four_c=FourC.CONTENT,
        route=Route.ONLINE_SAFETY_LEAD,
        child_protection=False,
        allows_attachments=True,
        sentence_name="a filtering or monitoring breach",
        do_now=(
            "Note the web address, the device and the time.",
            "Turn the screen off or close the page; do not go back to it.",
        ),
        never=("Never take a screenshot of illegal material: note the address instead.",),
        steps=(
            Step("record_url", "Web address recorded"),
            Step("block", "Address blocked in the filtering system"),
            Step(
                "iwf", "Illegal material reported to the Internet Watch Foundation", required=False
            ),
            Step("filter_log", "Change to the filtering logged and risk-assessed"),
        ),
    ),
    Category.MISUSE: CategoryInfo(
        category=Category.MISUSE,
        four_c=FourC.CONDUCT,
        route=Route.ONLINE_SAFETY_LEAD,
        child_protection=False,
        allows_attachments=True,
        do_now=("Note what was done, on which account and device, and when.",),
        never=("Never use the account yourself to investigate.",),
        steps=(
            Step("record", "Incident recorded"),
            Step("sanctions", "Sanctions under the acceptable use policy"),
            Step("report", "Reported onwards where a crime is suspected", required=False),
        ),
    ),
    Category.STAFF_CONDUCT: CategoryInfo(
        category=Category.STAFF_CONDUCT,
        four_c=FourC.CONDUCT,
        route=Route.HEAD,
        child_protection=True,
        allows_attachments=True,
        do_now=(
            "Tell the headteacher (or the chair of governors if it concerns the head).",
            "Write down what you saw or were told, with dates.",
        ),
        never=(
            "Never discuss it with the member of staff concerned.",
            "Never investigate it yourself.",
        ),
        steps=(
            Step("head_informed", "Headteacher (or chair) informed"),
            Step("lado", "LADO consulted"),
            Step("restrict", "Record restricted to those who need to know"),
            Step("policy", "Managing allegations policy followed"),
        ),
    ),
    Category.COMMERCE: CategoryInfo(
        category=Category.COMMERCE,
        four_c=FourC.COMMERCE,
        route=Route.DSL,
        child_protection=False,
        allows_attachments=True,
        do_now=("Note what happened and any money or details lost.",),
        never=("Never click links or contact the sender to check.",),
        steps=(
            Step("record", "Incident recorded"),
            Step("advise_parents", "Parents advised"),
        ),
    ),
    Category.MISINFORMATION: CategoryInfo(
        category=Category.MISINFORMATION,
        four_c=FourC.CONTENT,
        route=Route.ONLINE_SAFETY_LEAD,
        child_protection=False,
        allows_attachments=True,
        do_now=("Note where it was seen and who is affected.",),
        never=("Never share the content further.",),
        steps=(
            Step("record", "Incident recorded"),
            Step("education", "Education response planned"),
        ),
    ),
}

IMAGE_CATEGORIES = frozenset(c for c, info in CATEGORIES.items() if not info.allows_attachments)
CHILD_PROTECTION = frozenset(c for c, info in CATEGORIES.items() if info.child_protection)
# What the online safety lead reads and works: the categories routed to them, not every category
# that is not child protection (scams and gambling are routed to the DSL).
ONLINE_SAFETY_LEAD_CATEGORIES = frozenset(
    c for c, info in CATEGORIES.items() if info.route == Route.ONLINE_SAFETY_LEAD
)


def info(category: str) -> CategoryInfo:
    return CATEGORIES[category]


# UKCIS advice (2024): after the initial review meeting, any "yes" means an immediate referral to
# the police and/or children's social care. Check the current wording before each release.
NUDES_QUESTIONS: tuple[tuple[str, str], ...] = (
    ("adult", "Is an adult involved?"),
    (
        "coercion",
        "Is there coercion, blackmail or grooming, or doubt about a child's capacity to consent "
        "(for example because of special educational needs)?",
    ),
    (
        "unusual",
        "Are the acts unusual for the child's developmental stage, or violent?",
    ),
    ("under13", "Does a child under 13 appear in imagery of sexual acts?"),
    (
        "immediate_risk",
        "Is a child at immediate risk of harm (for example suicidal or self-harming)?",
    ),
)


# Steps that a structured record does: recording the acknowledgement, the initial review meeting,
# the referral decision or (at closing) whether the parents were informed completes the step,
# linked to the record, so the DSL never records the same fact twice and a step can never say
# "done" while its record is missing. These steps are not ticked by hand.
class KeptBy(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", "Done when the concern is acknowledged."
    REVIEW_MEETING = "review_meeting", "Done when the initial review meeting is recorded."
    REFERRAL_DECISION = (
        "referral_decision",
        "Done when the referral decision is recorded: a referral, or a decision not to refer, "
        "with its reasons.",
    )
    CLOSING = "closing", "Answered when the concern is closed (were the parents informed?)."


KEPT_BY: dict[str, KeptBy] = {
    "notify_dsl": KeptBy.ACKNOWLEDGEMENT,
    "head_informed": KeptBy.ACKNOWLEDGEMENT,
    "initial_review": KeptBy.REVIEW_MEETING,
    "referral_decision": KeptBy.REFERRAL_DECISION,
    "decision": KeptBy.REFERRAL_DECISION,
    "inform_parents": KeptBy.CLOSING,
}

# Steps a referral to an outside agency does (step key: agency). They may also be ticked by hand,
# or marked not applicable where they are optional.
AGENCY_STEPS: dict[str, str] = {
    "police": "police",
    "social_care": "social_care",
    "ceop": "ceop",
    "iwf": "iwf",
    "lado": "lado",
    "prevent": "prevent",
}
