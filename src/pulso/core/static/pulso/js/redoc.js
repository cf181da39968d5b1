/* Start Redoc (pulso/vendor/redoc-*.standalone.js, scripts/vendor_redoc.py) without inline
 * script. Redoc writes its styles into <style> elements: they carry this script's nonce, the
 * only inline style the page's Content-Security-Policy admits. */
(function () {
  "use strict";
  var element = document.getElementById("redoc-ui");
  var settings = JSON.parse(document.getElementById("redoc-settings").textContent);
  settings.nonce = document.currentScript.nonce;
  window.Redoc.init(element.dataset.openapiUrl, settings, element);
})();
