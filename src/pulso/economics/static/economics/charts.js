// Render every Vega-Lite spec embedded with json_script (vendored vega-embed, no CDN).
document.querySelectorAll("[data-spec]").forEach(function (el) {
  var source = document.getElementById(el.dataset.spec);
  if (source && window.vegaEmbed) {
    window.vegaEmbed(el, JSON.parse(source.textContent), { actions: false, renderer: "svg" });
  }
});
