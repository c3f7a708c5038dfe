from django.urls import path

from consent.views import parent, publish, register, setup, takedowns

app_name = "consent"

# Every path here also needs its row in tests/consent/access_rows.py.
CONSENT = "s/<uuid:school>/consent/"
urlpatterns = [
    path(CONSENT + "mine/", parent.mine, name="mine"),
    path(CONSENT, register.register, name="register"),
    path(CONSENT + "pupils/<uuid:pupil>/", register.pupil, name="pupil"),
    path(CONSENT + "pupils/<uuid:pupil>/mark/", register.mark, name="mark"),
    path(CONSENT + "figures/", register.figures, name="figures"),
    path(CONSENT + "check/", publish.check, name="check"),
    path(CONSENT + "lists/", publish.lists, name="lists"),
    path(CONSENT + "lists/pdf/", publish.lists_pdf, name="lists_pdf"),
    path(CONSENT + "uses/", publish.publications, name="publications"),
    path(CONSENT + "uses/<uuid:publication>/", publish.publication, name="publication"),
    path(CONSENT + "takedowns/", takedowns.takedowns, name="takedowns"),
    path(
        CONSENT + "takedowns/<uuid:takedown>/done/", takedowns.takedown_done, name="takedown_done"
    ),
    path(CONSENT + "purposes/", setup.purposes, name="purposes"),
    path(CONSENT + "purposes/<uuid:purpose>/", setup.purpose_edit, name="purpose_edit"),
]
