// Project script. No inline scripts anywhere (CSP script-src 'self').
document.addEventListener("DOMContentLoaded", () => {
  // Ask before an irreversible step: any form or button with data-confirm.
  document.body.addEventListener("submit", (event) => {
    const form = event.target;
    const message = form.dataset.confirm || (event.submitter && event.submitter.dataset.confirm);
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
});
