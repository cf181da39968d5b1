// Recording a visit on a phone with a poor connection: nothing typed is lost.
// - Every change is kept at once in this phone's localStorage, and sent to the server as a
//   draft a moment later (and again when the connection comes back).
// - The submission carries a token kept with the draft: sending it again (a retry after a
//   dropped connection) records the visit once.
// - Sending without a connection keeps the page and says so; nothing is cleared until the
//   server has recorded the visit.
(function () {
  "use strict";
  var form = document.querySelector("form[data-visit-form]");
  if (!form) return;
  var key = form.dataset.storageKey;
  var status = document.getElementById("draft-status");
  var token = form.querySelector("input[name=token]");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]");
  var timer = null;

  function say(name) {
    if (status) status.textContent = form.dataset[name] || "";
  }
  function stored() {
    try { return JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }
  function values() {
    var found = {};
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string" && name !== "csrfmiddlewaretoken") found[name] = value;
    });
    return found;
  }
  function keep() {
    var draft = { token: token.value, savedAt: new Date().toISOString(), values: values() };
    try { window.localStorage.setItem(key, JSON.stringify(draft)); return true; } catch (e) { return false; }
  }
  function restore(draft) {
    Object.keys(draft.values || {}).forEach(function (name) {
      form.querySelectorAll("[name='" + name.replace(/'/g, "") + "']").forEach(function (field) {
        if (field.type === "file" || name === "token") return;
        if (field.type === "radio" || field.type === "checkbox") {
          field.checked = field.value === draft.values[name];
        } else {
          field.value = draft.values[name];
        }
      });
    });
  }
  function sendDraft() {
    if (!window.fetch || !navigator.onLine) { say("msgLocal"); return; }
    fetch(form.dataset.draftUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf ? csrf.value : "" },
      body: JSON.stringify(values())
    }).then(function (response) {
      say(response.ok ? "msgServer" : "msgLocal");
    }).catch(function () { say("msgLocal"); });
  }
  function changed() {
    say(keep() ? "msgLocal" : "msgNotKept");
    window.clearTimeout(timer);
    timer = window.setTimeout(sendDraft, 1500);
  }

  var draft = stored();
  var serverSaved = form.dataset.serverSaved || "";
  if (draft && draft.token) token.value = draft.token;
  // The newer of the two drafts wins: this phone's, or the server's (typed on another device).
  if (draft && (!serverSaved || Date.parse(draft.savedAt || "") > Date.parse(serverSaved))) {
    restore(draft);
  }
  keep();
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  window.addEventListener("online", sendDraft);

  form.addEventListener("submit", function (event) {
    if (!window.fetch) return;
    event.preventDefault();
    keep();
    if (!navigator.onLine) { say("msgOffline"); return; }
    say("msgSending");
    fetch(form.action || window.location.href, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
      body: new FormData(form)
    }).then(function (response) {
      if (response.ok) {
        return response.json().then(function (answer) {
          window.localStorage.removeItem(key);
          window.location.assign(answer.url);
        });
      }
      // Errors in the form: let the server show them on the page (the draft stays kept).
      form.submit();
    }).catch(function () { say("msgOffline"); });
  });
})();
