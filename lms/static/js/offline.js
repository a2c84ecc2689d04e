/* Offline use (README "Offline"): registers the service worker (/sw.js), saves modules
   for offline use, lists and removes them on the dashboard, queues "Mark as done" when
   there is no signal, and forgets everything at sign-out. Without a service worker
   nothing here is shown and every page works as before. */
(function () {
  "use strict";
  if (!("serviceWorker" in navigator) || !("caches" in window)) return;

  var META = "lms-meta";
  var USER_KEY = "/__lms/user";
  var STORED_AT = "x-lms-stored-at";
  var userMeta = document.querySelector('meta[name="lms-user"]');
  var user = userMeta ? userMeta.content : "";
  var prefix = "lms-u" + user + "-";

  function format(text, values) {
    var i = 0;
    return text.replace(/%s/g, function () { return values[i++]; });
  }

  function size(bytes) {
    var unit = bytes >= 1e6 ? [1e6, " MB"] : [1e3, " KB"];
    return (Math.round((bytes / unit[0]) * 10) / 10).toLocaleString(document.documentElement.lang) + unit[1];
  }

  // --- the queue of work done offline, in IndexedDB ---------------------------------
  function db() {
    return new Promise(function (resolve, reject) {
      var open = indexedDB.open("lms-offline", 1);
      open.onupgradeneeded = function () { open.result.createObjectStore("queue", { autoIncrement: true }); };
      open.onsuccess = function () { resolve(open.result); };
      open.onerror = function () { reject(open.error); };
    });
  }

  function store(mode, work) {
    return db().then(function (base) {
      return new Promise(function (resolve, reject) {
        var tx = base.transaction("queue", mode);
        var result = work(tx.objectStore("queue"));
        tx.oncomplete = function () { base.close(); resolve(result && result.result); };
        tx.onerror = function () { base.close(); reject(tx.error); };
      });
    });
  }

  function queued() {
    return db().then(function (base) {
      return new Promise(function (resolve) {
        var items = [];
        var cursor = base.transaction("queue").objectStore("queue").openCursor();
        cursor.onsuccess = function () {
          var at = cursor.result;
          if (at) { items.push({ key: at.key, value: at.value }); at.continue(); } else { base.close(); resolve(items); }
        };
      });
    });
  }

  function csrfToken() {
    var field = document.querySelector('input[name="csrfmiddlewaretoken"]');
    return field ? field.value : "";
  }

  var sending = false;
  function sendQueued() {
    if (!user || sending || !navigator.onLine) return Promise.resolve();
    sending = true;
    return queued().then(function (items) {
      return items.reduce(function (chain, item) {
        if (item.value.user !== user) return chain;
        return chain.then(function () {
          var body = new FormData();
          body.append("csrfmiddlewaretoken", csrfToken());
          return fetch(item.value.url, { method: "POST", body: body, credentials: "same-origin", redirect: "manual" })
            .then(function (response) {
              // Done, or refused for good (404: no longer enrolled): either way not resent.
              if (response.type === "opaqueredirect" || response.status < 500) {
                return store("readwrite", function (queue) { queue.delete(item.key); });
              }
            });
        });
      }, Promise.resolve());
    }).catch(function () { /* still no signal: the next page load or "online" sends it */ })
      .then(function () { sending = false; });
  }

  function queueForms() {
    document.querySelectorAll("form[data-offline-queue]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (navigator.onLine || !user) return;
        event.preventDefault();
        store("readwrite", function (queue) {
          return queue.add({ user: user, url: form.action, at: Date.now() });
        }).then(function () {
          form.querySelectorAll("button").forEach(function (button) { button.disabled = true; });
          form.querySelector("[data-offline-status]").textContent = form.dataset.textQueued;
          form.dataset.offlineState = "queued";
        });
      });
    });
  }

  // --- whose pages these are ---------------------------------------------------------
  function forgetOthers() {
    // The offline page names nobody: the person signed in stays who they were.
    if (document.querySelector('meta[name="lms-offline-page"]')) return Promise.resolve();
    return caches.open(META).then(function (cache) {
      return cache.match(USER_KEY).then(function (found) {
        return (found ? found.text() : Promise.resolve("")).then(function (previous) {
          var put = cache.put(USER_KEY, new Response(user));
          if (!user || previous === user) return put;
          // Someone else signed in on this phone: nothing of the previous person stays.
          return Promise.all([put, caches.keys().then(function (names) {
            return Promise.all(names.filter(function (name) {
              return name.indexOf("lms-u") === 0 && name.indexOf(prefix) !== 0;
            }).map(function (name) { return caches.delete(name); }));
          }), store("readwrite", function (queue) { queue.clear(); })]);
        });
      });
    });
  }

  function forgetAll() {
    return caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) { return name.indexOf("lms-u") === 0 || name === META; })
        .map(function (name) { return caches.delete(name); }));
    }).then(function () {
      return new Promise(function (resolve) {
        var request = indexedDB.deleteDatabase("lms-offline");
        request.onsuccess = request.onerror = request.onblocked = resolve;
      });
    });
  }

  function signOutForms() {
    document.querySelectorAll('form[action$="/accounts/logout/"]').forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (form.dataset.cleared) return;
        event.preventDefault();
        forgetAll().then(function () { form.dataset.cleared = "1"; form.submit(); });
      });
    });
  }

  // --- saving a module or a course -----------------------------------------------------
  function chooseImage(choices) {
    // As the srcset of a lesson figure would: the narrowest at least as wide as the screen.
    var wanted = Math.min(window.innerWidth, 800) * (window.devicePixelRatio || 1);
    var sorted = choices.slice().sort(function (a, b) { return a.width - b.width; });
    return sorted.filter(function (c) { return c.width >= wanted; })[0] || sorted[sorted.length - 1];
  }

  function plan(list) {
    return list.modules.map(function (module) {
      var files = module.files.map(function (file) { return file.choices ? chooseImage(file.choices) : file; });
      return { id: module.id, title: module.title, url: module.url, files: files,
        bytes: files.reduce(function (sum, file) { return sum + file.bytes; }, 0) };
    });
  }

  function saveModule(module, progress) {
    var name = prefix + "m" + module.id;
    var stored = 0;
    return caches.open(name).then(function (cache) {
      var queue = module.files.slice();
      function next() {
        var file = queue.shift();
        if (!file) return Promise.resolve();
        return fetch(file.url, { credentials: "same-origin" }).then(function (response) {
          if (!response.ok || response.redirected) throw new Error("not saved: " + file.url);
          return response.blob().then(function (blob) {
            var headers = new Headers(response.headers);
            headers.set(STORED_AT, String(Date.now()));
            stored += blob.size;
            progress(file.bytes);
            return cache.put(new URL(file.url, location.href).href, new Response(blob, { status: 200, headers: headers }));
          });
        }).then(next);
      }
      return Promise.all([next(), next(), next(), next()]).then(function () {
        var meta = { title: module.title, url: module.url, bytes: stored, savedAt: Date.now() };
        return cache.put("/__lms/meta", new Response(JSON.stringify(meta)));
      });
    });
  }

  function setUpSaveButtons() {
    document.querySelectorAll("[data-offline-save]").forEach(function (button) {
      var box = button.closest("[data-offline-box]");
      var status = box.querySelector("[data-offline-status]");
      var bar = box.querySelector("progress");
      var modules = null;
      fetch(button.dataset.offlineUrl, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : Promise.reject(); })
        .then(function (list) {
          modules = plan(list);
          var total = modules.reduce(function (sum, m) { return sum + m.bytes; }, 0);
          box.hidden = false;
          status.textContent = format(button.dataset.textSize, [size(total)]);
          return caches.has(prefix + "m" + (modules[0] || {}).id).then(function (saved) {
            if (saved && modules.length === 1) button.dataset.offlineState = "saved";
          });
        }).catch(function () { /* offline or not allowed: the button stays hidden */ });

      button.addEventListener("click", function () {
        if (!modules) return;
        var total = modules.reduce(function (sum, m) { return sum + m.bytes; }, 0) || 1;
        var done = 0;
        button.disabled = true;
        button.dataset.offlineState = "saving";
        bar.hidden = false;
        function progress(bytes) {
          done += bytes;
          bar.value = Math.min(100, Math.round((done / total) * 100));
          status.textContent = format(button.dataset.textSaving, [bar.value + "%"]);
        }
        modules.reduce(function (chain, module) {
          return chain.then(function () { return saveModule(module, progress); });
        }, Promise.resolve()).then(function () {
          bar.value = 100;
          status.textContent = format(button.dataset.textSaved, [size(total)]);
          button.dataset.offlineState = "saved";
        }).catch(function () {
          status.textContent = button.dataset.textFailed;
          button.dataset.offlineState = "failed";
        }).then(function () { button.disabled = false; });
      });
    });
  }

  // --- the dashboard's list -------------------------------------------------------------
  function listSaved() {
    var section = document.querySelector("[data-offline-saved-list]");
    if (!section || !user) return;
    var list = section.querySelector("ul");
    caches.keys().then(function (names) {
      var mine = names.filter(function (name) { return name.indexOf(prefix + "m") === 0; });
      return Promise.all(mine.map(function (name) {
        return caches.open(name).then(function (cache) { return cache.match("/__lms/meta"); })
          .then(function (found) { return found ? found.json().then(function (meta) { meta.cache = name; return meta; }) : null; });
      }));
    }).then(function (saved) {
      saved.filter(Boolean).forEach(function (meta) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = meta.url;
        link.textContent = meta.title;
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "link-button";
        remove.textContent = section.dataset.textRemove;
        remove.setAttribute("aria-label", section.dataset.textRemove + ": " + meta.title);
        remove.addEventListener("click", function () {
          caches.delete(meta.cache).then(function () {
            item.remove();
            if (!list.children.length) section.hidden = true;
          });
        });
        item.append(link, " · " + size(meta.bytes) + " · ", remove);
        list.append(item);
      });
      section.hidden = !list.children.length;
    });
  }

  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () { /* no offline use */ });
  forgetOthers().then(function () {
    signOutForms();
    queueForms();
    listSaved();
    navigator.serviceWorker.ready.then(setUpSaveButtons);
    sendQueued();
    window.addEventListener("online", sendQueued);
  });
}());
