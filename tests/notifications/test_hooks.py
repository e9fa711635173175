import pytest
from django.core import mail

from apps.notifications.models import Notification
from tests.conftest import World
from tests.filings.conftest import drive, filing, simple_kind  # noqa: F401

pytestmark = pytest.mark.django_db


def test_submission_and_decisions_notify_the_right_people(
    world: World,
    filing,  # noqa: F811
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        filing = drive(filing, world, "submit")
    told = set(
        Notification.objects.filter(verb="submitted").values_list("recipient__email", flat=True)
    )
    assert told == {world.sasac_reviewer.email, world.sasac_lead_reviewer.email}
    assert world.bj_reviewer.email not in told
    assert len(mail.outbox) == 2
    with django_capture_on_commit_callbacks(execute=True):
        filing = drive(filing, world, "start_review", "return")
    told = set(
        Notification.objects.filter(verb="returned").values_list("recipient__email", flat=True)
    )
    assert told == {world.lead.email, world.editor.email}
    assert Notification.objects.filter(verb="returned", url=f"/filings/{filing.pk}/").count() == 2


def test_assignment_notifies_the_reviewer(
    world: World,
    filing,  # noqa: F811
    django_capture_on_commit_callbacks,
) -> None:
    from apps.reviews.services import assignment_create

    filing = drive(filing, world, "submit")
    with django_capture_on_commit_callbacks(execute=True):
        assignment_create(
            filing=filing, reviewers=[world.sasac_reviewer], actor=world.sasac_lead_reviewer
        )
    note = Notification.objects.get(verb="assigned")
    assert note.recipient == world.sasac_reviewer
    assert note.url == f"/filings/{filing.pk}/"
