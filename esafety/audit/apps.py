from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "esafety.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from esafety.audit.contributions import CONTRIBUTION
        from esafety.contributions import register

        register(CONTRIBUTION)
