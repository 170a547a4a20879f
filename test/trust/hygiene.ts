/**
 * Issue 12, "input hygiene found on the way": what no request may carry, whatever route it takes, on every runtime and
 * store. Each attack answered a 500 (PostgreSQL refusing a NUL, a header refusing CR/LF, a form parser throwing) or
 * was accepted (a leap second read as "never expires", a `javascript:` website) before.
 */
import { expect, it } from "vitest";
import { didKeyFor, ed25519Multibase } from "../../src/credentials/multikey.js";
import { accreditedProvider, eventWithParticipants, issued, type HttpTarget } from "../helpers.js";
import type { TrustScenarios } from "./target.js";

const VC2 = "https://www.w3.org/ns/credentials/v2";
const NUL = "\u0000";

type Res = Awaited<ReturnType<HttpTarget["call"]>>;

/** A 400 `invalid_request` problem whose problems name `field` (when given): refused before any database saw it. */
function expectNulRefused(res: Res, field?: string) {
  expect(res.status, res.text.slice(0, 400)).toBe(400);
  expect(res.body?.code, res.text.slice(0, 400)).toBe("invalid_request");
  expect(res.body.detail).toMatch(/NUL/);
  if (field !== undefined) expect(res.body.errors?.[0]?.path).toBe(field);
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** An Ed25519 public key as a did:key Multikey: an external key whose reuse is refused, so we can tell if a party was stored. */
async function externalKey() {
  const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const raw = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
  return { did: didKeyFor(raw), multibase: ed25519Multibase(raw) };
}

/** A browser without JavaScript over real HTTP: the console's session cookie and the CSRF token of the last page. */
function browser(s: HttpTarget) {
  let cookie = "";
  let csrf = "";
  const send = async (method: string, path: string, init: { body?: BodyInit; type?: string } = {}) => {
    const headers: Record<string, string> = cookie ? { cookie } : {};
    if (init.type) headers["content-type"] = init.type;
    const res = await s.fetch(path, { method, body: init.body, headers, redirect: "manual" });
    const set = res.headers.get("set-cookie");
    if (set?.startsWith("senim_session=")) cookie = set.split(";")[0]!;
    const text = await res.text();
    const m = /name="_csrf" value="([0-9a-f]{64})"/.exec(text);
    if (m) csrf = m[1]!;
    return { status: res.status, headers: res.headers, text };
  };
  return {
    send,
    get csrf() {
      return csrf;
    },
    async signIn(apiKey: string) {
      const res = await send("POST", "/console/sign-in", { body: new URLSearchParams({ apiKey }).toString(), type: "application/x-www-form-urlencoded" });
      expect(res.status, res.text.slice(0, 300)).toBe(303);
      expect((await send("GET", "/console")).status).toBe(200);
      expect(csrf).toMatch(/^[0-9a-f]{64}$/);
    },
  };
}

export const hygieneScenarios: TrustScenarios = (target) => {
  it("a NUL (U+0000) anywhere in a /api/verify body is 400 invalid_request naming the field, also inside a vc+jwt's header (its kid reaches a key lookup)", async () => {
    const s = target();
    const { certificates } = await issued(s, 1);
    const id = certificates[0]!.id;
    const jwt = (await s.call("GET", `/c/${id}/credential.jwt`)).text;
    const credential = JSON.parse((await s.call("GET", `/c/${id}/credential.json`)).text);
    expect(credential.id).toBe(certificates[0]!.url);

    expectNulRefused(await s.call("POST", "/api/verify", { body: { url: `${certificates[0]!.url}${NUL}` } }), "url");
    expectNulRefused(await s.call("POST", "/api/verify", { body: { jwt: `${jwt}${NUL}` } }), "jwt");
    expectNulRefused(await s.call("POST", "/api/verify", { body: { credential: { ...credential, credentialSubject: { ...credential.credentialSubject, name: `Ә${NUL}` } } } }), "credential/credentialSubject/name");
    expectNulRefused(await s.call("POST", "/api/verify", { body: { credential: { ...credential, [`x${NUL}`]: 1 } } }));
    // Decoded from inside the vc+jwt, where no body check can see it: the store refuses it before the statement runs.
    const [h, p, sig] = jwt.split(".") as [string, string, string];
    const header = JSON.parse(Buffer.from(h, "base64url").toString());
    for (const kid of [`${header.kid}${NUL}`, String(header.kid).replace("#", `${NUL}#`)]) {
      expectNulRefused(await s.call("POST", "/api/verify", { body: { jwt: `${b64({ ...header, kid })}.${p}.${sig}` } }));
      expectNulRefused(await s.call("POST", "/api/verify", { raw: `${b64({ ...header, kid })}.${p}.${sig}`, headers: { "content-type": "application/vc+jwt" } }));
    }
    // The genuine certificate still verifies: the checks refuse NULs, not certificates.
    expect((await s.call("POST", "/api/verify", { body: { jwt } })).status).toBe(200);
  });

  it("a NUL in a form field of the OpenID4VCI token endpoint (form-encoded) is 400 invalid_request naming the field", async () => {
    const s = target();
    const grant = "urn:ietf:params:oauth:grant-type:pre-authorized_code";
    const form = (fields: Record<string, string>) => ({ raw: new URLSearchParams(fields).toString(), headers: { "content-type": "application/x-www-form-urlencoded" } });
    expectNulRefused(await s.call("POST", "/oid4vci/token", form({ grant_type: grant, "pre-authorized_code": `abc${NUL}`, tx_code: "1234" })), "pre-authorized_code");
    expectNulRefused(await s.call("POST", "/oid4vci/token", form({ grant_type: grant, "pre-authorized_code": "abc", tx_code: `12${NUL}34` })), "tx_code");
    // Without a NUL, the same request is the protocol's own answer (no such code), not a problem document.
    const plain = await s.call("POST", "/oid4vci/token", form({ grant_type: grant, "pre-authorized_code": "abc", tx_code: "1234" }));
    expect(plain.status).toBe(400);
    expect(plain.body.error).toBeDefined();
  });

  it("3.1, 12.3: a NUL in a JSON API write (a party's name, a participant's name) is 400 and nothing is stored", async () => {
    const s = target();
    const key = await externalKey();
    const party = (name: string) => ({ kind: "trainer", name, barId: "almaty-city", identifier: { method: "did:key", publicKeyMultibase: key.multibase } });
    expectNulRefused(await s.call("POST", "/api/parties", { token: s.adminToken, body: party(`Тренер${NUL}`) }), "name");
    // Had the first been stored, its did:key would now be taken (409).
    const stored = await s.call("POST", "/api/parties", { token: s.adminToken, body: party("Тренер") });
    expect(stored.status, stored.text).toBe(201);
    expect(stored.body.did).toBe(key.did);

    const provider = await accreditedProvider(s);
    const event = await eventWithParticipants(s, provider.token, { n: 2 });
    const list = { participants: [{ fullName: "Әлия", licenceNumber: "555001", barId: "almaty-city" }, { fullName: `Бек${NUL}`, licenceNumber: "555002", barId: "almaty-city" }] };
    expectNulRefused(await s.call("PUT", `/api/events/${event.id}/participants`, { token: provider.token, body: list }), "participants/1/fullName");
    const after = await s.call("GET", `/api/events/${event.id}/participants`, { token: provider.token });
    expect(after.status).toBe(200);
    expect(after.body.count).toBe(2);
    expect(after.body.participants.map((x: { licenceNumber: string }) => x.licenceNumber)).not.toContain("555001");
    expectNulRefused(await s.call("POST", "/api/events", { token: provider.token, body: { topic: `A${NUL}` } }));
  });

  it("a NUL in a path or query (%00) is 400 or 404, never 500", async () => {
    const s = target();
    for (const path of ["/c/%00", "/c/%00/credential.json", "/c/abc%00.pdf", "/registry/%00", "/providers/%00", "/parties/%00/did.json", "/api/parties/%00", "/search?q=%00", "/registry?lang=%00", "/oid4vci/offers/%00", "/status/%00"]) {
      const res = await s.call("GET", path, { token: path.startsWith("/api/") ? s.adminToken : undefined });
      expect({ path, status: res.status, ok: [400, 404].includes(res.status) }).toMatchObject({ path, ok: true });
    }
  });

  it("CR/LF or junk in ?lang=, Accept-Language or the lang cookie never reaches a response header, and is no 500", async () => {
    const s = target();
    const root = await s.fetch("/?lang=%0d%0aSet-Cookie:%20evil=1", { redirect: "manual" });
    expect(root.status).toBe(302);
    expect(root.headers.get("location")).toMatch(/\/registry$/);
    expect(root.headers.get("set-cookie") ?? "").not.toContain("evil");
    const ok = await s.fetch("/?lang=ru", { redirect: "manual" });
    expect(ok.headers.get("location")).toMatch(/\/registry\?lang=ru$/);
    const asks: [string, RequestInit][] = [
      ["/registry?lang=%0d%0aX-Evil:%201", {}],
      ["/registry?lang=%E0%A4%A", {}],
      ["/registry?lang=kk%0d%0a", {}],
      ["/nowhere?lang=%0d%0aX-Evil:%201", {}],
      ["/registry", { headers: { "accept-language": "xx;q=abc, ;;;, ru-RU;q=0.9, *;q=-1" } }],
      ["/registry", { headers: { "accept-language": `${"a,".repeat(4000)}en` } }],
      ["/registry", { headers: { cookie: "lang=%0d%0aX-Evil:%201" } }],
      ["/api/verify", { method: "POST", body: "{}", headers: { "content-type": "application/json", cookie: "lang=%0d%0a" } }],
    ];
    for (const [path, init] of asks) {
      const res = await s.fetch(path, { redirect: "manual", ...init });
      await res.arrayBuffer();
      expect({ path, status: res.status < 500 }).toEqual({ path, status: true });
      expect(res.headers.get("x-evil")).toBeNull();
      const lang = res.headers.get("content-language");
      if (lang !== null) expect(["kk", "ru", "en"]).toContain(lang);
      for (const [name, value] of res.headers) expect({ name, value: /[\r\n]/.test(value) }).toEqual({ name, value: false });
    }
  });

  it("VC 2.0 §4.9: a validUntil or validFrom with second 60 is refused as a date-time (VC API issue), not signed as never-expiring", async () => {
    const s = target();
    const provider = await accreditedProvider(s);
    const credential = (extra: Record<string, unknown>) => ({
      "@context": [VC2],
      type: ["VerifiableCredential"],
      issuer: provider.party.did,
      credentialSubject: { id: "did:example:advocate", name: "Әлия Сейтқалиқызы" },
      ...extra,
    });
    for (const extra of [{ validUntil: "2030-06-30T23:59:60Z" }, { validFrom: "2026-06-30T23:59:60+05:00" }, { validUntil: "2030-02-29T00:00:00Z" }, { validUntil: "10000-01-01T00:00:00Z" }]) {
      const res = await s.call("POST", "/credentials/issue", { token: provider.token, body: { credential: credential(extra) } });
      expect({ extra, status: res.status, code: res.body?.code }).toEqual({ extra, status: 400, code: "invalid_request" });
      expect(JSON.stringify(res.body)).toContain(Object.keys(extra)[0]!);
    }
    // Where the API takes a date-time (an event's certificates' validity, an accreditation), the same check holds.
    const ev = await s.call("POST", "/api/events", {
      token: provider.token,
      body: { topic: "Т", programme: "criminal", form: "course", deliveryMode: "in-person", place: "Алматы", startsAt: "2026-01-10T10:00:00+05:00", endsAt: "2026-01-10T18:00:00+05:00", durationMinutes: 360, certificatesValidUntil: "2030-06-30T23:59:60Z" },
    });
    expect(ev.status, ev.text).toBe(400);
    const acc = await s.call("POST", `/api/parties/${provider.party.id}/accreditations`, {
      token: s.adminToken,
      body: { barId: "almaty-city", decisionNumber: "8-П", decisionDate: "2026-01-01", criteria: [{ criterion: "education-licence", evidence: "KZ-1" }], validFrom: "2026-01-01", validUntil: "2030-06-30T23:59:60+05:00" },
    });
    expect(acc.status, acc.text).toBe(400);
    // A real end of June still issues.
    const fine = await s.call("POST", "/credentials/issue", { token: provider.token, body: { credential: credential({ validUntil: "2030-06-30T23:59:59Z" }) } });
    expect(fine.status, fine.text).toBe(201);
  });

  it("8.3: a provider's website must be an https: or http: URL; the public page links only to such a one", async () => {
    const s = target();
    const party = (website: string) => s.call("POST", "/api/parties", { token: s.adminToken, body: { kind: "centre", name: "Сайты бар орталық", barId: "almaty-city", website } });
    for (const website of ["javascript:alert(document.cookie)", "JavaScript:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "file:///etc/passwd", "ftp://example.kz/", "java\tscript:alert(1)", "https:example.kz", "//example.kz/", "https://exa mple.kz/"]) {
      const res = await party(website);
      expect({ website, status: res.status, code: res.body?.code }).toEqual({ website, status: 400, code: "invalid_request" });
    }
    const good = await party("https://centre.example.kz/about?lang=kk");
    expect(good.status, good.text).toBe(201);
    const page = await s.call("GET", `/providers/${good.body.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('href="https://centre.example.kz/about?lang=kk"');
    expect((await party("http://centre.example.kz/")).status).toBe(201);
  });

  it("a console form sent as multipart/form-data without a boundary, or with a broken body, is the localized 400 refusal page, not a 500", async () => {
    const s = target();
    const provider = await accreditedProvider(s);
    const b = browser(s);
    // Before a session exists: the sign-in form itself.
    const signIn = await b.send("POST", "/console/sign-in?lang=ru", { body: `apiKey=${provider.token}`, type: "multipart/form-data" });
    expect(signIn.status, signIn.text.slice(0, 300)).toBe(400);
    expect(signIn.headers.get("content-type")).toMatch(/^text\/html/);
    expect(signIn.text).toContain('lang="ru"');
    expect(signIn.text).toContain("boundary");

    await b.signIn(provider.token);
    const broken: [string, string][] = [
      [`_csrf=${b.csrf}&topic=x`, "multipart/form-data"],
      [`_csrf=${b.csrf}&topic=x`, "multipart/form-data; boundary="],
      ["--XYZ\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + b.csrf + "\r\n--XY", "multipart/form-data; boundary=XYZ"],
    ];
    for (const [body, type] of broken) {
      const res = await b.send("POST", "/console/events", { body, type });
      expect({ type, status: res.status }).toEqual({ type, status: 400 });
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    }
    // A NUL in a console form field is refused on the page too, before anything is stored.
    const nul = await b.send("POST", "/console/events", { body: new URLSearchParams({ _csrf: b.csrf, topic: `x${NUL}` }).toString(), type: "application/x-www-form-urlencoded" });
    expect(nul.status).toBe(400);
    expect(nul.text).toContain("U+0000");
  });
};
