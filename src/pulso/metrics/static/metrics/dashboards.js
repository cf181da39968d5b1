/* Render every Vega-Lite spec of the page (PulsoCharts, pulso/js/charts.js), also after HTMX swaps. */
(function () {
  "use strict";
  // Spanish month and day names and decimal comma for the axes when the page is in Spanish.
  var SPANISH = {
    time: {
      dateTime: "%A, %e de %B de %Y, %X", date: "%d/%m/%Y", time: "%H:%M:%S", periods: ["AM", "PM"],
      days: ["domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"],
      shortDays: ["dom", "lun", "mar", "mié", "jue", "vie", "sáb"],
      months: ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
               "septiembre", "octubre", "noviembre", "diciembre"],
      shortMonths: ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"]
    },
    format: { decimal: ",", thousands: ".", grouping: [3], currency: ["", " €"] }
  };
  function localised(options) {
    if ((document.documentElement.lang || "").slice(0, 2) === "es") {
      options.timeFormatLocale = SPANISH.time;
      options.formatLocale = SPANISH.format;
    }
    return options;
  }
  function render(root) {
    root.querySelectorAll("[data-chart]").forEach(function (target) {
      if (target.dataset.rendered) { return; }
      var source = document.getElementById(target.dataset.chart);
      if (!source || !window.PulsoCharts) { return; }
      target.dataset.rendered = "1";
      var spec = JSON.parse(source.textContent);
      var options = (spec.usermeta && spec.usermeta.embedOptions) || { actions: false };
      window.PulsoCharts.embed(target, spec, localised(options)).catch(function (error) {
        target.textContent = error.message;
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { render(document); });
  document.addEventListener("htmx:afterSettle", function (event) { render(event.target); });
})();
