from django.contrib import admin

from esafety.admin_base import ReadOnlyAdmin
from esafety.people.models import Invitation, Membership, RosterImport, School, User


@admin.register(School)
class SchoolAdmin(ReadOnlyAdmin):
    list_display = ("name", "urn", "timezone", "escalation_minutes")
    search_fields = ("name", "urn")


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ("email", "full_name", "is_active", "is_superuser", "date_joined")
    search_fields = ("email", "full_name")
    exclude = ("password",)


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("user", "school", "role", "is_chair", "is_active")
    list_filter = ("role", "school")


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ("email", "school", "role", "created_at", "accepted_at", "revoked_at")
    exclude = ("token_hash",)


@admin.register(RosterImport)
class RosterImportAdmin(ReadOnlyAdmin):
    list_display = ("original_name", "school", "status", "total_rows", "created_at")
