"""The interface to a standard, checked page by page in Chromium on the demo data.

- Focus: every control reached with Tab (and every item of every dropdown menu, opened from
  the keyboard) shows a ring at least 2 px wide (computed outline, or box-shadow spread) whose
  colour has at least 3:1 contrast with what is behind it (computed in the page from the
  computed colours), on the white pages and on the red header alike.
- Confirmation: a data-confirm button asks in the page's own modal dialog: focus moves in and
  stays in, Escape cancels and sends nothing, focus returns to the button; Confirm sends.
- axe-core: no serious or critical violation on any page visited.
- Status colours: a chart's status series wears its badge's colours; badge text ≥ 4.5:1.
- Dates in the language's format.
Screenshots of every page visited, at 1366 and 390 px, go to test-artifacts/polish-*.png.
"""

import os
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from apps.accounts.models import User
from apps.demo.services import DEMO_PASSWORD, DEMO_TOTP_KEY
from apps.enterprises.models import Enterprise
from apps.filings.models import Filing
from tests.browser.conftest import ROOT, describe, login_as, run_axe
from tests.conftest import zh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = ROOT / "test-artifacts"
LEAD = "lead.cde@example.cn"  # 中国示范能源集团: an approved plan, an amendment in progress
REVIEWER = "sasac.reviewer@example.cn"
ADMIN = "admin@example.cn"

# Runs in the page on document.activeElement: the focus ring it shows, and the contrast of
# the ring's colour with what is behind the ring, sampled at the middle of the ring's band
# on each of the four sides (elementsFromPoint: what is really painted there, header or
# page). Colours are composited down the ancestors to an opaque one (the canvas is white).
MEASURE_JS = r"""
() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  window.__vcSeen = window.__vcSeen || new WeakMap();
  window.__vcCount = window.__vcCount || 0;
  let id = window.__vcSeen.get(el);
  const again = id !== undefined;
  if (!again) { id = ++window.__vcCount; window.__vcSeen.set(el, id); }

  const parse = (c) => {
    const m = c && c.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, below) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + below[i] * (1 - a)).concat([1]);
  };
  const background = (node) => {
    const layers = [];
    for (let n = node; n && n.nodeType === 1; n = n.parentElement) {
      const c = parse(getComputedStyle(n).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let colour = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) colour = over(layers[i], colour);
    return colour;
  };
  const lum = (c) => {
    const f = (v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const contrast = (a, b) => {
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const describeEl = (n) => {
    const bits = [n.tagName.toLowerCase()];
    if (n.id) bits.push("#" + n.id);
    const testid = n.getAttribute("data-testid");
    if (testid) bits.push("[data-testid=" + testid + "]");
    if (n.classList.length) bits.push("." + Array.from(n.classList).slice(0, 3).join("."));
    const text = (n.innerText || n.value || n.getAttribute("aria-label") || "").trim().slice(0, 30);
    return bits.join("") + (text ? ' "' + text + '"' : "");
  };

  // A control drawn by its label (a clipped input) shows its ring there.
  let shown = el;
  const r0 = el.getBoundingClientRect();
  if ((r0.width <= 1 || r0.height <= 1) && el.labels && el.labels.length) shown = el.labels[0];
  const cs = getComputedStyle(shown);

  let width = 0, colour = null, offset = 0, kind = "none";
  if (cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) > 0) {
    width = parseFloat(cs.outlineWidth);
    colour = parse(cs.outlineColor);
    offset = parseFloat(cs.outlineOffset) || 0;
    kind = "outline";
  }
  if (cs.boxShadow && cs.boxShadow !== "none") {
    for (const shadow of cs.boxShadow.split(/,(?![^(]*\))/)) {
      const bare = shadow.replace(/rgba?\([^)]*\)/, "");
      const lengths = (bare.match(/-?[\d.]+px/g) || []).map(parseFloat);
      const spread = lengths[3] || 0;
      const inset = /inset/.test(shadow);
      if (lengths[0] === 0 && lengths[1] === 0 && spread > width) {
        width = spread;
        colour = parse(shadow);
        offset = inset ? -spread : 0;
        kind = inset ? "inset box-shadow" : "box-shadow";
      }
    }
  }

  const r = shown.getBoundingClientRect();
  const d = offset + width / 2;
  const points = [
    [r.left - d, r.top + r.height / 2], [r.right + d, r.top + r.height / 2],
    [r.left + r.width / 2, r.top - d], [r.left + r.width / 2, r.bottom + d],
  ];
  const behind = [];
  for (const [x, y] of points) {
    if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;
    const stack = document.elementsFromPoint(x, y);
    const under = d < 0
      ? stack[0]
      : stack.find((n) => n !== shown && !shown.contains(n) && n !== el);
    if (under) behind.push(background(under));
  }
  if (!behind.length) behind.push(background(shown.parentElement || shown));
  let ratio = 0, against = null;
  if (colour) {
    ratio = Infinity;
    for (const bg of behind) {
      const c = contrast(over(colour, bg), bg);
      if (c < ratio) { ratio = c; against = bg; }
    }
  }
  return {
    id: id, again: again, what: describeEl(el), kind: kind, width: width,
    colour: colour && colour.map((v) => Math.round(v * 100) / 100).join(","),
    against: against && against.map(Math.round).join(","),
    ratio: Math.round(ratio * 100) / 100,
    focusVisible: el.matches(":focus-visible"),
  };
}
"""

