from celery import shared_task

from apps.people.services import invitation_email_send


# The raw token travels through the broker because the link in the email must contain it;
# the database keeps only its hash. Late acknowledgement: a worker lost mid-send re-sends,
# and a second copy of the same link is harmless.
@shared_task(
    name="apps.people.tasks.send_invitation_email", acks_late=True, reject_on_worker_lost=True
)
def send_invitation_email(invitation_id: int, token: str, base_url: str) -> bool:
    return invitation_email_send(invitation_id=invitation_id, token=token, base_url=base_url)
