// Trajectory's one script of its own. Loaded as a module after GOV.UK Frontend.
// Figures travel as JSON in <script type="application/json" data-chart>; we draw them with
// plotly.js when a page or an htmx swap brings them in, and purge them before they are swapped out.
import { initAll } from "../vendor/govuk/govuk-frontend.min.js";

document.body.classList.add("govuk-frontend-supported");
initAll();

function drawCharts(root) {
  if (typeof window.Plotly === "undefined") return;
  root.querySelectorAll("script[type='application/json'][data-chart]").forEach((source) => {
    const target = document.getElementById(source.dataset.chart);
    if (!target || target.dataset.drawn === "true") return;
    const figure = JSON.parse(source.textContent);
    const config = Object.assign({ responsive: true, displaylogo: false }, figure.config || {});
    window.Plotly.newPlot(target, figure.data, figure.layout, config);
    target.dataset.drawn = "true";
  });
}

function purgeCharts(root) {
  if (typeof window.Plotly === "undefined") return;
  root.querySelectorAll("[data-drawn='true']").forEach((element) => window.Plotly.purge(element));
}

drawCharts(document);
document.body.addEventListener("htmx:load", (event) => drawCharts(event.detail.elt));
document.body.addEventListener("htmx:beforeSwap", (event) => purgeCharts(event.detail.target));