# Every control a keyboard user could reach on the page as it stands: all must have been
# reached by Tab (a control Tab skips is a failure too), a radio group once.
UNREACHED_JS = r"""
() => {
  const seen = window.__vcSeen || new WeakMap();
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, ' +
    '[tabindex]:not([tabindex="-1"]), [contenteditable="true"]';
  return Array.from(document.querySelectorAll(selector))
    .filter((n) => !n.disabled && n.tabIndex >= 0)
    .filter((n) => !n.closest("[inert], dialog:not([open]), details:not([open]) > :not(summary)"))
    .filter((n) => n.getClientRects().length > 0 && getComputedStyle(n).visibility !== "hidden")
    .filter((n) => !seen.has(n))
    // A radio group is one Tab stop (arrow keys move within it).
    .filter((n) => !(n.type === "radio" && Array.from(document.getElementsByName(n.name))
      .some((o) => o.form === n.form && seen.has(o))))
    .map((n) => n.outerHTML.slice(0, 120));
}
"""

BADGE_JS = r"""
(status) => {
  const b = document.createElement("span");
  b.className = "badge status-badge status-" + status;
  b.textContent = status;
  document.body.append(b);
  const cs = getComputedStyle(b);
  const out = [cs.backgroundColor, cs.color];
  b.remove();
  return out;
}
"""


