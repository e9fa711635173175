"""The notification centre, opening a notification, marking all read, the header's bell."""

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from apps.notifications.context_processors import notifications as bell_context
from apps.notifications.models import Notification, Verb
from tests.conftest import World
from tests.factories import UserFactory
from tests.notifications.conftest import TITLE_EN, TITLE_ZH, english, submitted_by

pytestmark = pytest.mark.django_db

CENTRE = reverse("notifications:centre")
READ_ALL = reverse("notifications:mark_all_read")


def open_url(notification: Notification) -> str:
    return reverse("notifications:open", args=[notification.pk])


def notification_queries(ctx: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if "notifications_notification" in q["sql"]]


def test_anonymous_visitors_are_sent_to_log_in(client: Client) -> None:
    for url in (CENTRE, reverse("notifications:bell"), "/notifications/1/open/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert client.post(READ_ALL).status_code == 302


def test_the_centre_lists_only_ones_own_newest_first(
    world: World, client_for, make_notifications
) -> None:
    english(world.lead)
    make_notifications([world.lead], params=submitted_by("First Co"))
    make_notifications([world.lead], params=submitted_by("Second Co"))
    make_notifications([world.editor], params=submitted_by("Editor Co"))
    response = client_for(world.lead).get(CENTRE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Editor Co" not in html
    assert html.index("Second Co submitted") < html.index("First Co submitted")
    assert html.count('data-unread="true"') == 2
    assert 'data-testid="mark-all-read"' in html


def test_titles_are_escaped(world: World, client_for, make_notifications) -> None:
    make_notifications([world.lead], params=submitted_by("<script>alert(1)</script>"))
    html = client_for(world.lead).get(CENTRE).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_empty_centre(world: World, client_for) -> None:
    english(world.lead)
    html = client_for(world.lead).get(CENTRE).content.decode()
    assert 'data-testid="notifications-empty"' in html
    assert "You have no notifications." in html
    assert 'data-testid="mark-all-read"' not in html
    assert 'data-testid="notification-count"' not in html


def test_the_centre_pages_by_fifty(world: World, client_for) -> None:
    Notification.objects.bulk_create(
        Notification(recipient=world.lead, verb=Verb.COMMENT, title=f"n{i:02d}", url="/")
        for i in range(51)
    )
    client = client_for(world.lead)
    first = client.get(CENTRE)
    assert len(first.context["page"].object_list) == 50
    assert first.context["page"].has_next
    second = client.get(CENTRE, {"after": first.context["page"].next_cursor})
    assert len(second.context["page"].object_list) == 1
    assert not second.context["page"].has_next
    seen = {n.pk for n in first.context["page"]} | {n.pk for n in second.context["page"]}
    assert len(seen) == 51


def test_opening_marks_read_and_goes_to_its_page(
    world: World, client_for, make_notifications
) -> None:
    (notification,) = make_notifications([world.lead], url="/accounts/security/")
    client = client_for(world.lead)
    response = client.get(open_url(notification))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/security/"
    notification.refresh_from_db()
    read_at = notification.read_at
    assert read_at is not None
    # again: still a redirect, the first reading time is kept
    assert client.get(open_url(notification)).status_code == 302
    notification.refresh_from_db()
    assert notification.read_at == read_at


def test_outsiders_get_404_for_someone_elses_notification(
    world: World, client_for, make_notifications
) -> None:
    (notification,) = make_notifications([world.lead])
    for outsider in (world.editor, world.admin):
        assert client_for(outsider).get(open_url(notification)).status_code == 404
    assert client_for(world.lead).get("/notifications/999999/open/").status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_touches_only_ones_own(world: World, client_for, make_notifications) -> None:
    english(world.lead)
    make_notifications([world.lead, world.editor])
    make_notifications([world.lead])
    client = client_for(world.lead)
    assert client.get(READ_ALL).status_code == 405
    response = client.post(READ_ALL, follow=True)
    assert response.redirect_chain == [(CENTRE, 302)]
    assert "All notifications are marked as read." in response.content.decode()
    assert not Notification.objects.filter(recipient=world.lead, read_at__isnull=True).exists()
    assert Notification.objects.get(recipient=world.editor).read_at is None


def test_the_header_shows_the_unread_count_with_one_count_query(
    world: World, client_for, make_notifications
) -> None:
    english(world.lead)
    client = client_for(world.lead)
    make_notifications([world.lead, world.editor])
    make_notifications([world.lead])
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(reverse("home")).content.decode()
    assert 'data-testid="notification-count">2</span>' in html
    assert 'aria-label="Notifications: 2 unread"' in html
    (query,) = notification_queries(ctx)
    assert "COUNT(" in query

    # the centre uses the count twice (bell, "mark all as read"): still one query
    with CaptureQueriesContext(connection) as ctx:
        client.get(CENTRE)
    assert [q for q in notification_queries(ctx) if "COUNT(" in q] == [query]

    Notification.objects.filter(recipient=world.lead).update(read_at=timezone.now())
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="notification-bell"' in html
    assert 'data-testid="notification-count"' not in html


def test_the_count_is_counted_only_when_rendered(world: World, make_notifications) -> None:
    make_notifications([world.lead])
    request = RequestFactory().get("/")
    request.user = world.lead
    with CaptureQueriesContext(connection) as ctx:
        context = bell_context(request)
    assert notification_queries(ctx) == []
    with CaptureQueriesContext(connection) as ctx:
        assert context["notification_bell"].unread == 1
        assert context["notification_bell"].unread == 1
    assert len(notification_queries(ctx)) == 1


def test_the_bell_alone_for_htmx(world: World, client_for, make_notifications) -> None:
    make_notifications([world.lead])
    response = client_for(world.lead).get(reverse("notifications:bell"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<a href="/notifications/" id="notification-bell"')
    assert 'data-testid="notification-count">1</span>' in html
    assert "<html" not in html


def test_over_99_unread(world: World, client_for) -> None:
    Notification.objects.bulk_create(
        Notification(recipient=world.lead, verb=Verb.COMMENT, title=TITLE_EN, url="/")
        for _ in range(100)
    )
    html = client_for(world.lead).get(reverse("notifications:bell")).content.decode()
    assert 'data-testid="notification-count">99+</span>' in html


def test_admin_lists_filters_and_searches(world: World, client_for, make_notifications) -> None:
    english(world.editor)
    make_notifications([world.lead, world.editor])
    root = UserFactory(email="root@example.cn", is_staff=True, is_superuser=True)
    client = client_for(root)
    url = reverse("admin:notifications_notification_changelist")
    for params in ({}, {"q": world.editor.email}, {"email": "failed"}, {"read": "no"}):
        response = client.get(url, params)
        assert response.status_code == 200, params
    assert world.editor.email in client.get(url, {"q": world.editor.email}).content.decode()
    assert client.get(reverse("admin:notifications_notification_add")).status_code == 403


def _switch_language(client: Client, language: str) -> None:
    """As the header's language menu does: remembered on the user (and in a cookie)."""
    response = client.post(reverse("accounts:set_language"), {"language": language, "next": CENTRE})
    assert response.status_code == 302


def test_a_chinese_users_notifications_read_in_english_once_they_switch(
    world: World, client_for, make_notifications
) -> None:
    assert world.lead.preferred_language == "zh-hans"
    make_notifications([world.lead])  # made while the lead reads Chinese
    client = client_for(world.lead)
    html = client.get(CENTRE).content.decode()
    assert escape(TITLE_ZH) in html and escape(TITLE_EN) not in html

    _switch_language(client, "en")
    html = client.get(CENTRE).content.decode()
    assert escape(TITLE_EN) in html
    assert escape(TITLE_ZH) not in html and "实施方案" not in html
    # new ones too, and in the verb's badge
    make_notifications([world.lead], verb=Verb.APPROVED)
    html = client.get(CENTRE).content.decode()
    assert escape("“Implementation plan” was filed") in html
    assert ">Filed</span>" in html


def test_an_english_users_notifications_read_in_chinese_once_they_switch(
    world: World, client_for, make_notifications
) -> None:
    english(world.editor)
    make_notifications([world.editor])  # made while the editor reads English
    client = client_for(world.editor)
    html = client.get(CENTRE).content.decode()
    assert escape(TITLE_EN) in html and escape(TITLE_ZH) not in html

    _switch_language(client, "zh-hans")
    html = client.get(CENTRE).content.decode()
    assert escape(TITLE_ZH) in html
    assert escape(TITLE_EN) not in html and "China Test Energy Group" not in html


def test_the_centre_costs_the_same_queries_for_one_or_fifty(
    world: World, client_for, make_notifications
) -> None:
    client = client_for(world.lead)
    make_notifications([world.lead])
    client.get(CENTRE)  # warm: the header caches its enterprise menu after the first page
    with CaptureQueriesContext(connection) as one:
        client.get(CENTRE)
    for verb in (Verb.SUBMITTED, Verb.APPROVED, Verb.RETURNED, Verb.ASSIGNED):
        for _ in range(12):
            make_notifications([world.lead], verb=verb)
    Notification.objects.create(recipient=world.lead, verb=Verb.COMMENT, title="旧", url="/")
    with CaptureQueriesContext(connection) as fifty:
        response = client.get(CENTRE)
    assert len(response.context["page"].object_list) == 50
    assert len(fifty.captured_queries) == len(one.captured_queries)


def test_the_admin_shows_the_title_in_the_administrators_language(
    world: World, client_for, make_notifications
) -> None:
    make_notifications([world.lead])
    root = english(UserFactory(email="root@example.cn", is_staff=True, is_superuser=True))
    html = client_for(root).get(reverse("admin:notifications_notification_changelist"))
    assert escape(TITLE_EN) in html.content.decode()
