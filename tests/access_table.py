"""Who may open which URL: the one expectation table the role × URL test checks.

Every URL pattern the resolver knows must match a row here; a new URL without a row fails
tests/test_access_matrix.py. When you add a view, add its row in the same commit.

School pages (`s/<uuid:school>/...`, every one wrapped in `school_view`) follow one rule, so
their rows only say which roles may use them:

    anonymous                  -> the sign-in page
    a member holding a role    -> 200 (GET), or 405 to a GET when the view only takes POST
    a member without the role  -> 403, to GET and POST alike
    another school's DSL       -> 404, to GET and POST alike
    an allowed role asking for another school's object under its own school -> 404

`objects` names the fixture each URL kwarg is filled from (built in the test: "pupil",
"invitation", "roster_import", "own_concern"); `school` is always the personas' school. A
fixture can be one object per persona (a concern each one logged), so that each allowed role is
asked about its own.

Pages outside a school (allauth, invitation links, the admin) say what anonymous and
signed-in users get: a status code, "login" (a redirect to the sign-in page) or
"redirect:<url name>" (a redirect to that page).
"""

import importlib
from dataclasses import dataclass, field
from pathlib import Path

from esafety.people.models import Role

STAFF = Role.STAFF.value
DSL = Role.DSL.value
DEPUTY_DSL = Role.DEPUTY_DSL.value
ONLINE_SAFETY_LEAD = Role.ONLINE_SAFETY_LEAD.value
HEAD = Role.HEAD.value
OFFICE = Role.OFFICE.value
GOVERNOR = Role.GOVERNOR.value
PARENT = Role.PARENT.value

EVERY_MEMBER = frozenset(Role.values)
# The chair of governors is a governor with one more power: opening allegations about the head.
# A row that names CHAIR lets the chair in where other governors are refused; the chair may also
# open every page a governor may. The chair's persona is asked about a concern about the head.
CHAIR = "chair"
SAFEGUARDING = frozenset({DSL, DEPUTY_DSL})
# Everyone the school employs (not governors, not parents).
EMPLOYED = frozenset({STAFF, DSL, DEPUTY_DSL, ONLINE_SAFETY_LEAD, HEAD, OFFICE})


@dataclass(frozen=True)
class School:
    roles: frozenset[str]
    method: str = "GET"  # "POST" for a view that only takes POST
    objects: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Page:
    anonymous: int | str
    signed_in: int | str
    # What a signed-in user with an authenticator app gets, when that differs.
    enrolled: int | str | None = None
    kwargs: dict[str, str] = field(default_factory=dict)


SCHOOL_PAGES: dict[str, School] = {
    "people:school_home": School(EVERY_MEMBER),
    "people:pupil_list": School(frozenset({OFFICE, HEAD}) | SAFEGUARDING),
    "people:invitation_list": School(frozenset({OFFICE, HEAD})),
    "people:invitation_revoke": School(
        frozenset({OFFICE, HEAD}), method="POST", objects={"code": "invitation"}
    ),
    # Naming class teachers: they record their class's AUP sign-off.
    "people:class_teachers": School(frozenset({OFFICE, HEAD})),
    "people:roster_list": School(frozenset({OFFICE, HEAD})),
    "people:roster_detail": School(frozenset({OFFICE, HEAD}), objects={"code": "roster_import"}),
    "people:roster_problems_csv": School(
        frozenset({OFFICE, HEAD}), objects={"code": "roster_import"}
    ),
    "people:roster_progress": School(frozenset({OFFICE, HEAD}), objects={"code": "roster_import"}),
    "audit:event_list": School(frozenset({HEAD, DSL})),
    # Logging a concern and following what you logged. "own_concern" is, for each persona,
    # a concern that persona logged: a reporter's page shows its reporter only.
    "incidents:new": School(EMPLOYED),
    # POST only: a child's name is sent in the body, never in the URL (nor an access log).
    "incidents:pupil_search": School(EMPLOYED, method="POST"),
    "incidents:mine": School(EMPLOYED),
    "incidents:my_concern": School(EMPLOYED, objects={"code": "own_concern"}),
    "incidents:my_concern_add": School(EMPLOYED, method="POST", objects={"code": "own_concern"}),
}

