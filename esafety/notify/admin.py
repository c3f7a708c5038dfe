from django.contrib import admin

from esafety.admin_base import ReadOnlyAdmin
from esafety.notify.models import Message, Reminder


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "to_email", "subject", "sent_at", "attempts")
    list_filter = ("kind",)


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "subject", "period")
