"""Filing numbers stay unique and gap-free when lead reviewers approve at the same moment.

Real transactions on separate connections, one per thread: the test database is flushed
afterwards, so the world and the campaign are made afresh (factories.authority re-creates
the authorities)."""

import threading

import pytest
from django.db import connection

from apps.accounts.models import User
from apps.enterprises.models import Enterprise, Role
from apps.enterprises.services import membership_grant
from apps.filings.models import Filing
from apps.filings.services import IllegalTransition
from apps.filings.workflow import State
from apps.reviews.models import Decision, FilingNumberSequence
from apps.reviews.services import decision_make
from apps.timeline.models import Deliverable
from tests.conftest import World
from tests.factories import EnterpriseFactory
from tests.reviews.conftest import submitted_filing

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

N = 8


def race(filing_ids: list[int], actor_id: int) -> tuple[list[str], list[BaseException]]:
    """Approve each filing in its own thread, all released at once."""
    barrier = threading.Barrier(len(filing_ids))
    numbers: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def approve(filing_id: int) -> None:
        try:
            actor = User.objects.get(pk=actor_id)
            filing = Filing.objects.get(pk=filing_id)
            barrier.wait(timeout=30)
            decision = decision_make(filing=filing, outcome="approve", reasons="", actor=actor)
            with lock:
                numbers.append(str(decision.filing_number))
        except BaseException as exc:  # collected, to assert on in the main thread
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(pk,)) for pk in filing_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return numbers, errors


def test_concurrent_approvals_number_without_duplicates_or_gaps(
    world: World, plan: Deliverable, simple_kind: object
) -> None:
    filings = []
    for _ in range(N):
        enterprise: Enterprise = EnterpriseFactory.create(authority=world.sasac)
        membership_grant(user=world.lead, role=Role.LEAD, enterprise=enterprise)
        filings.append(
            submitted_filing(enterprise, plan, world.lead, reviewer=world.sasac_reviewer)
        )

    numbers, errors = race([f.pk for f in filings], world.sasac_lead_reviewer.pk)

    assert errors == []
    code = plan.campaign.code
    assert sorted(numbers) == [f"{code}-SASAC-{n:04d}" for n in range(1, N + 1)]
    assert FilingNumberSequence.objects.get().last_number == N
    assert Decision.objects.count() == N
    assert set(Filing.objects.filter(pk__in=[f.pk for f in filings]).values_list(
        "state", flat=True)) == {State.APPROVED}  # fmt: skip


def test_the_same_filing_approved_twice_at_once_takes_one_number(
    world: World, plan: Deliverable, simple_kind: object
) -> None:
    enterprise: Enterprise = EnterpriseFactory.create(authority=world.sasac)
    membership_grant(user=world.lead, role=Role.LEAD, enterprise=enterprise)
    filing = submitted_filing(enterprise, plan, world.lead, reviewer=world.sasac_reviewer)

    numbers, errors = race([filing.pk, filing.pk], world.sasac_lead_reviewer.pk)

    assert numbers == [f"{plan.campaign.code}-SASAC-0001"]
    assert len(errors) == 1 and isinstance(errors[0], IllegalTransition)
    assert FilingNumberSequence.objects.get().last_number == 1
    assert Decision.objects.count() == 1
