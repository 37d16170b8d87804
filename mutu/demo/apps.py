from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo kabupaten, composed from each domain's own demo data (`manage.py seed_demo`).
    It sits on top of every app, so no app below it imports another one's demo."""

    name = "mutu.demo"
    label = "demo"
    verbose_name = "Demo"
