// Trajectory's one script of its own, loaded as a module after htmx and plotly.js.
// Figures travel as JSON in <script type="application/json">; an element with data-figure names
// the script that holds its figure. We draw figures when a page or an htmx swap brings them in,
// and purge them before htmx swaps them out. GOV.UK Frontend's components are initialised on the
// page and again inside whatever htmx swaps in.
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
    // No mode bar: the chart sits inside role="img" (its text alternative), where the mode bar's
    // buttons would be focusable yet hidden from assistive technology. The data table and the
    // CSV beside every chart give the figures; zooming by dragging still works.
    const config = Object.assign(
      { responsive: true, displaylogo: false, displayModeBar: false },
      figure.config || {},
    );
    window.Plotly.newPlot(target, figure.data, figure.layout, config);
    target.dataset.drawn = "true";
  });
}

function purgeCharts(root) {
  if (typeof window.Plotly === "undefined" || !root) return;
  root.querySelectorAll("[data-drawn='true']").forEach((element) => window.Plotly.purge(element));
}

// Components inside swapped-in content: initAll looks inside its scope (not at the scope element
// itself: none of our swap targets is a component), so a swapped region's buttons, radios and
// error summary are initialised, and an error summary focuses itself as it is initialised, so a
// person who sent the form lands on the list of problems.
function initSwapped(root) {
  if (!root || root === document.body) return; // the page itself was initialised above
  initAll({ scope: root });
}

// A return's field group is checked on the server when a person leaves one of its fields, and
// swapped for the checked version. By the time it comes back they may have typed into the group's
// next field: whatever they typed after the request left is put back into the new fields, and
// checked in turn: when they leave the field, or at once if they have left it already (a check
// queued by the old group is dropped with it, so it must be asked for again).
let typedSince = [];
let toCheck = [];

function rememberTyping(target, sent) {
  typedSince = [];
  if (!target || !sent || typeof sent.has !== "function") return;
  target.querySelectorAll("input[name][id], textarea[name][id]").forEach((field) => {
    if (sent.has(field.name) && sent.get(field.name) !== field.value) {
      typedSince.push([field.id, field.value]);
    }
  });
}

function change(field) {
  field.dispatchEvent(new Event("change", { bubbles: true }));
}

// Straight after the swap, so nothing typed into the new field is overwritten.
function restoreTyping() {
  typedSince.forEach(([id, value]) => {
    const field = document.getElementById(id);
    if (!field || field.value === value) return;
    field.value = value;
    if (document.activeElement !== field) {
      toCheck.push(field);
      return;
    }
    let changed = false; // a further edit fires change natively; otherwise fire it on leaving
    field.addEventListener("change", () => (changed = true), { once: true });
    field.addEventListener("blur", () => changed || change(field), { once: true });
  });
  typedSince = [];
}

// Once htmx has settled the new content (and so listens to it), check what was left already.
function checkLeftFields() {
  const fields = toCheck.filter((field) => field.isConnected);
  toCheck = [];
  fields.forEach(change);
}

drawCharts(document);
document.body.addEventListener("htmx:load", (event) => {
  drawCharts(event.detail.elt);
  initSwapped(event.detail.elt);
});
document.body.addEventListener("htmx:beforeSwap", (event) => {
  purgeCharts(event.detail.target);
  rememberTyping(event.detail.target, event.detail.requestConfig?.formData);
});
document.body.addEventListener("htmx:afterSwap", restoreTyping);
document.body.addEventListener("htmx:afterSettle", checkLeftFields);

// On paper: every data table printed whole (a closed details element would print only its
// summary) and each chart redrawn at the printed page's width; as they were after printing.
const PRINT_WIDTH = 680; // pixels: an A4 page less its margins
let openedForPrint = [];

function drawnCharts() {
  if (typeof window.Plotly === "undefined") return [];
  return [...document.querySelectorAll("[data-drawn='true']")];
}

window.addEventListener("beforeprint", () => {
  openedForPrint = [...document.querySelectorAll("details:not([open])")];
  openedForPrint.forEach((details) => (details.open = true));
  drawnCharts().forEach((chart) => {
    window.Plotly.relayout(chart, { width: Math.min(PRINT_WIDTH, chart.clientWidth) });
  });
});

window.addEventListener("afterprint", () => {
  openedForPrint.forEach((details) => (details.open = false));
  openedForPrint = [];
  drawnCharts().forEach((chart) => {
    window.Plotly.relayout(chart, { width: null, autosize: true });
  });
});
