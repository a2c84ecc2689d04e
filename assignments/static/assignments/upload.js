// Sends the chosen files one at a time before the form, each retried on a broken
// connection (a slow rural link drops uploads), so one failure never loses the others
// or the typed text. Without this script the form posts everything at once.
(function () {
  "use strict";
  var form = document.querySelector("form[data-upload-url]");
  if (!form || !window.fetch || !window.FormData) return;
  var input = form.querySelector("input[type=file]");
  var status = form.querySelector("[data-upload-status]");
  if (!input) return;
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var busy = false;

  function say(text) {
    if (status) status.textContent = text;
  }

  function wait(ms) {
    return new Promise(function (resolve) { setTimeout(resolve, ms); });
  }

  function send(file, attempt) {
    var body = new FormData();
    body.append("file", file, file.name);
    return fetch(form.dataset.uploadUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token, "Accept": "application/json" },
    }).then(function (response) {
      if (response.status >= 500 && attempt < 4) throw new Error("server");
      return response.json().then(function (data) {
        return { ok: response.ok, data: data };
      });
    }).catch(function (error) {
      if (attempt >= 4) throw error;
      say(form.dataset.retrying || "…");
      return wait(1000 * Math.pow(2, attempt)).then(function () { return send(file, attempt + 1); });
    });
  }

  form.addEventListener("submit", function (event) {
    if (busy || !input.files.length) return;
    event.preventDefault();
    busy = true;
    var submitter = event.submitter;
    var files = Array.prototype.slice.call(input.files);
    var problems = [];
    var chain = Promise.resolve();
    files.forEach(function (file, index) {
      chain = chain.then(function () {
        say(file.name + " (" + (index + 1) + "/" + files.length + ")");
        return send(file, 0).then(function (result) {
          if (!result.ok) problems.push(result.data.error || file.name);
        });
      });
    });
    chain.then(function () {
      input.value = "";
      if (problems.length) {
        busy = false;
        say(problems.join(" "));
        return;
      }
      // the text and the chosen action go the plain way, the files are already there
      if (form.requestSubmit && submitter) form.requestSubmit(submitter);
      else form.submit();
    }).catch(function () {
      busy = false;
      say(form.dataset.failed || "");
    });
  });
})();
