// mutu kiosk: send answers as JSON with a client id; keep them in localStorage while the network
// is down and resend them later (the server counts each client id once); reset after 60 s idle.
(() => {
  "use strict";
  const form = document.getElementById("kiosk-form");
  if (!form) return;
  const statusLine = document.getElementById("kiosk-status");
  const endpoint = form.dataset.endpoint;
  const KEY = "mutu-kiosk-queue:" + endpoint;
  const IDLE_MS = 60000;
  const PROFILE = ["gender", "age_band", "education", "occupation", "suggestion"];
  let idleTimer = null;
  let flushing = false;

  const readQueue = () => JSON.parse(localStorage.getItem(KEY) || "[]");
  const writeQueue = (items) => localStorage.setItem(KEY, JSON.stringify(items));

  function newClientId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    // Older tablets on plain http: a v4 UUID from getRandomValues.
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  function collect() {
    const data = new FormData(form);
    const answers = {}, profile = {}, extra = {};
    for (const [name, value] of data.entries()) {
      if (name.startsWith("u_")) answers[name.slice(2)] = value === "" ? null : Number(value);
      else if (name.startsWith("x_") && value !== "") extra[name.slice(2)] = value;
      else if (PROFILE.includes(name) && value) profile[name] = value;
      else if (name === "trust" && value) profile.trust = Number(value);
    }
    // answered_at: a period's last-day answers, sent after midnight, still count.
    return { client_id: newClientId(), answers, profile, extra,
      consent: data.get("consent") === "on", answered_at: new Date().toISOString() };
  }

  function complete(item) {
    const required = new Set(Array.from(form.querySelectorAll("[required][name^=x_]"),
      (input) => input.name.slice(2)));
    return Object.keys(item.answers).length === form.querySelectorAll("fieldset.unsur").length
      && Array.from(required).every((id) => id in item.extra) && item.consent;
  }

  function show(text) { statusLine.textContent = text; }

  function showPending() {
    const n = readQueue().length;
    if (n) show(`${form.dataset.msgQueued} (${n} ${form.dataset.msgWaiting})`);
  }

  async function flush() {
    if (flushing) return;
    flushing = true;
    try {
      let items = readQueue();
      const hadItems = items.length > 0;
      while (items.length) {
        let response;
        try {
          response = await fetch(endpoint, { method: "POST", body: JSON.stringify(items[0]),
            headers: { "Content-Type": "application/json" } });
        } catch (networkDown) { showPending(); return; }
        // The server is down, or asks to wait (503 unavailable, 429 rate_limited): try later.
        if (response.status >= 500 || response.status === 429) { showPending(); return; }
        if (!response.ok) {  // refused for good (e.g. revoked): tell staff, do not loop
          // The public intake's error body: {error, code, fields}.
          const body = await response.json().catch(() => ({}));
          show(`${form.dataset.msgRefused} ${body.error || body.code || response.status}`);
        }
        items = readQueue();
        items.shift();
        writeQueue(items);
      }
      if (hadItems) show(form.dataset.msgSent);
    } finally {
      flushing = false;
    }
  }

  function resetForm() {
    form.reset();
    window.scrollTo(0, 0);
  }

  function touch() {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(resetForm, IDLE_MS);
  }

  form.addEventListener("submit", (event) => {
    const item = collect();
    if (!complete(item)) return;  // let the server show what is missing
    event.preventDefault();
    writeQueue([...readQueue(), item]);
    resetForm();
    flush();
  });
  ["input", "change", "touchstart", "keydown"].forEach((e) => form.addEventListener(e, touch));
  window.addEventListener("online", flush);
  setInterval(flush, 15000);
  const full = document.getElementById("kiosk-fullscreen");
  if (full && document.documentElement.requestFullscreen) {
    full.hidden = false;
    full.addEventListener("click", () => document.documentElement.requestFullscreen());
  }
  // A service worker keeps this page and its assets, so that a reload or a restart with no
  // network still shows the form. Its scope is the folder of its script (the kiosk pages).
  // html[data-offline-ready] tells staff (and the tests) that the copy is in place.
  function keepForOffline() {
    const script = form.dataset.serviceWorker;
    if (!script || !("serviceWorker" in navigator)) return;
    navigator.serviceWorker.register(script)
      .then(() => navigator.serviceWorker.ready)
      .then((registration) => new Promise((resolve, reject) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = (event) => (event.data.ok ? resolve() : reject());
        registration.active.postMessage({ type: "keep-page", url: location.pathname },
          [channel.port2]);
      }))
      .then(() => { document.documentElement.dataset.offlineReady = "true"; })
      .catch(() => {});  // no copy (offline now, or refused): the queue still works meanwhile
  }

  showPending();
  flush();
  touch();
  keepForOffline();
})();
