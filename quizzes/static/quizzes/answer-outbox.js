// Answers given offline, kept in IndexedDB until the server has them.
// No DOM here: the page (offline-attempt.js) and a service worker's "sync" event
// ("quiz-answers") both call quizOutbox.flush(). Nothing of the answer key is ever
// stored: only what the learner chose, as the form posts it.
(function (scope) {
  "use strict";
  var DB_NAME = "quiz-offline";
  var TAG = "quiz-answers";
  var opening = null;

  function open() {
    if (!opening) {
      opening = new Promise(function (resolve, reject) {
        var request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () {
          var db = request.result;
          var outbox = db.createObjectStore("outbox", { keyPath: "seq", autoIncrement: true });
          outbox.createIndex("attempt", "attempt");
          db.createObjectStore("meta");
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { opening = null; reject(request.error); };
      });
    }
    return opening;
  }

  function done(request) {
    return new Promise(function (resolve, reject) {
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(stores, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(stores, mode);
        var result;
        Promise.resolve(work(tx)).then(function (value) { result = value; }, reject);
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  function randomId() {
    var bytes = new Uint8Array(16);
    scope.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  // This browser's name for the server: revisions are numbered per device.
  function device() {
    return run(["meta"], "readwrite", function (tx) {
      var meta = tx.objectStore("meta");
      return done(meta.get("device")).then(function (id) {
        if (id) return id;
        id = randomId();
        meta.put(id, "device");
        return id;
      });
    });
  }

  // Keep one answer: the next revision of that question on this device.
  function put(record) {
    var revKey = "rev:" + record.attempt + ":" + record.question;
    var baseKey = "base:" + record.attempt + ":" + record.question;
    return run(["outbox", "meta"], "readwrite", function (tx) {
      var meta = tx.objectStore("meta");
      return Promise.all([done(meta.get(revKey)), done(meta.get(baseKey))]).then(function (got) {
        record.revision = (got[0] || 0) + 1;
        // The later of what the page showed and what the server last acknowledged.
        var acknowledged = got[1] || null, shown = record.based_on || null;
        record.based_on = !shown || (acknowledged && Date.parse(acknowledged) > Date.parse(shown))
          ? acknowledged : shown;
        meta.put(record.revision, revKey);
        return done(tx.objectStore("outbox").add(record)).then(function () { return record; });
      });
    });
  }

  function pending(attempt) {
    return run(["outbox"], "readonly", function (tx) {
      var store = tx.objectStore("outbox");
      var request = attempt === undefined ? store.getAll() : store.index("attempt").getAll(attempt);
      return done(request).then(function (rows) {
        return rows.sort(function (a, b) { return a.seq - b.seq; });
      });
    });
  }

  // The page's current CSRF token replaces the kept one (it changes at sign-in).
  function refreshToken(attempt, csrf) {
    return run(["outbox"], "readwrite", function (tx) {
      var store = tx.objectStore("outbox");
      return done(store.index("attempt").getAll(attempt)).then(function (rows) {
        rows.forEach(function (row) { row.csrf = csrf; store.put(row); });
      });
    });
  }

  function settle(rows, results) {
    return run(["outbox", "meta"], "readwrite", function (tx) {
      var store = tx.objectStore("outbox");
      var meta = tx.objectStore("meta");
      rows.forEach(function (row) {
        var result = results.find(function (r) {
          return r.question === row.question && r.revision === row.revision;
        });
        if (!result) return;
        store.delete(row.seq);
        if (result.saved_at) meta.put(result.saved_at, "base:" + row.attempt + ":" + row.question);
      });
    });
  }

  function drop(rows) {
    return run(["outbox"], "readwrite", function (tx) {
      var store = tx.objectStore("outbox");
      rows.forEach(function (row) { store.delete(row.seq); });
    });
  }

  // Send every waiting answer, attempt by attempt, oldest first. Resolves with
  // {sent, results, failed}; answers the server did not answer for stay waiting.
  var flushing = null;
  function flush() {
    if (flushing) return flushing;
    // One sender at a time across the page and the service worker (Web Locks): both
    // wake when the signal returns, and the second then finds nothing left to send.
    var locks = scope.navigator && scope.navigator.locks;
    flushing = locks ? locks.request(TAG, send) : send();
    var finish = function () { flushing = null; };
    flushing.then(finish, finish);
    return flushing;
  }

  function send() {
    return Promise.all([pending(), device()]).then(function (got) {
      var rows = got[0], id = got[1];
      var groups = {};
      rows.forEach(function (row) { (groups[row.url] = groups[row.url] || []).push(row); });
      var outcome = { sent: 0, results: [], failed: false, closed: [] };
      return Object.keys(groups).reduce(function (chain, url) {
        var group = groups[url];
        return chain.then(function () {
          return fetch(url, {
            method: "POST",
            credentials: "same-origin",
            headers: {
              "Content-Type": "application/json",
              "X-CSRFToken": group[group.length - 1].csrf,
            },
            body: JSON.stringify({
              device: id,
              answers: group.map(function (row) {
                return {
                  question: row.question,
                  revision: row.revision,
                  answer: row.answer,
                  answered_at_client: row.answered_at_client,
                  based_on: row.based_on,
                };
              }),
            }),
          }).then(function (response) {
            if (response.ok) {
              return response.json().then(function (body) {
                outcome.sent += body.results.length;
                outcome.results = outcome.results.concat(body.results);
                if (!body.open) outcome.closed.push(group[0].attempt);
                return settle(group, body.results);
              });
            }
            // Not this learner's attempt any more, or not a request the server takes:
            // sending it again would never succeed.
            if (response.status === 404 || response.status === 400) return drop(group);
            outcome.failed = true;
          }, function () { outcome.failed = true; });
        });
      }, Promise.resolve()).then(function () { return outcome; });
    });
  }

  scope.quizOutbox = {
    TAG: TAG, put: put, pending: pending, flush: flush, refreshToken: refreshToken,
  };

  // Loaded by the service worker (settings.SERVICE_WORKER_SCRIPTS): the browser's
  // Background Sync wakes it when the signal returns, even with the page closed.
  if (typeof ServiceWorkerGlobalScope !== "undefined" && scope instanceof ServiceWorkerGlobalScope) {
    // With a page of the site open, that page sends (and shows the learner what the
    // server said); the worker sends only for a phone whose pages are all closed.
    scope.addEventListener("sync", function (event) {
      if (event.tag !== TAG) return;
      event.waitUntil(scope.clients.matchAll({ type: "window" }).then(function (open) {
        return open.length ? null : flush();
      }));
    });
  }
})(self);
