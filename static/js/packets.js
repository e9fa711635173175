// Progress bars of packet bundles: the width comes from data-percent (CSP allows no inline
// style attribute, but a script may set the style property). Runs again on every htmx swap.
(() => {
  const apply = (root) => {
    root.querySelectorAll(".progress-bar[data-percent]").forEach((bar) => {
      bar.style.width = `${Number(bar.dataset.percent) || 0}%`;
    });
  };
  document.addEventListener("DOMContentLoaded", () => apply(document));
  document.addEventListener("htmx:load", (event) => apply(event.target.parentElement || document));
})();
