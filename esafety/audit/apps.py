from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "esafety.audit"
    label = "audit"
    verbose_name = "Audit trail"
