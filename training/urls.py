from django.urls import path

from training.views import courses, engagement, matrix, records

app_name = "training"

# Every path here also needs its row in tests/training/access_rows.py.
T = "s/<uuid:school>/training/"
RECORD = T + "records/<uuid:record>/"
urlpatterns: list = [
    path(T, records.mine, name="mine"),
    path(T + "records/new/", records.record_new, name="record_new"),
    path(T + "records/to-verify/", records.to_verify, name="to_verify"),
    path(RECORD, records.record_detail, name="record_detail"),
    path(RECORD + "verify/", records.record_verify, name="record_verify"),
    path(RECORD + "reject/", records.record_reject, name="record_reject"),
    path(RECORD + "certificate/", records.certificate, name="certificate"),
    path(T + "matrix/", matrix.matrix, name="matrix"),
    path(T + "matrix/csv/", matrix.matrix_csv, name="matrix_csv"),
    path(T + "matrix/pdf/", matrix.matrix_pdf, name="matrix_pdf"),
    path(T + "courses/", courses.courses, name="courses"),
    path(T + "courses/new/", courses.course_new, name="course_new"),
    path(T + "courses/<uuid:course>/", courses.course_edit, name="course_edit"),
    path(T + "settings/", courses.settings, name="settings"),
    path(T + "engagement/", engagement.engagement, name="engagement"),
    path(T + "engagement/new/", engagement.event_new, name="event_new"),
    path(T + "sessions/new/", engagement.session_new, name="session_new"),
]
