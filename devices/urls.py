from django.urls import path

from devices.views import desk, evidence, held, registers

app_name = "devices"

P = "s/<uuid:school>/devices/"

urlpatterns = [
    path(f"{P}", held.held, name="held"),
    path(f"{P}desk/", desk.desk, name="desk"),
    path(f"{P}settings/", desk.settings, name="settings"),
    path(f"{P}desk/<uuid:pupil>/in/", desk.check_in, name="check_in"),
    path(f"{P}desk/<uuid:pupil>/back/", desk.hand_back, name="hand_back"),
    path(f"{P}confiscate/", held.confiscate, name="confiscate"),
    path(f"{P}evidence/new/", evidence.evidence_new, name="evidence_new"),
    path(f"{P}exceptions/", registers.exceptions, name="exceptions"),
    path(f"{P}exceptions/new/", registers.exception_new, name="exception_new"),
    path(f"{P}exceptions/<uuid:code>/", registers.exception, name="exception"),
    path(f"{P}exceptions/<uuid:code>/end/", registers.exception_end, name="exception_end"),
    path(f"{P}searches/", registers.searches, name="searches"),
    path(f"{P}searches/new/", registers.search_new, name="search_new"),
    path(f"{P}equipment/", registers.equipment, name="equipment"),
    path(f"{P}equipment/new/", registers.equipment_new, name="equipment_new"),
    path(f"{P}equipment/camera-images-deleted/", registers.camera_wipe, name="camera_wipe"),
    path(f"{P}equipment/<uuid:code>/out/", registers.equipment_out, name="equipment_out"),
    path(f"{P}equipment/<uuid:code>/in/", registers.equipment_in, name="equipment_in"),
    path(f"{P}<uuid:code>/", held.device, name="device"),
    path(f"{P}<uuid:code>/move/", held.move, name="move"),
    path(f"{P}<uuid:code>/release/", held.release, name="release"),
    path(f"{P}<uuid:code>/custody.pdf", held.custody_pdf, name="custody_pdf"),
    path(f"{P}<uuid:code>/police/", evidence.police, name="police"),
    path(f"{P}<uuid:code>/evidence-release/", evidence.evidence_release, name="evidence_release"),
]
