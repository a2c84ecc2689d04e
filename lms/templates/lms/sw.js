/* The site's service worker (README "Offline"), rendered by lms.views.service_worker.

Pages: from the network first; a signed-in person's pages are kept as they are visited,
and shown when there is no signal (at most maxAgeMs after they were fetched), else the
offline page. Pages are kept per person (caches "lms-u<id>-..."); the person signed in
on this phone is written by js/offline.js into the "lms-meta" cache. Static files with
hashed names and lesson images: from the caches first. */
"use strict";

const CONFIG = {{ config|safe }};
// The apps' own worker scripts (settings.SERVICE_WORKER_SCRIPTS), while the worker
// starts: only then may they add event listeners.
importScripts(...CONFIG.scripts);
const SHELL = "lms-shell-" + CONFIG.version;
const META = "lms-meta";
const USER_KEY = "/__lms/user";
const STORED_AT = "x-lms-stored-at";
const HASHED = /\.[0-9a-f]{12}\.\w+$/;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(SHELL)
      // Without cookies: the offline pages name nobody, and a page under a language
      // prefix would otherwise set the visitor's language cookie to its own.
      .then((cache) =>
        cache.addAll(
          [...Object.values(CONFIG.offlinePages), ...CONFIG.shell].map(
            (url) => new Request(url, { credentials: "omit" }),
          ),
        ),
      )
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith("lms-shell-") && name !== SHELL)
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

async function currentUser() {
  const cache = await caches.open(META);
  const found = await cache.match(USER_KEY);
  return found ? (await found.text()) : "";
}

async function userCaches(user) {
  const prefix = "lms-u" + user + "-";
  return (await caches.keys()).filter((name) => name.startsWith(prefix));
}

function fresh(response) {
  const at = Number(response.headers.get(STORED_AT) || 0);
  return Date.now() - at <= CONFIG.maxAgeMs;
}

async function stamped(response) {
  const headers = new Headers(response.headers);
  headers.set(STORED_AT, String(Date.now()));
  return new Response(await response.blob(), {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

async function fromUserCaches(user, url) {
  for (const name of await userCaches(user)) {
    const found = await (await caches.open(name)).match(url, { ignoreVary: true });
    if (found && fresh(found)) return found;
  }
  return null;
}

function keepable(url, response) {
  const language = url.pathname.split("/")[1];
  const control = response.headers.get("Cache-Control") || "";
  return (
    response.ok &&
    !response.redirected &&
    CONFIG.languages.includes(language) &&
    !control.includes("no-store") &&
    (response.headers.get("Content-Type") || "").startsWith("text/html")
  );
}

async function keep(user, url, response) {
  // The visited copy, and a newer copy of a page saved with a module: revalidated.
  const names = await userCaches(user);
  const targets = ["lms-u" + user + "-visited"];
  for (const name of names) {
    if (name !== targets[0] && (await (await caches.open(name)).match(url, { ignoreVary: true }))) targets.push(name);
  }
  const copy = await stamped(response);
  for (const name of targets) {
    await (await caches.open(name)).put(url, copy.clone());
  }
}

async function navigate(event, url) {
  const user = await currentUser();
  try {
    const response = await fetch(event.request);
    if (user && keepable(url, response)) {
      event.waitUntil(keep(user, url.href, response.clone()));
    }
    return response;
  } catch (error) {
    const kept = user && (await fromUserCaches(user, url.href));
    if (kept) return kept;
    const language = url.pathname.split("/")[1];
    const offline = CONFIG.offlinePages[language] || Object.values(CONFIG.offlinePages)[0];
    return (await caches.match(offline, { cacheName: SHELL, ignoreVary: true })) || Response.error();
  }
}

async function file(event, url) {
  const user = await currentUser();
  const kept =
    (await caches.match(url.href, { cacheName: SHELL, ignoreVary: true })) ||
    (user && (await fromUserCaches(user, url.href)));
  if (kept && HASHED.test(url.pathname)) return kept; // the name changes with the content
  try {
    const response = await fetch(event.request);
    if (response.ok && url.pathname.startsWith("/static/")) {
      event.waitUntil(caches.open(SHELL).then((cache) => cache.put(url.href, response.clone())));
    }
    return response;
  } catch (error) {
    return kept || Response.error();
  }
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/admin/")) return;
  if (event.request.mode === "navigate") {
    event.respondWith(navigate(event, url));
  } else if (url.pathname.startsWith("/static/") || url.pathname.startsWith("/media/")) {
    event.respondWith(file(event, url));
  }
});
