/* Render every Vega-Lite spec of the page with the vendored vega-embed, also after HTMX swaps. */
(function () {
  "use strict";
  function render(root) {
    root.querySelectorAll("[data-chart]").forEach(function (target) {
      if (target.dataset.rendered) { return; }
      var source = document.getElementById(target.dataset.chart);
      if (!source || typeof vegaEmbed !== "function") { return; }
      target.dataset.rendered = "1";
      var spec = JSON.parse(source.textContent);
      var options = (spec.usermeta && spec.usermeta.embedOptions) || { actions: false };
      vegaEmbed(target, spec, options).catch(function (error) {
        target.textContent = error.message;
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { render(document); });
  document.addEventListener("htmx:afterSettle", function (event) { render(event.target); });
})();
