"""Background imports (Django Tasks; `manage.py db_worker` in production)."""

from django.tasks import task

from mutu.organisations.import_jobs import import_run


@task()
def run_import(job_id: int) -> str:
    return import_run(job_id)
