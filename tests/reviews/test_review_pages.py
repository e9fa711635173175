"""The review section of the filing page, the comparison with earlier comments, and the
state timeline the enterprise sees."""

import pytest
from django.urls import reverse

from apps.filings.models import Filing
from apps.reviews.services import comment_add, decision_make
from tests.conftest import World
from tests.filings.conftest import drive, filing, simple_kind  # noqa: F401

pytestmark = pytest.mark.django_db


def test_resubmission_shows_changes_since_last_decision_with_comments(
    world: World,
    filing: Filing,  # noqa: F811
    client_for,
) -> None:
    filing = drive(filing, world, "submit", "start_review")
    v1 = filing.latest_submitted
    comment_add(filing=filing, version=v1, author=world.sasac_reviewer, body="内部：数据偏低",
                internal=True, section="note", field="text")  # fmt: skip
    comment_add(filing=filing, version=v1, author=world.sasac_reviewer, body="请补充说明",
                internal=False, section="note", field="text")  # fmt: skip
    decision_make(
        filing=filing, outcome="return", reasons="请补充", actor=world.sasac_lead_reviewer
    )
    filing = drive(filing, world, "submit", "start_review")
    reviewer = client_for(world.sasac_reviewer)
    body = reviewer.get(reverse("filings:detail", args=[filing.pk])).content.decode()
    assert 'data-testid="changes-since"' in body
    diff = reviewer.get(
        reverse("filings:diff", args=[filing.pk]), {"a": 1, "b": 2}
    ).content.decode()
    assert "内部：数据偏低" in diff and "请补充说明" in diff
    # the enterprise sees its comment and the reasons, never the internal one, anywhere
    lead = client_for(world.lead)
    for url in (
        reverse("filings:detail", args=[filing.pk]),
        reverse("filings:diff", args=[filing.pk]) + "?a=1&b=2",
        reverse("filings:history", args=[filing.pk]),
        reverse("filings:version", args=[filing.pk, 1]),
    ):
        page = lead.get(url).content.decode()
        assert "内部：数据偏低" not in page, url
    page = lead.get(reverse("filings:detail", args=[filing.pk])).content.decode()
    assert "请补充说明" in page and "请补充" in page
    assert 'data-testid="state-timeline"' in page


def test_review_panel_is_404_territory_for_other_authorities(
    world: World,
    filing: Filing,  # noqa: F811
    client_for,
) -> None:
    filing = drive(filing, world, "submit")
    client = client_for(world.bj_reviewer)
    for name in ("reviews:decide", "reviews:recommend", "reviews:comment", "reviews:assign"):
        assert (
            client.post(reverse(name, args=[filing.pk]), {"outcome": "approve"}).status_code == 404
        )


def test_comment_anchored_to_a_section_through_the_page(
    world: World,
    filing: Filing,  # noqa: F811
    client_for,
) -> None:
    from apps.reviews.models import Comment

    filing = drive(filing, world, "submit", "start_review")
    client = client_for(world.sasac_reviewer)
    body = client.get(reverse("filings:detail", args=[filing.pk])).content.decode()
    assert 'value="note||"' in body  # the section can be chosen
    client.post(
        reverse("reviews:comment", args=[filing.pk]),
        {"version": 1, "anchor": "note||", "body": "字段意见", "internal": "yes"},
    )
    comment = Comment.objects.get()
    assert (comment.section, comment.field, comment.internal) == ("note", "", True)
    # an anchor that is not in the version is refused, nothing written
    client.post(
        reverse("reviews:comment", args=[filing.pk]),
        {"version": 1, "anchor": "note|nope|", "body": "x"},
    )
    assert Comment.objects.count() == 1


def test_the_assign_form_shows_only_while_there_is_review_work(
    world: World,
    filing: Filing,  # noqa: F811
    client_for,
) -> None:
    client = client_for(world.sasac_lead_reviewer)
    url = reverse("filings:detail", args=[filing.pk])
    filing = drive(filing, world, "submit")
    assert 'id="assign-reviewers"' in client.get(url).content.decode()
    filing = drive(filing, world, "start_review")
    decision_make(filing=filing, outcome="approve", reasons="", actor=world.sasac_lead_reviewer)
    assert 'id="assign-reviewers"' not in client.get(url).content.decode()
