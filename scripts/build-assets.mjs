// Copy the third-party assets we serve from node_modules into static/vendor/.
// static/vendor/ is ignored by git: these files come from npm at build time, pinned by
// package-lock.json, and are never committed.
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const vendor = join(root, "static", "vendor");
const files = {
  "bootstrap/dist/css/bootstrap.min.css": "bootstrap/bootstrap.min.css",
  "bootstrap/dist/css/bootstrap.min.css.map": "bootstrap/bootstrap.min.css.map",
  "bootstrap/dist/js/bootstrap.bundle.min.js": "bootstrap/bootstrap.bundle.min.js",
  "bootstrap/dist/js/bootstrap.bundle.min.js.map": "bootstrap/bootstrap.bundle.min.js.map",
  "bootstrap-icons/font/bootstrap-icons.min.css": "bootstrap-icons/bootstrap-icons.min.css",
  "bootstrap-icons/font/fonts": "bootstrap-icons/fonts",
  "htmx.org/dist/htmx.min.js": "htmx/htmx.min.js",
  "chart.js/dist/chart.umd.min.js": "chartjs/chart.umd.min.js",
  "chart.js/dist/chart.umd.min.js.map": "chartjs/chart.umd.min.js.map",
};

rmSync(vendor, { recursive: true, force: true });
for (const [from, to] of Object.entries(files)) {
  const target = join(vendor, to);
  mkdirSync(dirname(target), { recursive: true });
  cpSync(join(root, "node_modules", from), target, { recursive: true });
}
console.log(`vendor assets copied to ${vendor}`);
