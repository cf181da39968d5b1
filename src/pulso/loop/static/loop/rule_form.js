// The rule editor shows only the fields the chosen action uses (and the fixed unit only when
// the case goes to a fixed unit). Without this script every field stays visible.
(function () {
  "use strict";
  function update(form) {
    var action = form.querySelector("[name=action]");
    var caseUnit = form.querySelector("[name=case_unit]");
    var chosen = action ? action.value : "";
    form.querySelectorAll("[data-for-actions]").forEach(function (field) {
      var wanted = field.getAttribute("data-for-actions").split(" ");
      var shown = wanted.indexOf(chosen) !== -1;
      if (shown && field.querySelector("[name=target_unit]") && caseUnit) {
        shown = caseUnit.value === "fixed";
      }
      field.hidden = !shown;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.rule-form").forEach(function (form) {
      update(form);
      form.addEventListener("change", function (event) {
        var name = event.target && event.target.name;
        if (name === "action" || name === "case_unit") update(form);
      });
    });
  });
})();