def shoot(page: Any, name: str, full: bool = True) -> None:
    """Full-page screenshots at a laptop's width and a phone's, for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"polish-{name}-{width}.png"), full_page=full)
    page.set_viewport_size({"width": 1366, "height": 900})


def tab_through(page: Any) -> list[dict[str, Any]]:
    """Press Tab from the top of the page until focus comes round again; measure each stop.
    Then open each dropdown menu and each closed <details> from the keyboard and Tab through
    what they hold."""
    stops: list[dict[str, Any]] = []
    outside = 0
    for _ in range(600):
        page.keyboard.press("Tab")
        stop = page.evaluate(MEASURE_JS)
        if stop is None:  # past the last control, Tab leaves the document, then comes back
            outside += 1
            assert outside < 5, "Tab left the page and never came back"
            continue
        if stop["again"]:
            break  # round once, from wherever focus started
        stops.append(stop)
    else:
        raise AssertionError("Tab never came round: more than 600 stops?")
    toggles = page.locator("[data-bs-toggle=dropdown]:visible")
    for i in range(toggles.count()):
        toggle = toggles.nth(i)
        toggle.evaluate("el => el.focus()")  # after the Tabs above: still :focus-visible
        page.keyboard.press("Enter")
        menu = toggle.locator("xpath=following-sibling::*[contains(@class,'dropdown-menu')]")
        assert menu.is_visible(), "the dropdown opens from the keyboard"
        for _ in range(40):
            page.keyboard.press("Tab")
            if not menu.evaluate("m => m.contains(document.activeElement)"):
                break
            stops.append(page.evaluate(MEASURE_JS))
        page.keyboard.press("Escape")
    # And what a closed <details> holds: opened from the keyboard on its summary.
    for summary in page.query_selector_all("details:not([open]) > summary"):
        if not summary.is_visible():
            continue
        summary.evaluate("el => el.focus()")
        page.keyboard.press("Enter")
        details = summary.evaluate_handle("el => el.parentElement")
        assert details.evaluate("d => d.open"), "the details opens from the keyboard"
        for _ in range(60):
            page.keyboard.press("Tab")
            if not details.evaluate("d => d.contains(document.activeElement)"):
                break
            stops.append(page.evaluate(MEASURE_JS))
        details.evaluate("d => { d.open = false; }")
    return stops


def assert_rings(page: Any, where: str) -> int:
    stops = tab_through(page)
    bad = [s for s in stops if s["width"] < 2 or s["ratio"] < 3 or not s["focusVisible"]]
    assert not bad, f"{where}: focus rings missing or faint:\n" + "\n".join(map(str, bad))
    unreached = page.evaluate(UNREACHED_JS)
    assert not unreached, f"{where}: controls Tab never reached: {unreached}"
    return len(stops)


def check_page(page: Any, name: str) -> int:
    """Axe, the focus ring of every control, and the screenshots of one page."""
    page.set_viewport_size({"width": 1366, "height": 900})
    page.wait_for_load_state("networkidle")
    violations = run_axe(page)
    assert not violations, f"{name}: " + describe(violations)
    count = assert_rings(page, name)
    assert not page.console_errors, page.console_errors  # CSP violations show up here
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    shoot(page, name)
    return count


def open_as(browser: Any, live_server: Any, email: str, totp: bool = False) -> Any:
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.console_errors = errors
    login_as(page, email, DEMO_PASSWORD, totp_key=DEMO_TOTP_KEY if totp else None)
    return page


@pytest.fixture
def demo(db: None) -> None:
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def test_every_control_shows_a_focus_ring_for_each_role(
    demo: None, browser: Any, live_server: Any
) -> None:
    enterprise = Enterprise.objects.get(name_zh="中国示范能源集团有限公司")
    own_filing = Filing.objects.filter(enterprise=enterprise).order_by("pk").first()
    under_review = Filing.objects.filter(
        enterprise__authority__code="SASAC", state="under_review"
    ).first()
    assert own_filing is not None and under_review is not None
    checked = 0

    lead = open_as(browser, live_server, LEAD)
    for name, url in [
        ("lead-home", "/"),
        ("lead-enterprise", enterprise.get_absolute_url()),
        ("lead-filing", own_filing.get_absolute_url()),
        ("lead-people", f"/enterprises/{enterprise.credit_code}/people/"),
        ("lead-notifications", reverse("notifications:centre")),
    ]:
        lead.goto(url)
        checked += check_page(lead, name)
    # The header at a phone's width: the menu button, then the menu it opens.
    lead.goto("/")
    lead.set_viewport_size({"width": 390, "height": 900})
    lead.locator(".navbar-toggler").click()
    lead.locator("#main-nav.show").wait_for()
    checked += assert_rings(lead, "lead-home at 390 px, menu open")
    lead.context.close()

    reviewer = open_as(browser, live_server, REVIEWER, totp=True)
    for name, url in [
        ("reviewer-home", "/"),
        ("reviewer-queue", reverse("reviews:queue", args=["SASAC"])),
        ("reviewer-filing", under_review.get_absolute_url()),
        ("reviewer-dashboard", reverse("dashboards:authority", args=["SASAC"])),
        ("reviewer-notifications", reverse("notifications:centre")),
    ]:
        reviewer.goto(url)
        checked += check_page(reviewer, name)
    reviewer.context.close()

    admin = open_as(browser, live_server, ADMIN, totp=True)
    someone = User.objects.get(email="editor.cde@example.cn")
    for name, url in [
        ("admin-home", "/"),
        ("admin-people", reverse("people:user_list")),
        ("admin-person", reverse("people:user_detail", args=[someone.pk])),
        ("admin-notifications", reverse("notifications:centre")),
    ]:
        admin.goto(url)
        checked += check_page(admin, name)
    admin.context.close()
    assert checked > 200  # the pages are full of controls: the walk really went through them


def test_confirmation_is_asked_in_an_accessible_dialog(
    demo: None, browser: Any, live_server: Any
) -> None:
    from playwright.sync_api import expect

    someone = User.objects.get(email="editor.cde@example.cn")
    admin = open_as(browser, live_server, ADMIN, totp=True)
    posts: list[str] = []
    admin.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    url = reverse("people:user_detail", args=[someone.pk])
    admin.goto(url)
    form = admin.locator(f'form[action="{reverse("people:user_deactivate", args=[someone.pk])}"]')
    button = form.locator("button[type=submit]")
    dialog = admin.locator("[data-testid=confirm-dialog]")
    expect(dialog).to_be_hidden()

    # From the keyboard: the question opens in the dialog, focus inside.
    button.focus()
    admin.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    expect(dialog).to_have_attribute("open", "")
    expect(dialog.locator("#vc-confirm-message")).to_have_text(
        zh("Deactivate this account? The person is signed out at once and can no longer log in.")
    )
    expect(dialog.locator("[data-testid=confirm-accept]")).to_have_text(zh("Confirm"))
    expect(dialog.locator("[data-testid=confirm-cancel]")).to_have_text(zh("Cancel"))
    inside = "() => document.getElementById('vc-confirm').contains(document.activeElement)"
    assert admin.evaluate(inside)
    # The page behind is inert; axe sees no serious problem in the dialog.
    violations = run_axe(admin)
    assert not violations, describe(violations)
    shoot(admin, "admin-confirm-dialog", full=False)  # the backdrop covers the viewport
    # Tab and Shift+Tab go round the dialog's buttons, never out to the page.
    for key in ["Tab"] * 5 + ["Shift+Tab"] * 5:
        admin.keyboard.press(key)
        assert admin.evaluate(inside), f"focus left the dialog after {key}"
        ring = admin.evaluate(MEASURE_JS)
        assert ring["width"] >= 2 and ring["ratio"] >= 3, ring

    # Escape cancels: the dialog closes, focus is back on the button, nothing was sent.
    admin.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(button).to_be_focused()
    assert posts == []
    assert admin.url.endswith(url)
    someone.refresh_from_db()
    assert someone.is_active

    # Cancel by the button does the same.
    button.click()
    expect(dialog).to_be_visible()
    dialog.locator("[data-testid=confirm-cancel]").click()
    expect(dialog).to_be_hidden()
    expect(button).to_be_focused()
    assert posts == []

    # Confirm sends the form (its own button's name and value with it).
    button.click()
    with admin.expect_navigation():
        dialog.locator("[data-testid=confirm-accept]").click()
    assert len(posts) == 1 and posts[0].endswith(
        reverse("people:user_deactivate", args=[someone.pk])
    )
    someone.refresh_from_db()
    assert not someone.is_active
    assert not admin.console_errors, admin.console_errors
    admin.context.close()


def test_status_colours_are_one_set_and_dates_follow_the_language(
    demo: None, browser: Any, live_server: Any
) -> None:
    reviewer = open_as(browser, live_server, REVIEWER, totp=True)
    reviewer.goto(reverse("dashboards:authority", args=["SASAC"]))
    reviewer.wait_for_selector("canvas[data-chart][data-drawn]")

    # The palette, written out: GOV.UK's tag colours, dark text on a light background.
    expected = {
        "not_started": ("rgb(229, 230, 231)", "rgb(40, 45, 48)"),
        "draft": ("rgb(187, 212, 234)", "rgb(12, 45, 74)"),
        "submitted": ("rgb(212, 236, 234)", "rgb(16, 64, 60)"),
        "under_review": ("rgb(239, 223, 237)", "rgb(73, 22, 68)"),
        "returned": ("rgb(252, 214, 195)", "rgb(110, 54, 25)"),
        "approved": ("rgb(204, 226, 216)", "rgb(0, 90, 48)"),
        "overdue": ("rgb(244, 205, 198)", "rgb(42, 11, 6)"),
    }
    for status, colours in expected.items():
        assert tuple(reviewer.evaluate(BADGE_JS, status)) == colours, status

    # The progress chart paints each status's series in that status's badge colour.
    fills = reviewer.evaluate(
        """() => {
            const canvas = document.querySelector("canvas[data-chart][data-drawn]");
            const chart = Chart.getChart(canvas);
            return chart.data.datasets.map((d) => [d.label, d.backgroundColor]);
        }"""
    )
    hex_of = {
        "not_started": "#e5e6e7",
        "draft": "#bbd4ea",
        "submitted": "#d4ecea",
        "under_review": "#efdfed",
        "returned": "#fcd6c3",
        "approved": "#cce2d8",
        "overdue": "#f4cdc6",
    }
    labels = {
        "not_started": zh("Not started"),
        "draft": zh("Draft"),
        "submitted": zh("Submitted"),
        "under_review": zh("Under review"),
        "returned": zh("Returned for revision"),
        "approved": zh("Filed"),
        "overdue": zh("Overdue"),
    }
    assert sorted(fills) == sorted([labels[s], hex_of[s]] for s in hex_of)

    # Dates: 2026年12月2日 in Chinese (no ISO date shown), 2 Dec 2026 in English.
    reviewer.goto(reverse("reviews:queue", args=["SASAC"]))
    shown = reviewer.locator("main time").all_inner_texts()
    assert shown and all(re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日( \d\d:\d\d)?", t) for t in shown)
    reviewer.click("[data-testid=switch-language]")
    reviewer.wait_for_load_state()
    shown = reviewer.locator("main time").all_inner_texts()
    months = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
    assert shown and all(
        re.fullmatch(rf"\d{{1,2}} ({months}) \d{{4}}(, \d\d:\d\d)?", t) for t in shown
    ), shown
    reviewer.context.close()
