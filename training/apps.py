from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    label = "training"
    verbose_name = "Training"

    def ready(self) -> None:
        from esafety.contributions import register
        from training.contributions import CONTRIBUTION

        register(CONTRIBUTION)
