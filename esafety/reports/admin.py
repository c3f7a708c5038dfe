from django.contrib import admin

from esafety.reports.models import Trust, TrustLead


class TrustLeadInline(admin.TabularInline):
    model = TrustLead
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Trust)
class TrustAdmin(admin.ModelAdmin):
    # Trusts are set up by whoever runs the server: a school cannot join one by itself.
    list_display = ["name"]
    filter_horizontal = ["schools"]
    inlines = [TrustLeadInline]
