// The one-page offline attempt: each answer kept on this phone as it is given
// (quizOutbox, IndexedDB) and sent when there is a connection: at once when online,
// on the "online" event, on the next page load, and by the service worker's
// Background Sync where the browser has it. Without this script the page is a
// plain form.
(function () {
  "use strict";
  var box = document.querySelector("[data-offline-sync]");
  var form = document.querySelector("[data-offline-form]");
  if (!box || !form || !self.quizOutbox || !self.indexedDB) return;
  var outbox = self.quizOutbox;
  var attempt = Number(box.getAttribute("data-attempt"));
  var url = box.getAttribute("data-sync-url");
  var status = box.querySelector("[data-offline-status]");
  var outcomes = box.querySelector("[data-offline-outcomes]");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var text = function (name) { return box.getAttribute("data-text-" + name) || ""; };
  box.hidden = false;

  function fieldsOf(fieldset) {
    var prefix = fieldset.getAttribute("data-prefix") + "-";
    var answer = {};
    fieldset.querySelectorAll("input, textarea, select").forEach(function (input) {
      if (!input.name || input.name.indexOf(prefix) !== 0 || input.disabled) return;
      var name = input.name.slice(prefix.length);
      if (input.type === "checkbox") {
        answer[name] = answer[name] || [];
        if (input.checked) answer[name].push(input.value);
      } else if (input.type === "radio") {
        if (input.checked) answer[name] = input.value;
      } else {
        answer[name] = input.value;
      }
    });
    return answer;
  }

  function show(fieldset, answer) {
    var prefix = fieldset.getAttribute("data-prefix") + "-";
    fieldset.querySelectorAll("input, textarea, select").forEach(function (input) {
      if (!input.name || input.name.indexOf(prefix) !== 0) return;
      var value = answer[input.name.slice(prefix.length)];
      if (input.type === "checkbox" || input.type === "radio") {
        input.checked = [].concat(value === undefined ? [] : value).indexOf(input.value) !== -1;
      } else if (value !== undefined) {
        input.value = value;
      }
    });
  }

  function count() {
    return outbox.pending(attempt).then(function (rows) {
      status.textContent = rows.length
        ? text("waiting").replace("{n}", rows.length)
        : text("sent");
      return rows;
    });
  }

  function report(outcome) {
    outcome.results.forEach(function (result) {
      if (!result.message) return;
      var item = document.createElement("li");
      item.textContent = result.message;
      item.setAttribute("data-outcome", result.outcome);
      outcomes.appendChild(item);
    });
  }

  function send() {
    if (!navigator.onLine) {
      return count().then(function (rows) {
        if (rows.length) status.textContent += " " + text("offline");
      });
    }
    return outbox.flush().then(function (outcome) {
      report(outcome);
      return count().then(function (rows) {
        if (outcome.failed && rows.length) status.textContent += " " + text("failed");
      });
    });
  }

  function askBackgroundSync() {
    if (!("serviceWorker" in navigator) || !("SyncManager" in self)) return;
    navigator.serviceWorker.getRegistration().then(function (registration) {
      if (registration && registration.sync) return registration.sync.register(outbox.TAG);
    }).catch(function () { /* the next page load sends them instead */ });
  }

  form.addEventListener("change", function (event) {
    var fieldset = event.target.closest("[data-question]");
    if (!fieldset) return;
    outbox.put({
      attempt: attempt,
      url: url,
      csrf: csrf,
      question: Number(fieldset.getAttribute("data-question")),
      answer: fieldsOf(fieldset),
      answered_at_client: new Date().toISOString(),
      based_on: fieldset.getAttribute("data-saved-at") || null,
    }).then(function () {
      var saved = fieldset.querySelector("[data-offline-saved]");
      if (saved) saved.textContent = text("saved");
      askBackgroundSync();
      return send();
    });
  });

  // Posting the form needs a connection: send what is waiting first, then post.
  form.addEventListener("submit", function (event) {
    if (form.hasAttribute("data-sending")) return;
    event.preventDefault();
    var submitter = event.submitter;
    if (!navigator.onLine) {
      status.textContent = text("offline");
      return;
    }
    send().then(function () {
      form.setAttribute("data-sending", "");
      form.requestSubmit(submitter);
    });
  });

  self.addEventListener("online", send);
  self.addEventListener("offline", function () { count().then(function (rows) {
    if (rows.length) status.textContent += " " + text("offline");
  }); });

  // A page opened again (from the browser's cache, perhaps offline) shows the answers
  // still waiting, then sends them if it can.
  outbox.refreshToken(attempt, csrf).then(function () {
    return outbox.pending(attempt);
  }).then(function (rows) {
    rows.forEach(function (row) {
      var fieldset = form.querySelector('[data-question="' + row.question + '"]');
      if (fieldset) show(fieldset, row.answer);
    });
    return send();
  });
})();
