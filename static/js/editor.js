// The section editor (templates/filings/edit.html). No inline scripts (CSP script-src 'self').
//
// - After htmx swaps the answer to a save into #section-editor, focus goes where the person
//   needs it (GOV.UK's patterns): to the error summary when the save was refused, to the
//   section's heading when it was saved, with the confirmation right under it in view, to the
//   new row after "add a row". The old form is gone by then, so without this focus would fall
//   to <body> and the next Tab to the skip link.
// - A link to a field (the error summary, the figure warnings, the checklist's links from the
//   check page as #field-...) focuses that input and brings its table cell into view, clear
//   of the sticky first column.
// - Tabbing through a wide table does the same: the browser scrolls a focused cell into
//   view, but may leave it under the sticky column.
(function () {
  "use strict";

  const EDITOR_ID = "section-editor";

  // Scroll a table cell's scrolling region sideways so that the cell is not hidden under the
  // row's sticky first cell (nor cut off on the right).
  function clearOfStickyColumn(el) {
    const scroller = el.closest(".table-responsive");
    const cell = el.closest("td, th");
    if (!scroller || !cell || !scroller.contains(cell)) {
      return;
    }
    const first = cell.parentElement && cell.parentElement.firstElementChild;
    const box = scroller.getBoundingClientRect();
    let visibleLeft = box.left;
    if (first && first !== cell && getComputedStyle(first).position === "sticky") {
      visibleLeft = first.getBoundingClientRect().right;
    }
    const rect = cell.getBoundingClientRect();
    if (rect.left < visibleLeft) {
      scroller.scrollLeft -= visibleLeft - rect.left;
    } else if (rect.right > box.right) {
      // As far as needed to show its right edge, never so far that its left goes under.
      scroller.scrollLeft += Math.min(rect.right - box.right, rect.left - visibleLeft);
    }
  }

  // Focus the input with this id and bring it, and its table cell, into view. Jumps are
  // instant (Bootstrap scrolls smoothly): focus and view move together.
  function goToField(id) {
    const target = id ? document.getElementById(id) : null;
    if (!target || !document.getElementById(EDITOR_ID)?.contains(target)) {
      return false;
    }
    target.focus({ preventScroll: true });
    (target.closest("td, th") || target).scrollIntoView({
      block: "center",
      inline: "nearest",
      behavior: "instant",
    });
    clearOfStickyColumn(target);
    return true;
  }

  // What the editor shows after a save: the error summary (or the conflict with another
  // person's save), or the confirmation; after "add a row", the new row's first input.
  function afterSave(editor, submitter) {
    const problem = editor.querySelector("[data-error-summary], [data-conflict]");
    if (problem) {
      problem.focus({ preventScroll: true });
      problem.scrollIntoView({ block: "start", behavior: "instant" });
      return;
    }
    if (submitter === "add_row") {
      const rows = editor.querySelectorAll(".plan-table tbody tr");
      const row = rows.length ? rows[rows.length - 1] : null;
      const input = row && row.querySelector("input:not([type=hidden]), select, textarea");
      if (input && input.id && goToField(input.id)) {
        return;
      }
    }
    const heading = editor.querySelector("[data-section-heading]");
    if (heading && editor.querySelector("[data-testid=saved]")) {
      heading.focus({ preventScroll: true });
      heading.scrollIntoView({ block: "start", behavior: "instant" });
    } else if (heading && document.activeElement === document.body) {
      // Never left on <body>, whence Tab would go to the skip link.
      heading.focus({ preventScroll: true });
    }
  }

  // The button that sent the editor's form ("save", "save_next", "add_row").
  let submitter = "";
  document.addEventListener(
    "submit",
    (event) => {
      if (event.target instanceof Element && event.target.closest("#" + EDITOR_ID)) {
        submitter = event.submitter ? event.submitter.getAttribute("name") || "" : "";
      }
    },
    true,
  );

  // Whether focus was in the editor (or nowhere) when the answer came: if the person has
  // gone on to something else meanwhile, it is not taken from them.
  let focusWasInEditor = false;

  document.addEventListener("htmx:beforeSwap", (event) => {
    const target = event.detail && event.detail.target;
    if (target && target.id === EDITOR_ID) {
      const active = document.activeElement;
      focusWasInEditor = !active || active === document.body || target.contains(active);
    }
  });

  document.addEventListener("htmx:afterSettle", (event) => {
    const editor = event.target;
    if (editor instanceof Element && editor.id === EDITOR_ID && focusWasInEditor) {
      focusWasInEditor = false;
      afterSave(editor, submitter);
      submitter = "";
    }
  });

  document.addEventListener("click", (event) => {
    const link = event.target instanceof Element ? event.target.closest('a[href^="#"]') : null;
    if (link && link.closest("#" + EDITOR_ID) && goToField(link.getAttribute("href").slice(1))) {
      event.preventDefault();
    }
  });

  document.addEventListener("focusin", (event) => {
    if (event.target instanceof Element && event.target.closest(".plan-table td, .plan-table th")) {
      clearOfStickyColumn(event.target);
    }
  });

  document.addEventListener("DOMContentLoaded", () => {
    const editor = document.getElementById(EDITOR_ID);
    if (!editor) {
      return;
    }
    // A save answered with a whole page (no htmx): the same as after a swap (but a page
    // just opened keeps its focus where the browser puts it).
    if (editor.querySelector("[data-error-summary], [data-conflict], [data-testid=saved]")) {
      afterSave(editor, "");
    }
    // Arrived from a checklist link (#field-...): focus the input it names.
    if (window.location.hash.startsWith("#field-")) {
      goToField(decodeURIComponent(window.location.hash.slice(1)));
    }
  });
})();
