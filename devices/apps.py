from django.apps import AppConfig


class DevicesConfig(AppConfig):
    name = "devices"
    label = "devices"
    verbose_name = "Devices"

    def ready(self) -> None:
        from devices.selectors.held import audit_events_hidden_from
        from esafety.audit.selectors import register_hidden_events_rule

        # Events about an evidence device tell their reader that it, and so a concern, exists.
        register_hidden_events_rule(audit_events_hidden_from)

        from devices.contributions import CONTRIBUTION
        from esafety.contributions import register

        register(CONTRIBUTION)
