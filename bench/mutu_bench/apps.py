from django.apps import AppConfig


class MutuBenchConfig(AppConfig):
    # No models: the commands write mutu's own tables with benchmark data.
    name = "bench.mutu_bench"
    label = "mutu_bench"
    verbose_name = "mutu benchmark"
