// Trajectory's one script of its own, loaded as a module after htmx and plotly.js.
// Figures travel as JSON in <script type="application/json">; an element with data-figure names
// the script that holds its figure. We draw figures when a page or an htmx swap brings them in,
// and purge them before htmx swaps them out.
import { initAll } from "../vendor/govuk/govuk-frontend.min.js";

document.body.classList.add("govuk-frontend-supported");
initAll();

function drawCharts(root) {
  if (typeof window.Plotly === "undefined") return;
  const targets = root.matches && root.matches("[data-figure]") ? [root] : [];
  targets.push(...root.querySelectorAll("[data-figure]"));
  targets.forEach((target) => {
    const source = document.getElementById(target.dataset.figure);
    if (!source || target.dataset.drawn === "true") return;
    const figure = JSON.parse(source.textContent);
    const config = Object.assign({ responsive: true, displaylogo: false }, figure.config || {});
    window.Plotly.newPlot(target, figure.data, figure.layout, config);
    target.dataset.drawn = "true";
  });
}

function purgeCharts(root) {
  if (typeof window.Plotly === "undefined" || !root) return;
  root.querySelectorAll("[data-drawn='true']").forEach((element) => window.Plotly.purge(element));
}

drawCharts(document);
document.body.addEventListener("htmx:load", (event) => drawCharts(event.detail.elt));
document.body.addEventListener("htmx:beforeSwap", (event) => purgeCharts(event.detail.target));
