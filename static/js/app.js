// Project script. No inline scripts anywhere (CSP script-src 'self').
(function () {
  "use strict";

  // Ask before an irreversible step: any form, or submit button, with data-confirm="question".
  // The question is asked in the page's own modal <dialog id="vc-confirm"> (base.html renders
  // it with the translated "Confirm" / "Cancel"), not window.confirm: the browser's box cannot
  // be styled, is not translated with the page, and some browsers let users silence it.
  // Keyboard: focus moves into the dialog and stays there (Tab wraps), Escape cancels, and
  // focus goes back to the button that asked.
  const FOCUSABLE =
    'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), ' +
    'textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

  let pending = null; // {form, submitter, opener} while the dialog is open
  const confirmed = new WeakSet(); // forms whose next submit was confirmed

  function focusables(dialog) {
    return Array.from(dialog.querySelectorAll(FOCUSABLE)).filter(
      (el) => el.getClientRects().length > 0,
    );
  }

  function finish(dialog, accepted) {
    const state = pending;
    pending = null;
    if (dialog.open) {
      dialog.close(accepted ? "confirm" : "cancel");
    }
    if (!state) {
      return;
    }
    if (accepted) {
      confirmed.add(state.form);
      const submitter =
        state.submitter && state.submitter.form === state.form ? state.submitter : undefined;
      state.form.requestSubmit(submitter);
      confirmed.delete(state.form); // refused by validation: the next submit asks again
    } else if (state.opener && document.contains(state.opener)) {
      state.opener.focus();
    }
  }

  function ask(dialog, message, state) {
    pending = state;
    dialog.querySelector("[data-confirm-message]").textContent = message;
    dialog.returnValue = "";
    dialog.showModal();
    // The safe choice first: Enter on an unread question must not do the irreversible thing.
    dialog.querySelector("[data-confirm-cancel]").focus();
  }

  function setUp(dialog) {
    dialog.querySelector("[data-confirm-accept]").addEventListener("click", () => {
      finish(dialog, true);
    });
    dialog.querySelector("[data-confirm-cancel]").addEventListener("click", () => {
      finish(dialog, false);
    });
    // Escape: the browser fires "cancel" and closes the dialog; we put focus back.
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      finish(dialog, false);
    });
    // A modal <dialog> makes the page inert, but Tab can still leave for the browser's own
    // controls; keep it going round the dialog's buttons.
    dialog.addEventListener("keydown", (event) => {
      if (event.key !== "Tab") {
        return;
      }
      const items = focusables(dialog);
      if (!items.length) {
        return;
      }
      const first = items[0];
      const last = items[items.length - 1];
      const inside = dialog.contains(document.activeElement);
      if (event.shiftKey && (document.activeElement === first || !inside)) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && (document.activeElement === last || !inside)) {
        event.preventDefault();
        first.focus();
      }
    });
  }

  function onSubmit(dialog, event) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) {
      return;
    }
    const submitter = event.submitter || null;
    const message = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
    if (!message) {
      return;
    }
    if (confirmed.has(form)) {
      confirmed.delete(form); // this submit is the confirmed one: let it through
      return;
    }
    // Captured before htmx or any other listener sees the submit.
    event.preventDefault();
    event.stopImmediatePropagation();
    if (!dialog) {
      if (window.confirm(message)) {
        confirmed.add(form);
        form.requestSubmit(submitter || undefined);
        confirmed.delete(form);
      }
      return;
    }
    const opener =
      submitter || (form.contains(document.activeElement) ? document.activeElement : null);
    ask(dialog, message, { form: form, submitter: submitter, opener: opener });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const dialog = document.getElementById("vc-confirm");
    if (dialog && typeof dialog.showModal === "function") {
      setUp(dialog);
    }
    const usable = dialog && typeof dialog.showModal === "function" ? dialog : null;
    document.addEventListener("submit", (event) => onSubmit(usable, event), true);
  });
})();
