// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  document.addEventListener("change", function (e) {
    if (e.target.matches("[data-autosubmit]")) { e.target.form.submit(); }
  });
  // Ask before irreversible steps: <form data-confirm="...">
  document.addEventListener("submit", function (e) {
    var msg = e.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) { e.preventDefault(); }
  });

  // Projector view: the arrow keys (and a presenter's clicker, which sends PageUp/PageDown) move between desa.
  document.addEventListener("keydown", function (e) {
    if (!document.body.classList.contains("projector") || e.altKey || e.ctrlKey || e.metaKey) { return; }
    if (e.target.closest && e.target.closest("input, textarea, select, [contenteditable]")) { return; }
    var rel = { ArrowRight: "next", PageDown: "next", ArrowLeft: "prev", PageUp: "prev" }[e.key];
    var link = rel && document.querySelector("a[rel=" + rel + "]");
    if (link) { e.preventDefault(); window.location.href = link.href; }
  });

  // Drafts: what is typed into a POST form is kept in this browser until the server accepts it, so a failed
  // submit or a dropped connection (weak signal on the islands) loses nothing. Saved on every keystroke,
  // restored into empty fields when the form is shown again, removed once the server answered the submit
  // with a redirect (this app's sign of success). Password forms and forms marked data-no-draft are skipped.
  var PREFIX = "tl-draft:", PENDING = "tl-draft-pending", MAX_AGE = 3 * 24 * 3600 * 1000;
  var TEXT = "textarea, input[type=text], input[type=search], input[type=date], input[type=number], " +
             "input[type=email], input[type=tel], input[type=url], input:not([type])";
  var store;
  try { store = window.localStorage; store.setItem("tl-probe", "1"); store.removeItem("tl-probe"); }
  catch (err) { return; }  // storage blocked: the page still works, only without drafts

  function draftable(form) {
    return form.method.toLowerCase() === "post" && !form.hasAttribute("data-no-draft") &&
      !form.querySelector("input[type=password]") && form.querySelector(TEXT);
  }
  function keyOf(form) {
    var action = new URL(form.getAttribute("action") || window.location.href, window.location.href);
    return PREFIX + action.pathname;
  }
  function fieldsOf(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && !el.disabled && el.type !== "hidden" && el.type !== "submit" && el.type !== "button" &&
        el.type !== "file" && el.type !== "password";
    });
  }
  function read(key) {
    try {
      var draft = JSON.parse(store.getItem(key) || "null");
      if (draft && Date.now() - draft.at < MAX_AGE) { return draft; }
    } catch (err) { /* a broken entry is dropped below */ }
    store.removeItem(key);
    return null;
  }
  function save(form) {
    var values = {}, typed = false;
    fieldsOf(form).forEach(function (el) {
      if (el.type === "radio" || el.type === "checkbox") {
        values[el.name + "=" + el.value] = el.checked;
      } else {
        values[el.name] = el.value;
        if (el.matches(TEXT) && el.value !== el.defaultValue) { typed = true; }
      }
    });
    if (typed) { store.setItem(keyOf(form), JSON.stringify({ at: Date.now(), values: values })); }
  }
  function restore(form, notice) {
    var draft = read(keyOf(form));
    if (!draft) { return; }
    var fields = fieldsOf(form), values = draft.values;
    // A text field that is empty here but was typed in the draft means the form came back fresh (reloaded
    // after a dropped connection, or opened again later). A form the server re-rendered after a refused
    // submit already holds what was sent, and is left alone.
    var fresh = fields.some(function (el) { return el.matches(TEXT) && !el.value && values[el.name]; });
    if (!fresh) { return; }
    fields.forEach(function (el) {
      if (el.type === "radio" || el.type === "checkbox") {
        var k = el.name + "=" + el.value;
        if (Object.prototype.hasOwnProperty.call(values, k)) { el.checked = values[k]; }
      } else if (Object.prototype.hasOwnProperty.call(values, el.name)) {
        el.value = values[el.name];
      }
    });
    var details = form.closest("details");
    if (details) { details.open = true; }
    var note = document.createElement("div");
    note.className = "msg msg-warning draft-note";
    note.setAttribute("role", "status");
    note.textContent = notice.text + " ";
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "link";
    discard.textContent = notice.discard;
    discard.addEventListener("click", function () {
      store.removeItem(keyOf(form));
      form.reset();
      note.remove();
    });
    note.appendChild(discard);
    form.insertBefore(note, form.firstChild);
  }

  function forms() { return Array.prototype.filter.call(document.forms, draftable); }
  document.addEventListener("input", function (e) {
    if (e.target.form && draftable(e.target.form)) { save(e.target.form); }
  });
  document.addEventListener("change", function (e) {
    if (e.target.form && draftable(e.target.form)) { save(e.target.form); }
  });
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (e.defaultPrevented) { return; }
    if (form.matches("[data-logout]")) {  // a shared office computer: nothing typed stays behind
      Object.keys(store).forEach(function (k) { if (k.indexOf(PREFIX) === 0) { store.removeItem(k); } });
      return;
    }
    if (draftable(form)) { save(form); store.setItem(PENDING, keyOf(form)); }
  });

  function settle() {
    // The answer to the last submit: a redirect means the server took it; anything else (a form shown
    // again with errors, an error page, no answer at all) keeps the draft.
    var pending = store.getItem(PENDING);
    if (pending) {
      var nav = window.performance && performance.getEntriesByType && performance.getEntriesByType("navigation")[0];
      // A redirect to the login page (the session ran out) is no success: the draft stays.
      if (nav && nav.redirectCount > 0 && !document.querySelector("input[type=password]")) {
        store.removeItem(pending);
      }
      store.removeItem(PENDING);
    }
    var body = document.body;
    var notice = { text: body.getAttribute("data-draft-restored") || "Isian yang belum terkirim dipulihkan.",
                   discard: body.getAttribute("data-draft-discard") || "Buang" };
    forms().forEach(function (form) { restore(form, notice); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", settle); }
  else { settle(); }
})();
