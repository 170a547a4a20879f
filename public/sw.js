// Senim's service worker (issue 17): keeps /verify working without a connection once it was opened online. It caches
// the page in each language the visitor opened, its styles and scripts, the RBA-signed trust list with the RBA's DID
// document that checks it, the certificates opened here (their credential.jwt) and their status lists. What it answers
// (the page, its assets) is network-first with the cache as the fallback; the lists it fetches itself, on install and
// on each online visit to /verify. Each kept copy carries the moment it was fetched (Senim-Cached-At), which
// /js/offline-check.js shows as the lists' age. Plain ES2020, no dependencies.
// Served from the site's root so that its scope covers /verify and /c/{id}. Format of the lists: docs/trust-list.md.
"use strict";

const CACHE = "senim-offline-v1";
const CACHED_AT = "Senim-Cached-At";
const TRUST_LIST = "/trust-list";
const PAGE = "/verify";
const LANGS = ["kk", "ru", "en"];
/** What /verify needs besides itself and the lists; qr-decoder.js (the camera's fallback reader) and offline-check.js are loaded on demand. */
const ASSETS = ["/styles.css", "/favicon.svg", "/js/scan.js", "/js/qr-decoder.js", "/js/offline-verify.js", "/js/offline-check.js"];
const CERTIFICATE_PAGE = /^\/c\/([0-9a-z]{1,40})$/;
const CREDENTIAL = /^\/c\/[0-9a-z]{1,40}\/credential\.jwt$/;
const STATUS_LIST = /^\/status\/[0-9a-z]{1,40}$/;
/** The RBA's DID document: its key signs the trust list (docs/trust-list.md). */
const RBA_DID_DOCUMENT = "/bars/rba/did.json";
/** A phone's storage is not ours to fill: only the most recent certificates and their lists are kept. */
const MAX_KEPT = 200;
/** A connection that answers nothing for this long counts as none (a courtroom's weak signal), for page loads only. */
const PAGE_TIMEOUT_MS = 6000;
/** A pasted or uploaded credential the offline fallback reads from a failed POST /verify. */
const MAX_INPUT = 256 * 1024;

const origin = self.location.origin;

self.addEventListener("install", (event) => {
  self.skipWaiting();
  event.waitUntil(Promise.allSettled([...ASSETS.map((path) => refresh(path)), refreshPage(PAGE), refreshLists()]));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name !== CACHE && name.startsWith("senim-offline-")) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

// The page asks for its own URL to be kept (the first visit, before this worker controlled it).
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "keep-page" && typeof data.path === "string" && new URL(data.path, origin).pathname === PAGE) event.waitUntil(Promise.allSettled([refreshPage(data.path), refreshLists()]));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== origin) return;
  const path = url.pathname;
  if (request.method === "POST" && path === PAGE && request.mode === "navigate") {
    event.respondWith(postVerify(request));
    return;
  }
  if (request.method !== "GET") return;
  if (path === PAGE && request.mode === "navigate") {
    event.respondWith(verifyPage(url));
    // Each online visit refreshes the trust list and every cached status list, so revocations reach the cache.
    event.waitUntil(refreshLists().catch(() => undefined));
    return;
  }
  if (CERTIFICATE_PAGE.test(path) && request.mode === "navigate") {
    event.respondWith(certificatePage(request, url));
    return;
  }
  // The lists are not answered here: the worker fetches them itself (refreshLists, keepCredential).
  if (ASSETS.includes(path) && !url.search) {
    event.respondWith(networkFirst(path, request));
    return;
  }
  // Not answered here, so the page's own request stays the page's (its check, and tests that route it): the
  // worker fetches its own copy to keep, with the status list it points at.
  if (CREDENTIAL.test(path)) event.waitUntil(keepCredential(path).catch(() => undefined));
});

// ---- fetching and keeping -------------------------------------------------------------------------------------

/** A copy to keep: the body and its type, stamped with when it was fetched (no cookies, no Vary). */
async function stamped(response) {
  const headers = new Headers({ [CACHED_AT]: new Date().toISOString() });
  const type = response.headers.get("content-type");
  if (type) headers.set("Content-Type", type);
  return new Response(await response.clone().blob(), { status: 200, headers });
}

async function keep(path, response) {
  const cache = await caches.open(CACHE);
  await cache.put(origin + path, await stamped(response));
  if (CREDENTIAL.test(path) || STATUS_LIST.test(path)) await trim(cache, CREDENTIAL.test(path) ? CREDENTIAL : STATUS_LIST);
}

async function trim(cache, kind) {
  const keys = (await cache.keys()).filter((r) => kind.test(new URL(r.url).pathname));
  for (const old of keys.slice(0, Math.max(0, keys.length - MAX_KEPT))) await cache.delete(old);
}

async function cached(path) {
  return (await caches.open(CACHE)).match(origin + path, { ignoreVary: true, ignoreSearch: false });
}

async function fetchFresh(path, init) {
  const response = await fetch(origin + path, Object.assign({ cache: "no-store", credentials: "same-origin" }, init || {}));
  if (!response.ok) throw new Error(path + " " + response.status);
  return response;
}

