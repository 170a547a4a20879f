// Senim /verify without a connection (issue 17): checks a pasted, uploaded or scanned certificate in the browser
// against what the service worker (/sw.js) kept, the way docs/trust-list.md describes: the trust list's signature
// with the RBA's key, the issuer's key in the list and valid when it signed, an accreditation covering the event, the
// Ed25519 signature (WebCrypto), the validity dates and the status bit. The verdict uses the server's banner classes
// and words (rendered into #offline-verify's data-t-* attributes) and says how old the lists are. Loaded by
// /js/offline-verify.js only when needed (offline, from the cache). Plain ES2020, no dependencies, same-origin only.
"use strict";
(function () {
  var box = document.getElementById("offline-verify");
  if (!box) return;
  var d = box.dataset;
  var lang = document.documentElement.lang || "kk";
  var CACHE = "senim-offline-v1";
  var CACHED_AT = "Senim-Cached-At";
  var MARKS = { genuine: "\u2714", "not-genuine": "\u2718", revoked: "\u2298", suspended: "\u2016", expired: "\u231b", unchecked: "?" };
  var CLASSES = { genuine: "verdict ok", "not-genuine": "verdict bad", revoked: "verdict revoked", suspended: "verdict suspended", expired: "verdict expired", unchecked: "verdict unchecked" };

  // ---- decoding ---------------------------------------------------------------------------------------------------

  function bytes(b64url) {
    if (!/^[A-Za-z0-9_-]*$/.test(b64url)) throw new Error("not base64url");
    var s = atob(b64url.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((b64url.length + 3) % 4));
    var a = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) a[i] = s.charCodeAt(i);
    return a;
  }
  function json(b64url) {
    return JSON.parse(new TextDecoder().decode(bytes(b64url)));
  }
  /** A compact JWS: its header, payload and the bytes its signature covers, or null when it is not one. */
  function parseJws(text) {
    var segments = text.trim().split(".");
    if (segments.length !== 3) return null;
    try {
      var header = json(segments[0]);
      var payload = json(segments[1]);
      if (!header || typeof header !== "object" || !payload || typeof payload !== "object") return null;
      return { header: header, payload: payload, signed: new TextEncoder().encode(segments[0] + "." + segments[1]), signature: bytes(segments[2]) };
    } catch (e) {
      return null;
    }
  }
  async function verifyJws(jws, jwk) {
    if (jws.header.alg !== "EdDSA" || !jwk || jwk.kty !== "OKP" || jwk.crv !== "Ed25519") return false;
    var key = await crypto.subtle.importKey("jwk", { kty: "OKP", crv: "Ed25519", x: jwk.x }, { name: "Ed25519" }, false, ["verify"]);
    return crypto.subtle.verify({ name: "Ed25519" }, key, jws.signature, jws.signed);
  }
  /** did:web:host%3Aport:bars:rba -> /bars/rba/did.json, for a DID of this site only. */
  function didDocumentPath(did) {
    var parts = String(did).split(":");
    if (parts[0] !== "did" || parts[1] !== "web" || parts.length < 4) return null;
    if (decodeURIComponent(parts[2]) !== location.host) return null;
    return "/" + parts.slice(3).map(decodeURIComponent).join("/") + "/did.json";
  }
  function idOf(x) {
    return x && typeof x === "object" ? x.id : x;
  }
  function time(x) {
    var t = Date.parse(x);
    return isNaN(t) ? null : t;
  }
  /** Bitstring Status List: multibase base64url ("u"), GZIP, the most significant bit first. */
  async function statusBit(encodedList, index) {
    if (typeof encodedList !== "string" || encodedList.charAt(0) !== "u") throw new Error("encodedList");
    var stream = new Blob([bytes(encodedList.slice(1))]).stream().pipeThrough(new DecompressionStream("gzip"));
    var list = new Uint8Array(await new Response(stream).arrayBuffer());
    var byte = list[index >> 3];
    if (byte === undefined) throw new Error("index outside the list");
    return (byte & (0x80 >> (index & 7))) !== 0;
  }

  // ---- the cache ------------------------------------------------------------------------------------------------

  async function cached(path) {
    if (!("caches" in window)) return null;
    var response = await (await caches.open(CACHE)).match(location.origin + path, { ignoreVary: true });
    if (!response) return null;
    return { text: await response.text(), at: time(response.headers.get(CACHED_AT)) };
  }

  // ---- the check (docs/trust-list.md, "Checking a certificate offline") ------------------------------------------

  /** The outcome of checking a vc+jwt against the cached lists: { state, reason?, payload?, ages, listExpired? }. */
  async function check(text) {
    var now = Date.now();
    var out = { trustAt: null, statusAt: null };
    function verdict(state, reason, payload) {
      out.state = state;
      out.reason = reason;
      out.payload = payload;
      return out;
    }
    if (!window.crypto || !crypto.subtle || !window.DecompressionStream) return verdict("unchecked", d.tUnsupported);
    var vc = parseJws(text);
    if (!vc) return null;
    var list = await cached("/trust-list");
    if (!list) return verdict("unchecked", d.tNoTrustList);
    out.trustAt = list.at;
    var tl = parseJws(list.text);
    if (!tl) return verdict("unchecked", d.tTrustListInvalid);
    // The trust list: signed by the key the RBA's own DID document names (kept with it), issued by that DID.
    var rbaDid = String(tl.header.kid || "").split("#")[0];
    var didPath = didDocumentPath(rbaDid);
    var rbaDoc = didPath && /^\/bars\/rba\/did\.json$/.test(didPath) ? await cached(didPath) : null;
    if (!rbaDoc) return verdict("unchecked", d.tTrustListInvalid);
    try {
      var method = (JSON.parse(rbaDoc.text).verificationMethod || []).filter(function (m) { return m.id === tl.header.kid; })[0];
      if (!method || idOf(tl.payload.issuer) !== rbaDid || !(await verifyJws(tl, method.publicKeyJwk))) return verdict("unchecked", d.tTrustListInvalid);
    } catch (e) {
      return verdict("unchecked", e && e.name === "NotSupportedError" ? d.tUnsupported : d.tTrustListInvalid);
    }
    var listUntil = time(tl.payload.validUntil);
    if (listUntil !== null && listUntil <= now) out.listExpired = tl.payload.validUntil;
    var parties = (tl.payload.credentialSubject && tl.payload.credentialSubject.parties) || [];

    // The certificate's key: named by its kid, its issuer's own, in the list.
    var kid = vc.header.kid;
    if (vc.header.alg !== "EdDSA" || typeof kid !== "string") return verdict("not-genuine", d.tBadSignature);
    var did = kid.split("#")[0];
    if (idOf(vc.payload.issuer) !== did) return verdict("not-genuine", d.tWrongIssuer);
    var party = parties.filter(function (p) { return p.did === did; })[0];
    var key = party && (party.keys || []).filter(function (k) { return k.kid === kid; })[0];
    if (!key) return verdict("not-genuine", d.tUnknownKey);
    var good;
    try {
      good = await verifyJws(vc, key.publicKeyJwk);
    } catch (e) {
      return verdict("unchecked", d.tUnsupported);
    }
    if (!good) return verdict("not-genuine", d.tBadSignature);
    var payload = vc.payload;
    var signedAt = time(payload.validFrom);
    if (signedAt === null || signedAt < time(key.validFrom) || (key.validUntil && signedAt >= time(key.validUntil))) return verdict("not-genuine", d.tKeyWindow);
    var a = (payload.credentialSubject && payload.credentialSubject.achievement) || {};
    var start = time(a.eventStart), end = time(a.eventEnd);
    var covered = start !== null && end !== null && (party.accreditations || []).some(function (x) {
      return (x.programmes === null || (x.programmes || []).indexOf(a.programme) >= 0) &&
        (x.forms === null || (x.forms || []).indexOf(a.educationForm) >= 0) &&
        start >= time(x.validFrom) &&
        (!x.validUntil || end < time(x.validUntil)) &&
        (!x.withdrawal || end < time(x.withdrawal.effectiveFrom));
    });
    if (!covered) return verdict("not-genuine", d.tNotAccredited, payload);

    // Its status: the bit in the cached list, which its issuer signed with a key the trust list names.
    var lapsed = null;
    var entries = [].concat(payload.credentialStatus || []);
    for (var i = 0; i < entries.length; i++) {
      var entry = entries[i];
      var url;
      try {
        url = new URL(String(entry.statusListCredential), location.origin);
      } catch (e) {
        url = null;
      }
      var status = url && url.origin === location.origin ? await cached(url.pathname) : null;
      if (!status) return verdict("unchecked", d.tStatusUnknown, payload);
      out.statusAt = out.statusAt === null ? status.at : Math.min(out.statusAt, status.at);
      var sl = parseJws(status.text);
      var statusKey = sl && (party.keys || []).filter(function (k) { return k.kid === sl.header.kid; })[0];
      var set;
      try {
        if (!statusKey || idOf(sl.payload.issuer) !== did || !(await verifyJws(sl, statusKey.publicKeyJwk))) return verdict("unchecked", d.tStatusInvalid, payload);
        set = await statusBit(sl.payload.credentialSubject.encodedList, Number(entry.statusListIndex));
      } catch (e) {
        return verdict("unchecked", d.tStatusInvalid, payload);
      }
      if (set && entry.statusPurpose === "suspension") lapsed = lapsed || "suspended";
      else if (set) lapsed = "revoked";
    }
    if (lapsed) return verdict(lapsed, null, payload);
    var until = time(payload.validUntil);
    if (until !== null && until <= now) return verdict("expired", null, payload);
    return verdict("genuine", null, payload);
  }

  // ---- showing it -------------------------------------------------------------------------------------------------

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return values[k] !== undefined ? values[k] : m; });
  }
  /** The calendar date in Kazakhstan (UTC+5), as the server's banner writes it. */
  function kzDate(instant) {
    return new Date(Date.parse(instant) + 5 * 3600000).toISOString().slice(0, 10);
  }
  function age(at) {
    var minutes = Math.floor(Math.max(0, Date.now() - at) / 60000);
    if (minutes < 1) return d.tAgeNow;
    if (minutes < 60) return fill(d.tAgeMinutes, { n: String(minutes) });
    if (minutes < 48 * 60) return fill(d.tAgeHours, { n: String(Math.floor(minutes / 60)) });
    return fill(d.tAgeDays, { n: String(Math.floor(minutes / 1440)) });
  }
  function hours(n) {
    if (typeof n !== "number" || !isFinite(n)) return "\u2014";
    return n.toFixed(1).replace(".", lang === "en" ? "." : ",");
  }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function lead(part, text) {
    return el("p", { class: "verdict-lead", "data-verdict-part": part }, text);
  }

  function clear() {
    var old = document.getElementById("offline-result");
    if (old) old.remove();
  }

  /** A notice instead of a verdict: the input is not something that can be checked here and now. */
  function notice(text) {
    clear();
    var p = el("p", { id: "offline-result", class: "notice error", role: "alert", "data-offline-notice": "" }, text);
    box.parentNode.insertBefore(p, box);
  }

  function show(result) {
    clear();
    var state = result.state;
    var section = el("section", { id: "offline-result", class: CLASSES[state], role: "status", "data-verdict": state, "data-offline": "", "aria-labelledby": "verdict-title" });
    var h1 = el("h1", { id: "verdict-title" });
    h1.appendChild(el("span", { class: "verdict-mark", "aria-hidden": "true" }, MARKS[state]));
    h1.appendChild(document.createTextNode(" " + (state === "genuine" ? d.tGenuine : state === "not-genuine" ? d.tNotGenuine : d["t" + state.charAt(0).toUpperCase() + state.slice(1)])));
    section.appendChild(h1);
    var p = result.payload;
    if (state === "revoked") section.appendChild(lead("revoked-on", d.tRevokedNoDate));
    if (state === "suspended") section.appendChild(lead("suspended", d.tSuspendedWhat));
    if (state === "expired") section.appendChild(lead("expired-on", p && p.validUntil ? fill(d.tExpiredOn, { date: kzDate(p.validUntil) }) : d.tExpiredNoDate));
    if (state === "not-genuine") section.appendChild(lead("first-failed", d.tFirstFailed + ": " + result.reason));
    if (state === "unchecked") {
      section.appendChild(lead("not-checked", d.tNotChecked + ": " + result.reason));
      section.appendChild(lead("what-to-do", d.tUncheckedWhat));
    }
    // Whose and how many hours, from the verified credential; never for one that failed.
    if (p && state !== "not-genuine") {
      var subject = p.credentialSubject || {};
      var name = (subject.identifier || []).filter(function (x) { return x.identityType === "name"; })[0];
      var facts = el("dl", { class: "verdict-facts" });
      [
        ["participant", d.tParticipant, name ? name.identityHash : "\u2014", "verdict-who"],
        ["organiser", d.tOrganiser, (p.issuer && p.issuer.name) || "\u2014"],
        ["topic", d.tTopic, p.name || "\u2014"],
        ["hours", d.tHours, hours(subject.achievement && subject.achievement.academicHours)],
      ].forEach(function (f) {
        var div = el("div", f[3] ? { class: f[3] } : {});
        div.appendChild(el("dt", {}, f[1]));
        div.appendChild(el("dd", { "data-verdict-fact": f[0] }, String(f[2])));
        facts.appendChild(div);
      });
      section.appendChild(facts);
    }
    if (result.trustAt !== null) {
      var ages = result.statusAt !== null ? fill(d.tListsAge, { trust: age(result.trustAt), status: age(result.statusAt) }) : fill(d.tTrustListAge, { trust: age(result.trustAt) });
      section.appendChild(lead("lists-age", ages));
    }
    if (result.listExpired) section.appendChild(lead("trust-list-expired", fill(d.tTrustListExpired, { date: kzDate(result.listExpired) })));
    // As the server's result page: the banner is the page's heading.
    ["verify-title", "verify-intro"].forEach(function (id) {
      var e = document.getElementById(id);
      if (e) e.hidden = true;
    });
    box.parentNode.insertBefore(section, box);
    section.scrollIntoView({ block: "start" });
  }

  // ---- the input --------------------------------------------------------------------------------------------------

  /** A certificate link of this site, however it was scanned or pasted: its id, or null. */
  function certificateId(text) {
    try {
      var url = new URL(text.trim(), location.origin);
      var m = /^\/c\/([0-9a-z]{1,40})$/.exec(url.pathname);
      return url.origin === location.origin && m ? m[1] : null;
    } catch (e) {
      return null;
    }
  }

  async function verifyHere(text) {
    text = (text || "").trim();
    var id = /^https?:\/\/|^\/c\//.test(text) ? certificateId(text) : null;
    if (id) {
      // Senim's QR codes hold the link: offline, the credential is the one kept when the certificate was opened.
      var kept = await cached("/c/" + id + "/credential.jwt");
      if (!kept) return notice(d.tNotCached);
      text = kept.text;
    }
    var result = null;
    try {
      result = await check(text);
    } catch (e) {
      result = { state: "unchecked", reason: d.tUnsupported, trustAt: null, statusAt: null };
    }
    if (!result) return notice(d.tCannotOffline);
    show(result);
  }

  window.SenimOfflineCheck = { verifyHere: verifyHere };
})();
