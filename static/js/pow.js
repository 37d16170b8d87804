/* Proof-of-work for the public survey form (ALTCHA PoW v2, PBKDF2/SHA-256), see
   mutu/core/intake/pow.py. Starts on the citizen's first touch of the form, runs in the background
   (WebCrypto works off the main thread; the page never freezes) and fills the hidden "altcha"
   input. It never blocks submitting: an unsolved form is sent without the proof.
   Plain ES5 with promises, so an old browser parses it and simply skips the work. */
(function () {
  "use strict";
  var input = document.querySelector('input[name="altcha"][data-challenge]');
  var subtle = window.crypto && window.crypto.subtle;
  if (!input || !input.form || !subtle || !window.Promise || !window.atob) {
    return;
  }
  var form = input.form;
  var BATCH = 8; // counters tried at once: hides the round trip to the crypto thread
  var GIVE_UP = 100000; // far above any counter the server picks (pow.MAX_COUNTER)
  var started = false;
  var stopped = false;
  var expiresAt = 0;

  function hexToBytes(hex) {
    var bytes = new Uint8Array(hex.length / 2);
    for (var i = 0; i < bytes.length; i++) {
      bytes[i] = parseInt(hex.substr(i * 2, 2), 16);
    }
    return bytes;
  }

  function bytesToHex(bytes) {
    var hex = "";
    for (var i = 0; i < bytes.length; i++) {
      hex += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    }
    return hex;
  }

  function deriveKey(params, salt, nonce, counter) {
    var password = new Uint8Array(nonce.length + 4);
    password.set(nonce);
    new DataView(password.buffer).setUint32(nonce.length, counter, false);
    return subtle
      .importKey("raw", password, { name: "PBKDF2" }, false, ["deriveBits"])
      .then(function (key) {
        var algorithm = { name: "PBKDF2", salt: salt, iterations: params.cost, hash: "SHA-256" };
        return subtle.deriveBits(algorithm, key, params.keyLength * 8);
      })
      .then(function (bits) {
        return new Uint8Array(bits);
      });
  }

  // Counters 0, 1, 2 … in batches until the derived key starts with the signed prefix; the
  // server picked the counter, so the work is bounded. Resolves null when stopped.
  function solve(challenge) {
    var params = challenge.parameters;
    var salt = hexToBytes(params.salt);
    var nonce = hexToBytes(params.nonce);
    var begun = Date.now();
    return new Promise(function (resolve, reject) {
      function batch(first) {
        if (stopped || first > GIVE_UP) {
          resolve(null);
          return;
        }
        var tries = [];
        for (var counter = first; counter < first + BATCH; counter++) {
          tries.push(deriveKey(params, salt, nonce, counter));
        }
        Promise.all(tries).then(function (keys) {
          for (var i = 0; i < keys.length; i++) {
            var hex = bytesToHex(keys[i]);
            if (hex.indexOf(params.keyPrefix) === 0) {
              resolve({ counter: first + i, derivedKey: hex, time: Date.now() - begun });
              return;
            }
          }
          batch(first + BATCH);
        }, reject);
      }
      batch(0);
    });
  }

  function start() {
    if (started) {
      return;
    }
    started = true;
    var challenge;
    try {
      challenge = JSON.parse(window.atob(input.getAttribute("data-challenge")));
    } catch (error) {
      return; // no usable challenge: the form is sent without a proof
    }
    solve(challenge).then(
      function (solution) {
        if (solution && !stopped) {
          input.value = window.btoa(JSON.stringify({ challenge: challenge, solution: solution }));
          expiresAt = challenge.parameters.expiresAt || 0;
        }
      },
      function () {
        // e.g. no PBKDF2 in this browser: the form is sent without a proof, never blocked
      }
    );
  }

  function beforeSubmit() {
    stopped = true;
    // A tab left open past the expiry: sending no proof is fairer than an expired one.
    if (expiresAt && Date.now() / 1000 > expiresAt) {
      input.value = "";
    }
  }

  // Back from the thank-you page, the browser may restore this page as it was: its proof is
  // spent, and sending it again would look like a replay.
  function onPageShow(event) {
    if (event.persisted && stopped) {
      input.value = "";
    }
  }

  var triggers = ["focusin", "change", "pointerdown", "touchstart", "keydown"];
  for (var i = 0; i < triggers.length; i++) {
    form.addEventListener(triggers[i], start, { passive: true });
  }
  form.addEventListener("submit", beforeSubmit);
  window.addEventListener("pageshow", onPageShow);
})();
