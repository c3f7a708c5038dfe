from django.urls import path

from incidents.views import dashboard, reporter, work

app_name = "incidents"

# Every path here also needs its row in tests/access_table.py.
urlpatterns: list = []

# The DSL's side: the dashboard, working a concern, its evidence, the pupil chronology.
CONCERN = "s/<uuid:school>/concerns/<uuid:code>/"
urlpatterns += [
    path("s/<uuid:school>/concerns/", dashboard.dashboard, name="dashboard"),
    path("s/<uuid:school>/concerns/all/", dashboard.concern_list, name="concern_list"),
    path("s/<uuid:school>/concerns/list/", dashboard.dashboard_list, name="dashboard_list"),
    path(CONCERN, work.detail, name="detail"),
    path(CONCERN + "acknowledge/", work.acknowledge, name="acknowledge"),
    path(CONCERN + "status/", work.set_status, name="set_status"),
    path(CONCERN + "notes/", work.add_note, name="add_note"),
    path(CONCERN + "entries/<uuid:entry>/correct/", work.correct, name="correct"),
    path(CONCERN + "steps/<slug:step>/", work.step, name="step"),
    path(CONCERN + "referrals/", work.referral, name="referral"),
    path(CONCERN + "review-meeting/", work.review_meeting, name="review_meeting"),
    path(CONCERN + "questions/", work.nudes_answer, name="nudes_answer"),
    path(CONCERN + "decision/", work.nudes_decision, name="nudes_decision"),
    path(CONCERN + "close/", work.close, name="close"),
    path(CONCERN + "reopen/", work.reopen, name="reopen"),
    path(CONCERN + "attachments/<uuid:attachment>/", work.attachment, name="attachment"),
    path("s/<uuid:school>/pupils/<uuid:code>/chronology/", work.chronology, name="chronology"),
]

# The reporter's side: any member of staff logs a concern and follows its status.
urlpatterns += [
    path("s/<uuid:school>/concerns/new/", reporter.concern_new, name="new"),
    path("s/<uuid:school>/concerns/pupil-search/", reporter.pupil_search, name="pupil_search"),
    path("s/<uuid:school>/concerns/mine/", reporter.concern_mine, name="mine"),
    path("s/<uuid:school>/concerns/mine/<uuid:code>/", reporter.my_concern, name="my_concern"),
    path(
        "s/<uuid:school>/concerns/mine/<uuid:code>/add/",
        reporter.my_concern_add,
        name="my_concern_add",
    ),
]