async function refresh(path, init) {
  const response = await fetchFresh(path, init);
  await keep(path, response);
  return response;
}

/** Network first; a copy on success; the copy when the network fails. Errors from the server are not cached. */
async function networkFirst(path, request) {
  try {
    const response = await fetch(request);
    if (response.ok) await keep(path, response);
    return response;
  } catch (e) {
    const copy = await cached(path);
    if (copy) return copy;
    throw e;
  }
}

/** A certificate the browser opened: keep it, and its status list with it, for checking it again offline. */
async function keepCredential(path) {
  const jwt = await (await refresh(path)).text();
  const statusPath = statusListPath(jwt);
  if (statusPath) await refresh(statusPath, { headers: { Accept: "application/vc+jwt" } });
}

/** The same-origin status list a vc+jwt points at, or null. */
function statusListPath(jwt) {
  const payload = JSON.parse(new TextDecoder().decode(base64urlBytes(jwt.trim().split(".")[1] || "")));
  const entries = [].concat(payload.credentialStatus || []);
  for (const entry of entries) {
    const url = new URL(String(entry.statusListCredential || ""), origin);
    if (url.origin === origin && STATUS_LIST.test(url.pathname)) return url.pathname;
  }
  return null;
}

function base64urlBytes(s) {
  const text = atob(s.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((s.length + 3) % 4));
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** The trust list, the RBA's DID document that checks it, and every status list already kept. */
async function refreshLists() {
  await refresh(TRUST_LIST, { headers: { Accept: "application/vc+jwt" } });
  await refresh(RBA_DID_DOCUMENT);
  const cache = await caches.open(CACHE);
  const statusPaths = (await cache.keys()).map((r) => new URL(r.url).pathname).filter((p) => STATUS_LIST.test(p));
  await Promise.all(statusPaths.map((p) => refresh(p, { headers: { Accept: "application/vc+jwt" } }).catch(() => undefined)));
}

// ---- the page ---------------------------------------------------------------------------------------------------

/** /verify is answered in the visitor's language (?lang= or the remembered choice); each is kept by its language. */
function pageKey(lang) {
  return PAGE + "?lang=" + lang;
}

function langOf(html) {
  const m = /<html lang="(kk|ru|en)"/.exec(html);
  return m ? m[1] : null;
}

/** Fetches /verify as asked and keeps it under its language, and as the last one opened (what a bare /verify gets). */
async function refreshPage(pathAndQuery) {
  const response = await fetchFresh(pathAndQuery, { signal: AbortSignal.timeout(PAGE_TIMEOUT_MS) });
  const lang = langOf(await response.clone().text());
  if (lang) {
    await keep(pageKey(lang), response);
    await keep(PAGE, response);
  }
  return response;
}

async function cachedPage(lang) {
  return (lang && (await cached(pageKey(lang)))) || (await cached(PAGE));
}

async function verifyPage(url) {
  try {
    return await refreshPage(url.pathname + url.search);
  } catch (e) {
    const lang = url.searchParams.get("lang");
    const copy = await cachedPage(LANGS.includes(lang) ? lang : null);
    if (copy) return copy;
    throw e;
  }
}

/**
 * Offline, the cached /verify with the input already in its form and the form marked, so offline-verify.js checks
 * it on load: what a failed POST /verify (a connection that lied about being there) or a certificate's link opened
 * without one (a phone's camera app) falls back to.
 */
async function offlinePage(lang, input) {
  const copy = await cachedPage(lang);
  if (!copy) return null;
  const escaped = input.slice(0, MAX_INPUT).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  const html = (await copy.text())
    .replace(/(<textarea[^>]*id="verify-text"[^>]*>)[\s\S]*?(<\/textarea>)/, (_, open, close) => open + escaped + close)
    .replace('id="verify-form"', 'id="verify-form" data-offline-submit="1"');
  return new Response(html, { status: 200, headers: { "Content-Type": "text/html; charset=utf-8", [CACHED_AT]: copy.headers.get(CACHED_AT) || "" } });
}

function langFromReferrer(request) {
  try {
    const lang = new URL(request.referrer).searchParams.get("lang");
    return LANGS.includes(lang) ? lang : null;
  } catch (e) {
    return null;
  }
}

async function postVerify(request) {
  const copy = request.clone();
  try {
    return await fetch(request);
  } catch (e) {
    let input = "";
    try {
      const form = await copy.formData();
      const file = form.get("file");
      input = file && typeof file === "object" && file.size > 0 && file.size <= MAX_INPUT ? await file.text() : String(form.get("text") || "");
    } catch (err) {
      /* an unreadable form: the page opens empty */
    }
    const page = await offlinePage(langFromReferrer(request), input.trim());
    if (page) return page;
    throw e;
  }
}

async function certificatePage(request, url) {
  try {
    return await fetch(request);
  } catch (e) {
    const lang = url.searchParams.get("lang");
    const page = await offlinePage(LANGS.includes(lang) ? lang : null, origin + url.pathname);
    if (page) return page;
    throw e;
  }
}
