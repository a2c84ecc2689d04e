"""Background work for notifications (django-tasks)."""

from django_tasks import task

from notifications import services


@task()
def send_notifications(batch: str) -> int:
    """Send the due deliveries of one ``notify`` batch; returns how many went out."""
    return services.deliveries_send_due(batch=batch)
