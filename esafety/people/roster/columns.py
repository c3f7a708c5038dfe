"""The columns a roster file may have: the import page lists them, the checks read them."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    meaning: str


COLUMNS: tuple[Column, ...] = (
    Column(
        "mis_id",
        True,
        "The pupil's id in your MIS (admission number or UPN). Always export the same one: "
        "it is how a later import finds the pupil again.",
    ),
    Column("first_name", True, "Up to 100 characters."),
    Column("last_name", True, "Up to 100 characters."),
    Column("date_of_birth", True, "YYYY-MM-DD or DD/MM/YYYY."),
    Column("year_group", True, "As your MIS writes it, for example Year 5 or R."),
    Column("class", False, "Registration class or form. A new name creates the class."),
    Column("sen", False, "Special educational needs: yes or no. Blank means no."),
    Column("looked_after", False, "Looked-after child: yes or no. Blank means no."),
    Column("cp_plan", False, "On a child-protection plan: yes or no. Blank means no."),
    Column("on_roll_date", False, "The date the pupil joined the school."),
    Column(
        "leaving_date",
        False,
        "The date the pupil left. A date up to today takes the pupil off roll; a later date "
        "keeps them on roll until you import again after it.",
    ),
    Column(
        "guardian1_email",
        False,
        "A parent or carer's email. Someone who has accepted a parent invitation with this "
        "email is linked to the pupil.",
    ),
    Column("guardian1_name", False, "Their name, up to 200 characters."),
    Column("guardian1_relationship", False, "For example Mother, Father, Carer."),
    Column(
        "guardian1_parental_responsibility",
        False,
        "yes or no: do they hold parental responsibility? Blank means yes.",
    ),
    Column("guardian2_email", False, "The same four columns for a second parent or carer."),
    Column("guardian2_name", False, ""),
    Column("guardian2_relationship", False, ""),
    Column("guardian2_parental_responsibility", False, ""),
)
COLUMN_NAMES = frozenset(c.name for c in COLUMNS)
REQUIRED = tuple(c.name for c in COLUMNS if c.required)
FLAGS = ("sen", "looked_after", "cp_plan")
GUARDIAN_SLOTS = (1, 2)
