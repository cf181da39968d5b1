/* Charts under the Content-Security-Policy: every Vega-Lite chart is embedded through
 * PulsoCharts.embed, which runs chart expressions with Vega's interpreter (no eval: `ast`) and
 * lets neither vega-embed nor its tooltip inject a <style> element (their CSS is in pulso.css).
 * Elements with data-spec="<id of a json_script>" are drawn when the page is ready. */
(function () {
  "use strict";
  var STRICT = { ast: true, defaultStyle: false, tooltip: { disableDefaultStyle: true } };

  function embed(target, spec, options) {
    var merged = Object.assign({}, options || {}, STRICT);
    return window.vegaEmbed(target, spec, merged);
  }

  function drawSpecs() {
    document.querySelectorAll("[data-spec]").forEach(function (el) {
      var source = document.getElementById(el.dataset.spec);
      if (source && window.vegaEmbed) {
        embed(el, JSON.parse(source.textContent), { actions: false, renderer: "svg" });
      }
    });
  }

  window.PulsoCharts = { embed: embed };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawSpecs);
  } else {
    drawSpecs();
  }
})();
