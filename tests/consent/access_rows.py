"""The Photo and video consent app's rows in the role × URL table
(tests/access_table.py gathers them), and the
objects its URLs name (tests/test_access_matrix.py builds them at both schools)."""

from tests.access_table import (
    DEPUTY_DSL,
    DSL,
    EMPLOYED,
    GOVERNOR,
    HEAD,
    OFFICE,
    PARENT,
    Page,
    School,
)

# Who records paper and in-person decisions and reads the register; only the DSL and head mark
# a pupil "do not photograph"; the office and head take photos down and keep the purposes.
RECORDERS = frozenset({OFFICE, HEAD, DSL, DEPUTY_DSL})
OFFICE_AND_HEAD = frozenset({OFFICE, HEAD})
PUPIL = {"pupil": "pupil"}

SCHOOL_PAGES: dict[str, School] = {
    # A parent's own children only (tests/consent/test_parent_views.py asks with other codes).
    "consent:mine": School(frozenset({PARENT})),
    "consent:register": School(RECORDERS),
    "consent:pupil": School(RECORDERS, objects=PUPIL),
    "consent:mark": School(frozenset({DSL, HEAD}), method="POST", objects=PUPIL),
    "consent:figures": School(frozenset({HEAD, GOVERNOR, OFFICE, DSL})),
    # Every member of staff checks before publishing and prints the lists.
    "consent:check": School(EMPLOYED),
    "consent:lists": School(EMPLOYED),
    "consent:lists_pdf": School(EMPLOYED),
    "consent:publications": School(EMPLOYED),
    "consent:publication": School(EMPLOYED, objects={"publication": "consent_publication"}),
    "consent:takedowns": School(OFFICE_AND_HEAD),
    "consent:takedown_done": School(
        OFFICE_AND_HEAD, method="POST", objects={"takedown": "consent_takedown"}
    ),
    "consent:purposes": School(OFFICE_AND_HEAD),
    "consent:purpose_edit": School(OFFICE_AND_HEAD, objects={"purpose": "consent_purpose"}),
}
OTHER_PAGES: dict[str, Page] = {}


def objects(school, office) -> dict[str, object]:
    """One of each object this app's URLs name, at `school` (`office` is its office member)."""
    from consent.models import Choice, Method, Purpose
    from consent.services.decisions import decision_record
    from consent.services.publications import publication_record
    from consent.services.setup import consent_setup
    from esafety.people.models import Membership, Role
    from tests.factories import GuardianFactory, PupilFactory

    # A member of this school who records decisions (its DSL, head or office):
    # no member is added to either school, so no other app's rows see an extra one.
    recorder = (
        Membership.objects.filter(
            school=school, is_active=True, role__in=[Role.OFFICE, Role.HEAD, Role.DSL]
        )
        .order_by("role")
        .first()
        .user
    )
    consent_setup(school=school, actor=recorder)
    display = Purpose.objects.get(school=school, label="Displays in school")
    pupil = PupilFactory(school=school)
    guardian = GuardianFactory(pupil=pupil)
    use = publication_record(
        actor=recorder, purpose=display, pupils=[pupil], title="Class assembly", channel="display"
    )
    # An objection turns the use into a take-down.
    decision_record(
        actor=recorder,
        pupil=pupil,
        purpose=display,
        choice=Choice.REFUSED,
        method=Method.PAPER,
        guardian=guardian,
    )
    return {
        "consent_publication": use.code,
        "consent_takedown": use.takedowns.get().code,
        "consent_purpose": display.code,
    }
