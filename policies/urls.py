from django.urls import path

app_name = "policies"

# Every path here also needs its row in tests/access_table.py.
urlpatterns: list = []

# The library (online safety lead and head keep it; DSL and deputies read it), PDFs, figures.
from policies.views import library  # noqa: E402

POLICIES = "s/<uuid:school>/policies/"
VERSION = POLICIES + "versions/<uuid:version>/"
urlpatterns += [
    path(POLICIES, library.library, name="library"),
    path(POLICIES + "new/", library.policy_new, name="policy_new"),
    path(POLICIES + "figures/", library.figures, name="figures"),
    path(POLICIES + "figures/csv/", library.figures_csv, name="figures_csv"),
    path(POLICIES + "<uuid:policy>/", library.policy_detail, name="policy_detail"),
    path(POLICIES + "<uuid:policy>/edit/", library.policy_edit, name="policy_edit"),
    path(POLICIES + "<uuid:policy>/versions/new/", library.version_new, name="version_new"),
    path(VERSION, library.version_detail, name="version_detail"),
    path(VERSION + "edit/", library.version_edit, name="version_edit"),
    path(VERSION + "approve/", library.version_approve, name="version_approve"),
    path(VERSION + "publish/", library.version_publish, name="version_publish"),
    path(VERSION + "review-date/", library.version_review_date, name="version_review_date"),
    path(VERSION + "retire/", library.version_retire, name="version_retire"),
    path(VERSION + "pdf/", library.version_pdf, name="version_pdf"),
]

# The public page, no sign-in: stable addresses the school's website links to.
from policies.views import public  # noqa: E402

urlpatterns += [
    path("p/<uuid:school>/policies/", public.public_list, name="public_list"),
    path("p/<uuid:school>/policies/<uuid:policy>/", public.public_policy, name="public_policy"),
    path("p/<uuid:school>/policies/<uuid:policy>/pdf/", public.public_pdf, name="public_pdf"),
]

# Accepting: members accept, parents co-sign, class sign-off; the visitor kiosk (no sign-in).
from policies.views import accept, kiosk  # noqa: E402

ACCEPTING = "s/<uuid:school>/policies/"
urlpatterns += [
    path(ACCEPTING + "accept/", accept.accept, name="accept"),
    path(ACCEPTING + "class-signoff/", accept.class_signoff, name="class_signoff"),
    path(ACCEPTING + "kiosk/", kiosk.kiosk_links, name="kiosk_links"),
    path(ACCEPTING + "kiosk/revoke/", kiosk.kiosk_revoke, name="kiosk_revoke"),
    path(ACCEPTING + "visitors/", kiosk.visitor_log, name="visitor_log"),
    path(ACCEPTING + "visitors/csv/", kiosk.visitor_log_csv, name="visitor_log_csv"),
    path("k/<str:token>/", kiosk.kiosk, name="kiosk"),
    path("k/<str:token>/thanks/", kiosk.kiosk_thanks, name="kiosk_thanks"),
]
