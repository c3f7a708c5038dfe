from django.contrib import admin

from esafety.admin_base import ReadOnlyAdmin
from esafety.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_label", "school", "action", "object_type", "object_code")
    list_filter = ("action",)
    search_fields = ("object_code", "actor_label", "request_id")
