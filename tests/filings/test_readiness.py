"""“Ready for the lead”: an editor marks the open draft (or some sections) ready; who and when
are kept, with a history entry; the enterprise's leads are told in the application and by
email; the filing page says since when and by whom, and which sections changed since. Only the
enterprise's editors and leads may mark; outsiders and reviewers get 404; a filing with no
open draft refuses, saying why."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from apps.accounts.models import User
from apps.enterprises.models import Role
from apps.enterprises.services import membership_grant
from apps.filings import kinds
from apps.filings.kinds import FilingKind, Section, get_kind
from apps.filings.models import Filing, FilingEvent, ReadyForLead
from apps.filings.readiness import filing_mark_ready, readiness_for
from apps.filings.services import FilingError, NotAllowed, filing_save_section, filing_start
from apps.notifications.models import Notification, Verb
from apps.timeline.models import Deliverable
from tests.conftest import World, zh
from tests.factories import UserFactory
from tests.filings.conftest import NoteForm, completeness, drive, fill

pytestmark = pytest.mark.django_db


def mark_url(filing: Filing) -> str:
    return reverse("filings:ready_for_lead", args=[filing.pk])


@pytest.fixture
def colleague_lead(world: World) -> User:
    """A second lead of the same enterprise: the leads, all of them, are told."""
    user: User = UserFactory.create(email="lead2@example.cn", full_name="第二报送管理员")
    membership_grant(user=user, role=Role.LEAD, enterprise=world.central)
    return user


def partial(filing: Filing, user: User) -> str:
    """The partial the filing page includes, rendered as the page does (its context)."""
    filing = Filing.objects.get(pk=filing.pk)
    request = RequestFactory().get(filing.get_absolute_url())
    request.user = user
    with translation.override("zh-hans"):
        return render_to_string(
            "filings/_ready_for_lead.html",
            {
                "filing": filing,
                "draft": filing.draft,
                "kind": get_kind(filing.kind),
                "can_edit": user.has_perm("filings.edit_draft", filing),
            },
            request=request,
        )


def local(when: Any) -> str:
    """As the page prints a time in Chinese: 2026年12月2日 14:05, Beijing time."""
    t = timezone.localtime(when)
    return f"{t.year}年{t.month}月{t.day}日 {t:%H:%M}"


# --- Marking and telling the leads -------------------------------------------------------------


def test_an_editor_marks_the_draft_and_the_leads_are_told(
    world: World,
    filing: Filing,
    colleague_lead: User,
    client_for: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client: Client = client_for(world.editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(mark_url(filing))
    assert response.status_code == 302
    assert response["Location"] == filing.get_absolute_url()

    mark = ReadyForLead.objects.get()
    filing.refresh_from_db()
    assert (mark.filing, mark.version_id, mark.marked_by) == (filing, filing.draft_id, world.editor)
    assert mark.sections == []
    # Its history entry, written with it.
    event = FilingEvent.objects.get(action="ready_for_lead")
    assert (event.actor, event.version_id, event.internal) == (world.editor, filing.draft_id, False)
    assert event.data == {"sections": [], "note": ""}

    # Every lead of the enterprise, and no one else (not the editor who marked it, not another
    # enterprise's lead), in the application and by email.
    notifications = Notification.objects.order_by("recipient__email")
    assert [n.recipient for n in notifications] == [colleague_lead, world.lead]
    for n in notifications:
        assert (n.verb, n.variant, n.filing_id, n.url) == (
            Verb.READY_FOR_LEAD, "", filing.pk, filing.get_absolute_url(),
        )  # fmt: skip
        assert n.params["who"] == world.editor.full_name
        assert n.email_sent_at is not None
    with translation.override("zh-hans"):
        title = notifications[0].display_title
    assert title == zh(
        "%(who)s marked the draft of “%(deliverable)s” ready for your review",
        who=world.editor.full_name, deliverable="实施方案",
    )  # fmt: skip
    assert sorted(m.to[0] for m in mail.outbox) == ["lead2@example.cn", "lead@example.cn"]
    assert all(title in m.body for m in mail.outbox)


def test_the_filing_page_says_since_when_and_by_whom(world: World, filing: Filing) -> None:
    mark = filing_mark_ready(filing=filing, actor=world.editor, note="请审核。")
    html = partial(filing, world.lead)
    assert zh(
        "Ready for the lead to review since %(when)s (by %(who)s)",
        when=local(mark.marked_at), who=world.editor.full_name,
    ) in html  # fmt: skip
    assert "请审核。" in html
    assert 'data-testid="changed-since"' not in html
    # The history names the event.
    history = Client()
    history.force_login(world.lead)
    page = history.get(reverse("filings:history", args=[filing.pk])).content.decode()
    assert zh("Marked ready for the lead to review") in page


def test_editing_afterwards_keeps_the_mark_and_says_changed_since(
    world: World, filing: Filing
) -> None:
    mark = filing_mark_ready(filing=filing, actor=world.editor)
    fill(filing, world, "标记之后又改了")
    filing.refresh_from_db()
    state = readiness_for(filing, filing.draft)
    assert state is not None
    assert (state.mark.pk, state.mark.marked_by, state.mark.marked_at) == (
        mark.pk, world.editor, mark.marked_at,
    )  # fmt: skip
    assert state.changed_titles == ["Note"]
    html = partial(filing, world.editor)
    assert zh("Changed since it was marked:") in html
    assert zh(
        "Ready for the lead to review since %(when)s (by %(who)s)",
        when=local(mark.marked_at), who=world.editor.full_name,
    ) in html  # fmt: skip
    # Marking again: one mark, by whoever marked it last, unchanged since.
    again = filing_mark_ready(filing=filing, actor=world.lead)
    assert ReadyForLead.objects.count() == 1
    assert again.marked_by == world.lead and again.marked_at > mark.marked_at
    state = readiness_for(filing, filing.draft)
    assert state is not None and state.changed_titles == []
    assert FilingEvent.objects.filter(action="ready_for_lead").count() == 2


# --- A set of sections ---------------------------------------------------------------------------


TWO = FilingKind(
    key="plan",
    label="Two sections",
    sections=[
        Section("note", "Note", NoteForm, "filings/tests/editor.html",
                "filings/tests/display.html"),
        Section("extra", "Extra", NoteForm, "filings/tests/editor.html",
                "filings/tests/display.html"),
    ],
    initial_content=lambda filing: {"note": {"text": ""}, "extra": {"text": ""}},
    completeness=completeness,
)  # fmt: skip


@pytest.fixture
def two_sections() -> Iterator[FilingKind]:
    previous = kinds._KINDS.get("plan")
    kinds._KINDS["plan"] = TWO
    yield TWO
    if previous is None:
        kinds._KINDS.pop("plan", None)
    else:
        kinds._KINDS["plan"] = previous


def save(filing: Filing, section: str, text: str, by: User) -> None:
    filing.refresh_from_db()
    assert filing.draft is not None
    filing_save_section(
        filing=filing, section=section, data={"text": text},
        base_revision=int(filing.draft.revisions.get(section, 0)), actor=by,
    )  # fmt: skip


def test_a_set_of_sections(
    world: World,
    plan: Deliverable,
    two_sections: FilingKind,
    client_for: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    filing = filing_start(enterprise=world.central, deliverable=plan, actor=world.editor)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.editor).post(mark_url(filing), {"sections": ["extra"]})
    mark = ReadyForLead.objects.get()
    assert mark.sections == ["extra"]
    (notification,) = Notification.objects.all()
    assert (notification.variant, notification.params["count"]) == ("sections", 1)
    assert "Extra" in partial(filing, world.lead)

    # A change to a section that was not marked is not a change to what was marked.
    save(filing, "note", "别的部分", world.editor)
    filing.refresh_from_db()
    state = readiness_for(filing, filing.draft)
    assert state is not None and state.changed_titles == []
    save(filing, "extra", "标记的部分改了", world.editor)
    filing.refresh_from_db()
    state = readiness_for(filing, filing.draft)
    assert state is not None and state.changed_titles == ["Extra"]

    # Naming every section is the whole draft; an unknown section is refused, nothing written.
    assert (
        filing_mark_ready(filing=filing, actor=world.editor, sections=["extra", "note"]).sections
        == []
    )
    with pytest.raises(FilingError):
        filing_mark_ready(filing=filing, actor=world.editor, sections=["nonsense"])
    assert FilingEvent.objects.filter(action="ready_for_lead").count() == 2


# --- Who may, and when -------------------------------------------------------------------------


def test_outsiders_and_reviewers_get_404(world: World, filing: Filing, client_for: Any) -> None:
    for outsider in (world.other_lead, world.bj_lead, world.bj_reviewer, world.sasac_reviewer):
        assert client_for(outsider).post(mark_url(filing)).status_code == 404
    drive(filing, world, "submit", "start_review", "return")  # reviewers now read the filing
    for outsider in (world.sasac_reviewer, world.sasac_lead_reviewer, world.other_lead):
        assert client_for(outsider).post(mark_url(filing)).status_code == 404
    assert not ReadyForLead.objects.exists()
    assert not FilingEvent.objects.filter(action="ready_for_lead").exists()
    # Not signed in: the login page; a GET: not allowed.
    response = Client().post(mark_url(filing))
    assert response.status_code == 302 and "login" in response["Location"]
    assert client_for(world.editor).get(mark_url(filing)).status_code == 405


def test_the_service_refuses_anyone_but_the_enterprises_people(
    world: World, filing: Filing
) -> None:
    for outsider in (world.other_lead, world.sasac_reviewer, world.admin):
        with pytest.raises(NotAllowed):
            filing_mark_ready(filing=filing, actor=outsider)
    assert not ReadyForLead.objects.exists()


def test_no_open_draft_is_refused_with_a_clear_message(
    world: World, filing: Filing, client_for: Any
) -> None:
    filing = drive(filing, world, "submit")
    response = client_for(world.editor).post(mark_url(filing), follow=True)
    assert response.status_code == 200
    assert (
        zh(
            "This filing has no open draft, so there is nothing to mark ready for the lead: "
            "it has been submitted already."
        )
        in response.content.decode()
    )
    assert not ReadyForLead.objects.exists()
    assert not FilingEvent.objects.filter(action="ready_for_lead").exists()


def test_a_new_draft_after_a_return_starts_unmarked(world: World, filing: Filing) -> None:
    fill(filing, world)
    filing_mark_ready(filing=filing, actor=world.editor)
    filing = drive(filing, world, "submit", "start_review", "return")
    assert filing.draft is not None
    assert readiness_for(filing, filing.draft) is None
    assert 'data-testid="ready-mark"' not in partial(filing, world.lead)
    assert 'data-testid="mark-ready"' in partial(filing, world.editor)
