"""The JSON API: URL wiring, the shared error format and the docs page. Each app keeps its own
serializers and views in <app>/api."""
