"""Background tasks (Django Tasks, run by `manage.py db_worker` in production)."""

from django.core.mail import EmailMultiAlternatives
from django.tasks import task


@task()
def send_email(*, subject: str, body: str, to: list[str], from_email: str | None = None) -> int:
    """Send one email outside the request, so a slow or failing SMTP server never blocks a page."""
    return EmailMultiAlternatives(subject, body, from_email, to).send()
