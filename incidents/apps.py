from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "incidents"
    label = "incidents"
    verbose_name = "Online-safety concerns"

    def ready(self) -> None:
        from esafety.audit.selectors import register_hidden_events_rule
        from esafety.people.access import register_second_factor_rule
        from incidents.selectors import audit_events_hidden_from, can_work_concerns

        register_second_factor_rule(can_work_concerns)
        register_hidden_events_rule(audit_events_hidden_from)

        from esafety.contributions import register
        from incidents.contributions import CONTRIBUTION

        register(CONTRIBUTION)