# The DSL's side of concerns. Governors pass school_view (the chair works allegations about the
# head) but any governor who is not the chair is refused, so the table's governor gets 403.
# Rows whose objects name a concern are also asked as the accused: the DSL about a concern
# naming the DSL, the head about one naming the head, and both must get 404, as for a concern
# that does not exist (tests/test_access_matrix.py, ACCUSED).
WORKERS = frozenset({DSL, DEPUTY_DSL, HEAD, ONLINE_SAFETY_LEAD})
CONCERN_WORKERS = WORKERS | {CHAIR}
CONCERN = {"code": "concern"}
SCHOOL_PAGES |= {
    "incidents:dashboard": School(WORKERS),
    "incidents:concern_list": School(WORKERS),
    "incidents:dashboard_list": School(WORKERS),
    "incidents:detail": School(CONCERN_WORKERS, objects=CONCERN),
    "incidents:close": School(CONCERN_WORKERS, objects=CONCERN),
    "incidents:attachment": School(
        CONCERN_WORKERS, objects={**CONCERN, "attachment": "attachment"}
    ),
    "incidents:chronology": School(frozenset({DSL, DEPUTY_DSL, HEAD}), objects={"code": "pupil"}),
    **{
        f"incidents:{name}": School(CONCERN_WORKERS, method="POST", objects=CONCERN)
        for name in (
            "acknowledge",
            "set_status",
            "add_note",
            "referral",
            "review_meeting",
            "nudes_answer",
            "nudes_decision",
            "reopen",
        )
    },
    "incidents:correct": School(
        CONCERN_WORKERS, method="POST", objects={**CONCERN, "entry": "entry"}
    ),
    "incidents:step": School(CONCERN_WORKERS, method="POST", objects={**CONCERN, "step": "step"}),
}

# The policy library: the online safety lead and the head keep it, the DSL and deputies read it,
# governors see the acceptance figures (numbers only). Each version page is asked about a version
# in the state its action needs: a draft to edit or approve, an approved version to publish, the
# published one to re-date or retire (another state sends the person back to the version).
LIBRARY_READERS = frozenset({ONLINE_SAFETY_LEAD, HEAD, DSL, DEPUTY_DSL})
LIBRARY_KEEPERS = frozenset({ONLINE_SAFETY_LEAD, HEAD})
LIBRARY_POLICY = {"policy": "library_policy"}
SCHOOL_PAGES |= {
    "policies:library": School(LIBRARY_READERS),
    "policies:policy_new": School(LIBRARY_KEEPERS),
    "policies:policy_detail": School(LIBRARY_READERS, objects=LIBRARY_POLICY),
    "policies:policy_edit": School(LIBRARY_KEEPERS, objects=LIBRARY_POLICY),
    "policies:version_new": School(LIBRARY_KEEPERS, objects=LIBRARY_POLICY),
    "policies:version_detail": School(LIBRARY_READERS, objects={"version": "library_published"}),
    "policies:version_pdf": School(LIBRARY_READERS, objects={"version": "library_published"}),
    "policies:version_edit": School(LIBRARY_KEEPERS, objects={"version": "library_draft"}),
    "policies:version_approve": School(LIBRARY_KEEPERS, objects={"version": "library_draft"}),
    "policies:version_publish": School(LIBRARY_KEEPERS, objects={"version": "library_approved"}),
    "policies:version_review_date": School(
        LIBRARY_KEEPERS, objects={"version": "library_published"}
    ),
    "policies:version_retire": School(LIBRARY_KEEPERS, objects={"version": "library_published"}),
    "policies:figures": School(LIBRARY_READERS | {GOVERNOR}),
    "policies:figures_csv": School(LIBRARY_READERS | {GOVERNOR}),
}

