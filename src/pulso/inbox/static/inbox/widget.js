/*
 * Pulso chat widget: one file, no dependencies, no third parties.
 *
 * Embed it on any page of a site listed in PULSO_CHAT_ALLOWED_ORIGINS:
 *   <script src="https://pulso.example.com/static/inbox/widget.js" defer
 *           data-language="es" data-unit="tienda-centro"></script>
 * data-language: "es" (default) or "en"; data-unit: the code of the team that answers;
 * data-poll: milliseconds between checks for new messages (default 3000).
 *
 * The conversation's token travels in a header, never in a cookie; it is kept in the tab's
 * sessionStorage so that moving between pages of the site keeps the conversation.
 * Styles are set through the DOM (no <style> element), so a strict CSP on the host page holds.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.PulsoChat) { return; }
  var base = new URL(script.src, document.baseURI).origin;
  var lang = script.getAttribute("data-language") === "en" ? "en" : "es";
  var unit = script.getAttribute("data-unit") || "";
  var pollEvery = parseInt(script.getAttribute("data-poll") || "3000", 10) || 3000;
  var storeKey = "pulso-chat:" + base;
  var TEXT = {
    es: { open: "¿Hablamos?", title: "Atención al cliente", close: "Cerrar el chat",
          placeholder: "Escribe tu pregunta", send: "Enviar", person: "Hablar con una persona",
          you: "Tú", assistant: "Asistente", agent: "Equipo", error: "No se pudo enviar. Inténtalo de nuevo.",
          busy: "Demasiados mensajes seguidos: espera un minuto.", end: "Terminar la conversación",
          rate: "¿Qué tal te hemos atendido? Puntúa de 1 (muy mal) a 5 (muy bien):",
          thanks: "¡Gracias por tu valoración!" },
    en: { open: "Chat with us", title: "Customer service", close: "Close the chat",
          placeholder: "Type your question", send: "Send", person: "Talk to a person",
          you: "You", assistant: "Assistant", agent: "Team", error: "Could not send. Please try again.",
          busy: "Too many messages: wait a minute.", end: "End the conversation",
          rate: "How did we do? Rate us from 1 (very bad) to 5 (very good):",
          thanks: "Thank you for your rating!" }
  }[lang];
  var state = { id: null, token: null, last: 0, timer: null, seen: {}, asked: false };

  function el(tag, styles, attrs) {
    var node = document.createElement(tag);
    Object.keys(styles || {}).forEach(function (k) { node.style[k] = styles[k]; });
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  var root = el("div", { position: "fixed", right: "16px", bottom: "16px", zIndex: "2147483000",
    fontFamily: "system-ui, sans-serif", fontSize: "15px" }, { "data-pulso-chat": "" });
  var launcher = el("button", { background: "#0f5c8c", color: "#fff", border: "0", borderRadius: "24px",
    padding: "12px 18px", cursor: "pointer", fontSize: "15px" }, { type: "button", "aria-expanded": "false" });
  launcher.textContent = TEXT.open;
  var panel = el("section", { display: "none", width: "340px", maxWidth: "calc(100vw - 32px)", height: "460px",
    background: "#fff", color: "#1a1a1a", border: "1px solid #ccc", borderRadius: "8px",
    boxShadow: "0 4px 16px rgba(0,0,0,.2)", flexDirection: "column" },
    { role: "dialog", "aria-label": TEXT.title });
  var header = el("div", { display: "flex", justifyContent: "space-between", alignItems: "center",
    padding: "8px 12px", background: "#0f5c8c", color: "#fff", borderRadius: "8px 8px 0 0" });
  var heading = el("h2", { fontSize: "16px", margin: "0" });
  heading.textContent = TEXT.title;
  var closer = el("button", { background: "transparent", color: "#fff", border: "0", fontSize: "20px",
    cursor: "pointer" }, { type: "button", "aria-label": TEXT.close });
  closer.textContent = "×";
  var log = el("ol", { listStyle: "none", margin: "0", padding: "8px 12px", overflowY: "auto", flex: "1" },
    { role: "log", "aria-live": "polite" });
  var status = el("p", { margin: "0 12px", minHeight: "1em", color: "#a40000", fontSize: "13px" },
    { role: "status" });
  var form = el("form", { display: "flex", gap: "6px", padding: "8px 12px" });
  var input = el("input", { flex: "1", padding: "8px", border: "1px solid #888", borderRadius: "4px" },
    { type: "text", maxlength: "2000", "aria-label": TEXT.placeholder, placeholder: TEXT.placeholder,
      autocomplete: "off" });
  var send = el("button", { background: "#0f5c8c", color: "#fff", border: "0", borderRadius: "4px",
    padding: "8px 12px", cursor: "pointer" }, { type: "submit" });
  send.textContent = TEXT.send;
  var person = el("button", { margin: "0 12px 10px", background: "transparent", color: "#0f5c8c",
    border: "1px solid #0f5c8c", borderRadius: "4px", padding: "6px", cursor: "pointer" }, { type: "button" });
  person.textContent = TEXT.person;
  var ender = el("button", { margin: "0 12px 10px", background: "transparent", color: "#555",
    border: "0", textDecoration: "underline", cursor: "pointer", fontSize: "13px" }, { type: "button" });
  ender.textContent = TEXT.end;
  var rating = el("div", { display: "none", padding: "8px 12px", borderTop: "1px solid #ddd" },
    { "data-pulso-rating": "" });

  header.appendChild(heading); header.appendChild(closer);
  form.appendChild(input); form.appendChild(send);
  [header, log, status, rating, form, person, ender].forEach(function (n) { panel.appendChild(n); });
  root.appendChild(panel); root.appendChild(launcher);

  function show(message) {
    if (state.seen[message.id]) { return; }
    state.seen[message.id] = true;
    state.last = Math.max(state.last, message.id);
    var mine = message.from === "customer";
    var item = el("li", { margin: "6px 0", textAlign: mine ? "right" : "left" },
      { "data-from": message.from });
    var who = el("span", { display: "block", fontSize: "12px", color: "#555" });
    who.textContent = mine ? TEXT.you : (message.from === "agent" ? TEXT.agent : TEXT.assistant);
    var bubble = el("span", { display: "inline-block", padding: "6px 10px", borderRadius: "10px",
      background: mine ? "#e3f0f8" : "#f1f1f1", whiteSpace: "pre-wrap", textAlign: "left" });
    bubble.textContent = message.text;  // text, never HTML
    item.appendChild(who); item.appendChild(bubble);
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
  }

  function greet(text) { show({ id: 0, from: "assistant", text: text }); state.seen = { 0: true }; }

  function call(method, path, body) {
    var headers = { "Content-Type": "application/json" };
    if (state.token) { headers["X-Pulso-Chat-Token"] = state.token; }
    return fetch(base + "/chat/" + path, { method: method, headers: headers, credentials: "omit",
      body: body ? JSON.stringify(body) : undefined }).then(function (response) {
      if (response.status === 429) { throw new Error(TEXT.busy); }
      if (!response.ok) { throw new Error(TEXT.error); }
      return response.json();
    });
  }

  function save() {
    try { sessionStorage.setItem(storeKey, JSON.stringify({ id: state.id, token: state.token })); }
    catch (e) { /* storage may be disabled: the conversation lasts as long as the page */ }
  }

  function restore() {
    try { var saved = JSON.parse(sessionStorage.getItem(storeKey) || "null"); }
    catch (e) { saved = null; }
    if (saved && saved.id && saved.token) { state.id = saved.id; state.token = saved.token; }
  }

  function askRating() {
    state.asked = true;
    rating.textContent = "";
    var question = el("p", { margin: "0 0 6px" });
    question.textContent = TEXT.rate;
    rating.appendChild(question);
    [1, 2, 3, 4, 5].forEach(function (score) {
      var button = el("button", { marginRight: "6px", padding: "6px 10px", cursor: "pointer",
        border: "1px solid #0f5c8c", background: "#fff", color: "#0f5c8c", borderRadius: "4px" },
        { type: "button", "data-score": String(score) });
      button.textContent = String(score);
      button.addEventListener("click", function () {
        call("POST", "conversations/" + state.id + "/rating/", { score: score }).then(function () {
          rating.textContent = TEXT.thanks;
        }).catch(function (error) { status.textContent = error.message; });
      });
      rating.appendChild(button);
    });
    rating.style.display = "block";
  }

  function received(data) {
    (data.messages || []).forEach(show); status.textContent = "";
    if (data.rate && !state.asked) { askRating(); }
  }

  var starting = null;  // one conversation even when a click comes before the first answer

  function start() {
    if (state.id) { return poll(); }
    if (!starting) {
      starting = call("POST", "conversations/", { language: lang, unit: unit }).then(function (data) {
        state.id = data.id; state.token = data.token; save();
        greet(data.greeting); received(data);
      }, function (error) { starting = null; throw error; });
    }
    return starting;
  }

  function poll() {
    if (!state.id) { return Promise.resolve(); }
    return call("GET", "conversations/" + state.id + "/messages/?after=" + state.last)
      .then(received)
      .catch(function (error) { status.textContent = error.message; });
  }

  function open() {
    panel.style.display = "flex"; launcher.style.display = "none";
    launcher.setAttribute("aria-expanded", "true");
    start().catch(function (error) { status.textContent = error.message; });
    if (!state.timer) { state.timer = setInterval(poll, pollEvery); }
    input.focus();
  }

  function close() {
    panel.style.display = "none"; launcher.style.display = "";
    launcher.setAttribute("aria-expanded", "false");
    clearInterval(state.timer); state.timer = null;
    launcher.focus();
  }

  launcher.addEventListener("click", open);
  closer.addEventListener("click", close);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) { return; }
    input.value = "";
    start().then(function () {
      return call("POST", "conversations/" + state.id + "/messages/", { text: text });
    }).then(received).catch(function (error) {
      input.value = text; status.textContent = error.message;
    });
  });
  person.addEventListener("click", function () {
    start().then(function () { return call("POST", "conversations/" + state.id + "/person/"); })
      .then(received).catch(function (error) { status.textContent = error.message; });
  });

  ender.addEventListener("click", function () {
    if (!state.id) { return close(); }
    call("POST", "conversations/" + state.id + "/end/").then(received)
      .catch(function (error) { status.textContent = error.message; });
  });

  restore();
  document.body.appendChild(root);
  window.PulsoChat = { open: open, close: close };
})();
