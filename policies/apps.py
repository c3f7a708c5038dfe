from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "policies"
    label = "policies"
    verbose_name = "Policies and acceptable use"

    def ready(self) -> None:
        from esafety.contributions import register
        from policies.contributions import CONTRIBUTION

        register(CONTRIBUTION)
        # Connects the sign-in signal that works out the "policies to accept" banner.
        from policies import context_processors  # noqa: F401