# Keyed by URL name. Signed-in means every persona (each holds one school membership; the
# privileged ones and other_dsl have an authenticator app, so "enrolled" applies to them).
REAUTHENTICATE = "redirect:account_reauthenticate"
OTHER_PAGES: dict[str, Page] = {
    "home": Page(anonymous="login", signed_in="redirect:people:school_home"),
    # The token is not a real one: an unknown link shows the closed page, to everyone.
    "people:invitation_accept": Page(
        anonymous=404, signed_in=404, kwargs={"token": "not-a-real-token"}
    ),
    # allauth. Open sign-up is closed (the signup page says so); signed-in users are sent on.
    "account_login": Page(anonymous=200, signed_in="redirect:home"),
    "account_logout": Page(anonymous="redirect:account_login", signed_in=200),
    "account_inactive": Page(anonymous=200, signed_in=200),
    "account_signup": Page(anonymous=200, signed_in="redirect:home"),
    "account_reauthenticate": Page(anonymous="login", signed_in=200),
    # Read-only in practice: ACCOUNT_MAX_EMAIL_ADDRESSES = 1, so nobody swaps the email the
    # school's roster links to children (tests/people/test_auth.py proves it).
    "account_email": Page(anonymous="login", signed_in=200),
    "account_email_verification_sent": Page(anonymous=200, signed_in=200),
    "account_confirm_email": Page(anonymous=200, signed_in=200, kwargs={"key": "not-a-key"}),
    "account_change_password": Page(anonymous="login", signed_in=200),
    "account_set_password": Page(anonymous="login", signed_in="redirect:account_change_password"),
    "account_reset_password": Page(anonymous=200, signed_in=200),
    "account_reset_password_done": Page(anonymous=200, signed_in=200),
    "account_reset_password_from_key": Page(
        anonymous=200, signed_in=200, kwargs={"uidb36": "0", "key": "not-a-key"}
    ),
    "account_reset_password_from_key_done": Page(anonymous=200, signed_in=200),
    # Sign-in by emailed code is off: the page only sends people back.
    "account_confirm_login_code": Page(
        anonymous="redirect:account_login", signed_in="redirect:home"
    ),
    # MFA. The test's sessions carry no recent sign-in, so allauth asks for the password again
    # before showing or changing a second factor; there are no recovery codes in the fixtures.
    "mfa_index": Page(anonymous="login", signed_in=200),
    "mfa_authenticate": Page(anonymous="redirect:account_login", signed_in="redirect:home"),
    "mfa_reauthenticate": Page(anonymous="login", signed_in=REAUTHENTICATE, enrolled=200),
    "mfa_activate_totp": Page(anonymous="login", signed_in=REAUTHENTICATE),
    "mfa_deactivate_totp": Page(anonymous="login", signed_in=404, enrolled=REAUTHENTICATE),
    "mfa_view_recovery_codes": Page(anonymous="login", signed_in=404),
    "mfa_generate_recovery_codes": Page(anonymous="login", signed_in=REAUTHENTICATE),
    "mfa_download_recovery_codes": Page(anonymous="login", signed_in=404),
    # The admin's own sign-in goes through allauth (and so through MFA); school users are
    # refused it.
    "admin:login": Page(anonymous="login", signed_in=403),
    "admin:logout": Page(anonymous="redirect:admin:index", signed_in="redirect:admin:index"),
}

# The public policies page needs no sign-in. These codes name no school, so everyone gets 404;
# tests/policies/test_public.py reads a real school's page.
NO_SCHOOL = "00000000-0000-4000-8000-000000000000"
NO_POLICY = {"school": NO_SCHOOL, "policy": "00000000-0000-4000-8000-000000000001"}
OTHER_PAGES |= {
    "policies:public_list": Page(anonymous=404, signed_in=404, kwargs={"school": NO_SCHOOL}),
    "policies:public_policy": Page(anonymous=404, signed_in=404, kwargs=NO_POLICY),
    "policies:public_pdf": Page(anonymous=404, signed_in=404, kwargs=NO_POLICY),
}

# Django's admin is for whoever runs the server (is_staff), never for a school role: every
# other admin URL sends anonymous users and school users alike to the admin sign-in above.
# Admin rows are grouped by route prefix because each registered model adds its own URLs.
ADMIN_PREFIX = "admin/"
ADMIN = Page(anonymous="redirect:admin:login", signed_in="redirect:admin:login")

# Accepting policies. Every member has policies of their own to accept; anyone the school employs
# may open the class sign-off (it then lists only the classes they teach, or every class for the
# head and the online safety lead); the office and the head run the visitor kiosk.
OFFICE_AND_HEAD = frozenset({OFFICE, HEAD})
SCHOOL_PAGES |= {
    "policies:accept": School(EVERY_MEMBER),
    "policies:class_signoff": School(
        frozenset({STAFF, DSL, DEPUTY_DSL, ONLINE_SAFETY_LEAD, HEAD, OFFICE})
    ),
    "policies:kiosk_links": School(OFFICE_AND_HEAD),
    "policies:kiosk_revoke": School(OFFICE_AND_HEAD, method="POST"),
    "policies:visitor_log": School(OFFICE_AND_HEAD),
    "policies:visitor_log_csv": School(OFFICE_AND_HEAD),
}
# The reception tablet's page: no sign-in. An unknown (or switched-off) link is a bare 404 to
# everyone; tests/policies/test_kiosk.py opens a real one.
NO_KIOSK = {"token": "not-a-real-token"}
OTHER_PAGES |= {
    "policies:kiosk": Page(anonymous=404, signed_in=404, kwargs=NO_KIOSK),
    "policies:kiosk_thanks": Page(anonymous=404, signed_in=404, kwargs=NO_KIOSK),
}

# Each later app keeps its rows in tests/<app>/access_rows.py (SCHOOL_PAGES, OTHER_PAGES, and
# objects(school, office) building what its URLs name), so apps built side by side never edit
# this file at once.
APP_ROWS = [
    importlib.import_module(f"tests.{path.parent.name}.access_rows")
    for path in sorted(Path(__file__).parent.glob("*/access_rows.py"))
]
for _module in APP_ROWS:
    SCHOOL_PAGES |= _module.SCHOOL_PAGES
    OTHER_PAGES |= _module.OTHER_PAGES
