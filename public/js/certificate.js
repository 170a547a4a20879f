// Senim: re-checks a certificate's Ed25519 signature in the visitor's browser with the key its issuer publishes in
// its DID document, and that the page shows what was signed. Plain ES2020, no dependencies, same-origin fetches only.
"use strict";
(function () {
  var box = document.getElementById("browser-check");
  if (!box) return;
  var out = box.querySelector("[data-browser-outcome]");
  var d = box.dataset;
  var MARKS = { passed: "\u2714", failed: "\u2718", "not-checked": "\u2013" };
  // "pending" looks like "not-checked" but is its own state, so nothing (a reader, a test) mistakes the wait for a verdict.
  function show(outcome, why) {
    out.setAttribute("data-browser-outcome", outcome);
    if (outcome === "pending") outcome = "not-checked";
    out.className = "check " + outcome;
    out.querySelector(".mark").textContent = MARKS[outcome];
    out.querySelector(".outcome").textContent = outcome === "passed" ? d.oPassed : outcome === "failed" ? d.oFailed : d.oNotChecked;
    out.querySelector(".why").textContent = why;
  }
  function bytes(b64url) {
    var s = atob(b64url.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((b64url.length + 3) % 4));
    var a = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) a[i] = s.charCodeAt(i);
    return a;
  }
  function json(b64url) {
    return JSON.parse(new TextDecoder().decode(bytes(b64url)));
  }
  // did:web:host%3Aport:parties:id -> https://host:port/parties/id/did.json (did:web method, section 3.2.1)
  function didDocumentUrl(did) {
    var parts = did.split(":");
    if (parts[0] !== "did" || parts[1] !== "web" || parts.length < 3) throw new Error("not did:web");
    var host = decodeURIComponent(parts[2]);
    var path = parts.slice(3).map(decodeURIComponent).join("/");
    return (location.protocol === "http:" ? "http://" : "https://") + host + "/" + (path ? path + "/did.json" : ".well-known/did.json");
  }
  function text(field) {
    var el = document.querySelector('[data-field="' + field + '"]');
    return el ? el.textContent.trim() : null;
  }
  show("pending", d.tPending);
  (async function () {
    var jwt, header, payload, segments;
    try {
      if (!window.crypto || !crypto.subtle) return show("not-checked", d.tUnsupported);
      var res = await fetch(d.jwt, { cache: "no-store" });
      if (!res.ok) throw new Error("credential " + res.status);
      jwt = (await res.text()).trim();
      segments = jwt.split(".");
      if (segments.length !== 3) return show("failed", d.tFailed);
      header = json(segments[0]);
      payload = json(segments[1]);
    } catch (e) {
      return show("not-checked", d.tUnavailable);
    }
    if (header.alg !== "EdDSA" || typeof header.kid !== "string") return show("failed", d.tFailed);
    var issuer = payload.issuer && typeof payload.issuer === "object" ? payload.issuer.id : payload.issuer;
    var did = header.kid.split("#")[0];
    // The key must be the issuer's own, and the credential the one this page is about.
    if (did !== issuer || payload.id !== d.url) return show("failed", d.tFailed);
    var method;
    try {
      var doc = await (await fetch(didDocumentUrl(did), { cache: "no-store" })).json();
      method = (doc.verificationMethod || []).filter(function (m) { return m.id === header.kid; })[0];
    } catch (e) {
      return show("not-checked", d.tUnavailable);
    }
    if (!method || !method.publicKeyJwk) return show("failed", d.tFailed);
    var key;
    try {
      key = await crypto.subtle.importKey("jwk", { kty: method.publicKeyJwk.kty, crv: method.publicKeyJwk.crv, x: method.publicKeyJwk.x }, { name: "Ed25519" }, false, ["verify"]);
    } catch (e) {
      return show("not-checked", d.tUnsupported); // WebCrypto without Ed25519 (older browsers)
    }
    var ok;
    try {
      ok = await crypto.subtle.verify({ name: "Ed25519" }, key, bytes(segments[2]), new TextEncoder().encode(segments[0] + "." + segments[1]));
    } catch (e) {
      return show("not-checked", d.tUnsupported);
    }
    if (!ok) return show("failed", d.tFailed);
    // What the page shows must be what was signed, not merely what the database says.
    var subject = payload.credentialSubject || {};
    var name = (subject.identifier || []).filter(function (i) { return i.identityType === "name"; })[0];
    var shown = [
      [text("topic"), payload.name],
      [text("organiser"), payload.issuer && payload.issuer.name],
      [text("participant"), name && name.identityHash],
    ];
    for (var i = 0; i < shown.length; i++) if (shown[i][0] !== null && shown[i][0] !== shown[i][1]) return show("failed", d.tFailed);
    show("passed", d.tPassed);
  })();
})();
