// mutu kiosk service worker: keeps the kiosk page and its assets so that a tablet that reloads
// or restarts with no network still shows the form (kiosk.js queues the answers). Its scope is
// the kiosk path only: staff pages are never controlled, so never cached. The cache name holds
// the version of the assets: a deploy that changes them installs a new worker and a new cache.
"use strict";
const CONFIG = {{ config|safe }};
const CACHE = "mutu-kiosk-" + CONFIG.version;
const PREFIX = "mutu-kiosk-";

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(CONFIG.assets))
    .then(() => self.skipWaiting()));
});

// The new cache takes over the pages of the old ones (fetched anew when the network allows,
// so that they name the new assets), then the old caches go.
self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    for (const name of await caches.keys()) {
      if (!name.startsWith(PREFIX) || name === CACHE) continue;
      const old = await caches.open(name);
      for (const request of await old.keys()) {
        if (!isPage(new URL(request.url))) continue;
        await keepPage(cache, request.url).catch(async () =>
          cache.put(request, await old.match(request)));
      }
      await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

function isPage(url) {
  return url.origin === self.location.origin && url.pathname.startsWith(CONFIG.scope)
    && url.pathname.endsWith("/") && !url.pathname.endsWith(CONFIG.submit_suffix);
}

// Only the plain form is kept: a refusal (revoked device) drops the copy, so that an offline
// reload cannot bring back a form the server no longer accepts.
async function keepPage(cache, url) {
  const clean = new URL(url);
  clean.search = "";
  const response = await fetch(clean, { credentials: "same-origin", cache: "no-store" });
  if (response.ok) await cache.put(clean, response.clone());
  else await cache.delete(clean);
  return response;
}

async function page(request) {
  const cache = await caches.open(CACHE);
  try {
    const url = new URL(request.url);
    if (url.search) return await fetch(request);  // e.g. the thank-you after a no-JS answer
    return await keepPage(cache, request.url);
  } catch (offline) {
    const kept = await cache.match(request, { ignoreSearch: true });
    if (kept) return kept;
    throw offline;
  }
}

async function asset(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  if (event.request.method !== "GET") return;  // answers go to the network (kiosk.js queues)
  const url = new URL(event.request.url);
  if (event.request.mode === "navigate" && isPage(url)) event.respondWith(page(event.request));
  else if (url.origin === self.location.origin && url.pathname.startsWith(CONFIG.static))
    event.respondWith(asset(event.request));
});

// kiosk.js asks for its page to be kept on the first visit, before this worker controlled it.
self.addEventListener("message", (event) => {
  if (!event.data || event.data.type !== "keep-page") return;
  const url = new URL(event.data.url, self.location.origin);
  const reply = (ok) => event.ports[0] && event.ports[0].postMessage({ ok });
  if (!isPage(url)) return reply(false);
  event.waitUntil(caches.open(CACHE).then((cache) => keepPage(cache, url.href))
    .then((response) => reply(response.ok), () => reply(false)));
});
