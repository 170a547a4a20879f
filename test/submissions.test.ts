/**
 * Outside and paper certificates (2.2(2), 7.5) over HTTP, in process on SQLite: the upload's limits and content
 * sniffing, a foreign signed credential verified on upload, Senim's own certificates refused, who may review, and
 * what an accepted or rejected submission does to the compliance report.
 */
import { CompactSign } from "jose";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { didKeyFor, ed25519Multibase } from "../src/credentials/multikey.js";
import { accreditedProvider, issued, startSenim, type TestSenim } from "./helpers.js";

let s: TestSenim;
let bar: string; // bar-admin of almaty-city
beforeEach(async () => {
  s = await startSenim();
  bar = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: "almaty-city", label: "registry office" } })).body.token;
  for (const licence of ["100000", "100001"]) {
    expect((await s.call("POST", "/api/bars/almaty-city/members", { token: bar, body: { licence, fullName: `Адвокат ${licence}`, admissionDate: "2015-03-01" } })).status).toBe(201);
  }
});
afterEach(async () => s.close());

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const PDF = new TextEncoder().encode("%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n");
const EXE = new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0]);

const fields = { organiser: "Шетелдік заң академиясы", topic: "Медиация", programme: "civil", form: "seminar", completedOn: "2026-04-10", academicHours: "8.5" };

async function submit(o: { token?: string; licence?: string; barId?: string; attachment?: { bytes: Uint8Array; name: string; type?: string }; credential?: { text: string; name: string }; fields?: Record<string, string> } = {}) {
  const form = new FormData();
  for (const [k, v] of Object.entries(o.fields ?? fields)) form.set(k, v);
  if (o.attachment) form.set("attachment", new Blob([o.attachment.bytes as Uint8Array<ArrayBuffer>], { type: o.attachment.type ?? "application/pdf" }), o.attachment.name);
  if (o.credential) form.set("credential", new Blob([o.credential.text], { type: "application/octet-stream" }), o.credential.name);
  const res = await s.app.request(`https://senim.test/api/bars/${o.barId ?? "almaty-city"}/members/${o.licence ?? "100000"}/submissions`, { method: "POST", headers: { authorization: `Bearer ${o.token ?? bar}` }, body: form });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const count = async (table: "submissions" | "attachments" | "attachment_chunks") => Number((await s.db.selectFrom(table).select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow()).n);

/** A vc+jwt signed by a did:key the test holds: a credential of another issuer. */
async function foreignJwt(extra: Record<string, unknown> = {}) {
  const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const raw = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
  const did = didKeyFor(raw);
  const multibase = ed25519Multibase(raw);
  const credential = {
    "@context": ["https://www.w3.org/ns/credentials/v2"], type: ["VerifiableCredential"], id: "urn:uuid:5f0e3c5e-61a4-4b1e-8d7e-6c1a0d2b9e10", issuer: did,
    validFrom: "2026-04-10T00:00:00Z", credentialSubject: { id: "did:example:advocate", name: "Медиация, 8.5 сағат" }, ...extra,
  };
  const jwt = await new CompactSign(new TextEncoder().encode(JSON.stringify(credential))).setProtectedHeader({ alg: "EdDSA", typ: "vc+jwt", kid: `${did}#${multibase}` }).sign(pair.privateKey);
  return { jwt, did, multibase };
}

describe("outside certificates: the upload (2.2(2), 7.5)", () => {
  it("10 MB + 1 byte is refused with a clear message and nothing is stored; exactly 10 MB is accepted", async () => {
    const over = new Uint8Array(10 * 1024 * 1024 + 1);
    over.set(PDF.subarray(0, 8));
    const r = await submit({ attachment: { bytes: over, name: "big.pdf" } });
    expect(r.status).toBe(413);
    expect(r.body.code).toBe("payload_too_large");
    expect(r.body.detail).toContain("at most 10485760 bytes (10 MB)");
    expect(await count("submissions")).toBe(0);
    expect(await count("attachments")).toBe(0);
    const exact = await submit({ attachment: { bytes: over.subarray(0, 10 * 1024 * 1024), name: "ok.pdf" } });
    expect(exact.status).toBe(201);
    expect(exact.body.attachment).toMatchObject({ mediaType: "application/pdf", size: 10 * 1024 * 1024 });
  }, 60_000);

  it("the type is the content's: a .pdf name with PNG bytes is stored and served as PNG; an .exe renamed .pdf is refused", async () => {
    const r = await submit({ attachment: { bytes: PNG, name: "scan.pdf", type: "application/pdf" } });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: "pending", claimedHours: 8.5, year: 2026, onBehalf: true, attachment: { mediaType: "image/png", name: "scan.pdf" } });
    const file = await s.app.request(`https://senim.test${r.body.attachmentUrl}`, { headers: { authorization: `Bearer ${bar}` } });
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("image/png");
    expect(file.headers.get("content-disposition")).toBe(`attachment; filename="submission-${r.body.id}.png"`);
    expect(file.headers.get("x-content-type-options")).toBe("nosniff");
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(PNG);

    const exe = await submit({ attachment: { bytes: EXE, name: "certificate.pdf" } });
    expect(exe.status).toBe(415);
    expect(exe.body.detail).toContain("not a PDF, JPEG or PNG");
    expect(await count("submissions")).toBe(1);
    expect(await count("attachments")).toBe(1);
  });

  it("validates the fields (programme, form, date, one-decimal positive hours) and needs a file", async () => {
    const schema = await submit({ fields: { ...fields, programme: "cooking", form: "" }, attachment: { bytes: PDF, name: "a.pdf" } });
    expect(schema.status).toBe(400);
    expect(schema.body.errors.map((e: any) => e.path).sort()).toEqual(["form", "programme"]);
    const bad = await submit({ fields: { ...fields, completedOn: "2026-02-30", academicHours: "1.25" }, attachment: { bytes: PDF, name: "a.pdf" } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.path).sort()).toEqual(["academicHours", "completedOn"]);
    expect((await submit({ fields: { ...fields, completedOn: "2026-07-01" }, attachment: { bytes: PDF, name: "a.pdf" } })).body.errors).toEqual([{ path: "completedOn", code: "date-in-future", message: "is in the future" }]);
    expect((await submit({ fields: { ...fields, academicHours: "0" }, attachment: { bytes: PDF, name: "a.pdf" } })).status).toBe(400);
    const none = await submit({});
    expect(none.status).toBe(400);
    expect(none.body.detail).toContain("Attach a scan or PDF");
    expect(await count("submissions")).toBe(0);
  });

  it("a foreign signed credential is verified on upload through the one pipeline; the result is kept for the reviewer", async () => {
    // An issuer the registry does not know: the signature cannot be tied to a known key; stored, marked, shown.
    const stranger = await foreignJwt();
    const r = await submit({ credential: { text: stranger.jwt, name: "cert.jwt" } });
    expect(r.status).toBe(201);
    expect(r.body.credential).toMatchObject({ verified: false, profile: "generic", issuer: stranger.did, credentialId: "urn:uuid:5f0e3c5e-61a4-4b1e-8d7e-6c1a0d2b9e10" });
    expect(r.body.credential.failed).toContain("unknown-key");
    expect(r.body.attachment).toBeNull();

    // An issuer registered with its own external did:key (it signs itself; Senim did not issue): verified.
    const own = await foreignJwt({ id: "urn:uuid:0a4b8a51-8d6a-4d2e-9a55-2a4e6e1b7c33" });
    const party = await s.call("POST", "/api/parties", { token: s.adminToken, body: { kind: "organisation", name: "Шетелдік ұйым", barId: "almaty-city", identifier: { method: "did:key", publicKeyMultibase: own.multibase, validFrom: "2026-01-01T00:00:00Z" } } });
    expect(party.status, JSON.stringify(party.body)).toBe(201);
    const accreditation = await s.call("POST", `/api/parties/${party.body.id}/accreditations`, {
      token: s.adminToken,
      body: { barId: "almaty-city", decisionNumber: "9-П", decisionDate: "2026-01-01", criteria: [{ criterion: "education-licence", evidence: "Licence No. KZ-EDU-9" }], validFrom: "2026-01-01" },
    });
    expect(accreditation.status, JSON.stringify(accreditation.body)).toBe(201);
    const ok = await submit({ credential: { text: own.jwt, name: "cert.jwt" }, attachment: { bytes: PDF, name: "scan.pdf" } });
    expect(ok.status).toBe(201);
    expect(ok.body.credential).toMatchObject({ verified: true, profile: "generic", failed: [] });
    const seen = await s.call("GET", `/api/bars/almaty-city/submissions/${ok.body.id}`, { token: bar });
    expect(seen.body.credential.verified).toBe(true);

    const junk = await submit({ credential: { text: "not a credential", name: "x.jwt" } });
    expect(junk.status).toBe(400);
    expect(junk.body.code).toBe("not_a_credential");
  });

  it("a certificate Senim issued is refused as a submission, with the way it is credited", async () => {
    const { certificates } = await issued(s, 1);
    const jwt = (await s.call("GET", `/api/certificates/${certificates[0]!.id}`)).body.jwt;
    const r = await submit({ credential: { text: jwt, name: "mine.jwt" }, attachment: { bytes: PDF, name: "scan.pdf" } });
    expect(r.status).toBe(422);
    expect(r.body.detail).toContain("issued by Senim");
    expect(r.body.detail).toContain("presenting it");
    expect(await count("submissions")).toBe(0);
    expect(await count("attachments")).toBe(0);
  });
});

describe("outside certificates: review by the member's bar", () => {
  it("every role: the member's bar and the RBA review; another bar 403, a provider 403, anonymous 401", async () => {
    const sub = (await submit({ attachment: { bytes: PDF, name: "a.pdf" } })).body;
    const other = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: "astana-city", label: "x" } })).body.token;
    const provider = await accreditedProvider(s);
    for (const [token, status] of [[other, 403], [provider.token, 403], [undefined, 401]] as const) {
      expect((await s.call("GET", "/api/bars/almaty-city/submissions", { token })).status).toBe(status);
      expect((await s.call("GET", `/api/bars/almaty-city/submissions/${sub.id}`, { token })).status).toBe(status);
      expect((await s.app.request(`https://senim.test/api/bars/almaty-city/submissions/${sub.id}/attachment`, token ? { headers: { authorization: `Bearer ${token}` } } : {})).status).toBe(status);
      expect((await s.call("POST", `/api/bars/almaty-city/submissions/${sub.id}/accept`, { token, body: { creditedHours: 1 } })).status).toBe(status);
      expect((await s.call("POST", `/api/bars/almaty-city/submissions/${sub.id}/reject`, { token, body: { reason: "x" } })).status).toBe(status);
    }
    expect((await submit({ token: other, attachment: { bytes: PDF, name: "a.pdf" } })).status).toBe(403);
    expect((await submit({ token: provider.token, attachment: { bytes: PDF, name: "a.pdf" } })).status).toBe(403);
    // Another bar asking through its own path finds nothing: submissions are scoped by the member's bar.
    expect((await s.call("GET", `/api/bars/astana-city/submissions/${sub.id}`, { token: other })).status).toBe(404);
    expect((await s.call("GET", `/api/bars/almaty-city/submissions/${sub.id}`, { token: s.adminToken })).status).toBe(200);
    const list = await s.call("GET", "/api/bars/almaty-city/submissions", { token: s.adminToken });
    expect(list.body.count).toBe(1);
    expect(await count("submissions")).toBe(1);
  });

  it("accept → counted in the compliance report as accepted-by-bar with the decider; deciding twice is 409", async () => {
    await s.call("PUT", "/api/bars/almaty-city/policies/2026", { token: bar, body: { requiredAcademicHours: 8 } });
    const sub = (await submit({ attachment: { bytes: PDF, name: "a.pdf" } })).body; // entered by the bar on the advocate's behalf
    expect(sub.submittedBy).toMatch(/^bar-admin:almaty-city:/);
    const second = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: "almaty-city", label: "reviewer" } })).body.token;
    expect((await s.call("POST", `/api/bars/almaty-city/submissions/${sub.id}/accept`, { token: second, body: { creditedHours: 9 } })).status).toBe(422); // more than claimed
    const ok = await s.call("POST", `/api/bars/almaty-city/submissions/${sub.id}/accept`, { token: second, body: { creditedHours: 8 } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: "accepted", creditedHours: 8, decidedAt: "2026-06-01T09:00:00Z" });
    expect(ok.body.decidedBy).toMatch(/^bar-admin:almaty-city:/);
    expect(ok.body.decidedBy).not.toBe(sub.submittedBy);
    const again = await s.call("POST", `/api/bars/almaty-city/submissions/${sub.id}/reject`, { token: bar, body: { reason: "late" } });
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain("already accepted");

    const report = await s.call("GET", "/api/bars/almaty-city/compliance/2026", { token: bar });
    const row = report.body.members.find((m: any) => m.licence === "100000");
    expect(row).toMatchObject({ status: "met", verifiedHours: 8, acceptedByBarHours: 8, certificates: 1, acceptedByBar: [{ submissionId: sub.id, creditedHours: 8, decidedBy: ok.body.decidedBy, decidedAt: ok.body.decidedAt }] });
    const csv = await s.call("GET", "/api/bars/almaty-city/compliance/2026?format=csv", { token: bar });
    expect(csv.text).toContain("accepted_by_bar_hours,accepted_by_bar");
    expect(csv.text).toContain(`decided by ${ok.body.decidedBy} at ${ok.body.decidedAt}`);
    for (const lang of ["kk", "ru", "en"]) {
      const html = await s.call("GET", `/api/bars/almaty-city/compliance/2026?format=html&lang=${lang}`, { token: bar });
      expect(html.status).toBe(200);
      expect(html.text).toContain(ok.body.decidedBy);
    }
  });

  it("reject → not counted, the reason kept for the advocate", async () => {
    await s.call("PUT", "/api/bars/almaty-city/policies/2026", { token: bar, body: { requiredAcademicHours: 8 } });
    const sub = (await submit({ attachment: { bytes: PDF, name: "a.pdf" } })).body;
    expect((await s.call("POST", `/api/bars/almaty-city/submissions/${sub.id}/reject`, { token: bar, body: { reason: "" } })).status).toBe(400);
    const r = await s.call("POST", `/api/bars/almaty-city/submissions/${sub.id}/reject`, { token: bar, body: { reason: "Ұйымдастырушының мөрі жоқ" } });
    expect(r.body).toMatchObject({ status: "rejected", reason: "Ұйымдастырушының мөрі жоқ", creditedHours: null });
    const row = (await s.call("GET", "/api/bars/almaty-city/compliance/2026", { token: bar })).body.members.find((m: any) => m.licence === "100000");
    expect(row).toMatchObject({ status: "short", verifiedHours: 0, acceptedByBarHours: 0, acceptedByBar: [] });
    expect((await s.services.submissions!.ofMember("almaty-city", "100000"))[0]).toMatchObject({ status: "rejected", reason: "Ұйымдастырушының мөрі жоқ" });
  });

  it("attack: a bar cannot enter or accept a submission for a licence that is not its member", async () => {
    // Entering one for another bar's advocate (or nobody's licence): refused, nothing stored.
    const notMember = await submit({ licence: "999999", attachment: { bytes: PDF, name: "a.pdf" } });
    expect(notMember.status).toBe(422);
    expect(notMember.body.detail).toContain("not a member of almaty-city");
    // A submission whose licence left the bar before review: accepting it is refused, it stays pending.
    const sub = (await submit({ licence: "100001", attachment: { bytes: PDF, name: "a.pdf" } })).body;
    expect((await s.call("DELETE", "/api/bars/almaty-city/members/100001", { token: bar })).status).toBe(204);
    const accept = await s.call("POST", `/api/bars/almaty-city/submissions/${sub.id}/accept`, { token: bar, body: { creditedHours: 8 } });
    expect(accept.status).toBe(422);
    expect(accept.body.detail).toContain("no longer a member");
    expect((await s.call("GET", `/api/bars/almaty-city/submissions/${sub.id}`, { token: bar })).body.status).toBe("pending");
    expect(await count("submissions")).toBe(1);
  });
});

describe("outside certificates: the bar's console pages", () => {
  /** A browser without JavaScript, signed in to the console with an API key; forms go as multipart when they carry files. */
  async function consoleAs(apiKey: string) {
    let cookie = "";
    let csrf = "";
    const request = async (method: string, path: string, body?: FormData | URLSearchParams) => {
      const res = await s.app.request(`https://senim.test${path}`, { method, body, headers: { cookie } });
      const set = res.headers.get("set-cookie");
      if (set?.startsWith("senim_session=")) cookie = set.split(";")[0]!;
      const buf = new Uint8Array(await res.arrayBuffer());
      const text = new TextDecoder().decode(buf);
      const m = /name="_csrf" value="([0-9a-f]{64})"/.exec(text);
      if (m) csrf = m[1]!;
      return { status: res.status, location: res.headers.get("location"), text, bytes: buf, headers: res.headers };
    };
    await request("POST", "/console/sign-in", new URLSearchParams({ apiKey }));
    return {
      get: (path: string) => request("GET", path),
      post: (path: string, form: Record<string, string | Blob>, name?: string) => {
        const f = new FormData();
        f.set("_csrf", csrf);
        for (const [k, v] of Object.entries(form)) typeof v === "string" ? f.set(k, v) : f.set(k, v, name);
        return request("POST", path, f);
      },
    };
  }

  it("lists pending first, enters one on behalf, reviews it with its attachment and accepts it; pages in kk, ru and en", async () => {
    const b = await consoleAs(bar);
    const decided = (await submit({ attachment: { bytes: PDF, name: "a.pdf" } })).body;
    await s.call("POST", `/api/bars/almaty-city/submissions/${decided.id}/reject`, { token: bar, body: { reason: "Мөрі жоқ" } });
    for (const [lang, title] of [["kk", "Сырттан алынған"], ["ru", "Заявки о внешних"], ["en", "Submissions of outside"]] as const) {
      const list = await b.get(`/console/submissions?lang=${lang}`);
      expect(list.status).toBe(200);
      expect(list.text).toContain(title);
      expect(list.text).toContain('data-form="on-behalf"');
    }
    await b.get("/console/submissions");
    const entered = await b.post("/console/submissions/new", { ...fields, licence: "100001", attachment: new Blob([PNG]) }, "scan.pdf");
    expect(entered.status, entered.text).toBe(303);
    const id = /\/console\/submissions\/([0-9a-z]+)\?done=1/.exec(entered.location ?? "")![1]!;
    const list = await b.get("/console/submissions?lang=en");
    expect(list.text.indexOf(`data-submission="${id}"`)).toBeLessThan(list.text.indexOf(`data-submission="${decided.id}"`)); // pending first

    for (const lang of ["kk", "ru", "en"]) {
      const page = await b.get(`/console/submissions/${id}?lang=${lang}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain(`href="/console/submissions/${id}/attachment"`);
      expect(page.text).toContain('data-form="accept"');
    }
    const file = await b.get(`/console/submissions/${id}/attachment`);
    expect(file.headers.get("content-type")).toBe("image/png");
    expect(file.headers.get("content-disposition")).toContain("attachment;");
    expect(file.bytes).toEqual(PNG);

    // Another admin of the same bar accepts it in the console; the report marks it with the decider.
    const second = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: "almaty-city", label: "reviewer" } })).body.token;
    const r = await consoleAs(second);
    await r.get(`/console/submissions/${id}`);
    expect((await r.post(`/console/submissions/${id}/accept`, { creditedHours: "7.5" })).status).toBe(303);
    const after = await r.get(`/console/submissions/${id}?lang=en`);
    expect(after.text).toContain("accepted by the bar");
    expect(after.text).toContain("entered by the bar on the advocate");
    expect((await r.post(`/console/submissions/${id}/reject`, { reason: "x" })).status).toBe(409);
    const report = await r.get("/console/compliance?year=2026&lang=en");
    expect(report.text).toContain("7.5 h, Медиация (Шетелдік заң академиясы): accepted by bar-admin:almaty-city:");

    const otherKey = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: "astana-city", label: "x" } })).body.token;
    const other = await consoleAs(otherKey);
    expect((await other.get(`/console/submissions/${id}`)).status).toBe(404); // scoped by its own bar
    expect((await other.get(`/console/submissions/${id}/attachment`)).status).toBe(404);
  });
});

describe("outside certificates: concurrent decisions on PostgreSQL", () => {
  it("40 concurrent accept/reject requests on one submission: exactly one wins, the rest are 409", async () => {
    const pgs = await startSenim({ database: "postgres" });
    try {
      const token = (await pgs.call("POST", "/api/api-keys", { token: pgs.adminToken, body: { role: "bar-admin", barId: "almaty-city", label: "office" } })).body.token;
      await pgs.call("POST", "/api/bars/almaty-city/members", { token, body: { licence: "100000", fullName: "Адвокат", admissionDate: "2015-03-01" } });
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.set(k, v);
      form.set("attachment", new Blob([PDF as Uint8Array<ArrayBuffer>]), "a.pdf");
      const created = await pgs.app.request("https://senim.test/api/bars/almaty-city/members/100000/submissions", { method: "POST", headers: { authorization: `Bearer ${token}` }, body: form });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          i % 2 ? pgs.call("POST", `/api/bars/almaty-city/submissions/${id}/reject`, { token, body: { reason: `r${i}` } }) : pgs.call("POST", `/api/bars/almaty-city/submissions/${id}/accept`, { token, body: { creditedHours: 1 + (i % 7) } }),
        ),
      );
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((x) => x === 200)).toHaveLength(1);
      expect(statuses.filter((x) => x === 409)).toHaveLength(39);
      const winner = answers.find((a) => a.status === 200)!.body;
      expect((await pgs.call("GET", `/api/bars/almaty-city/submissions/${id}`, { token })).body).toMatchObject({ status: winner.status, decidedAt: winner.decidedAt, creditedHours: winner.creditedHours, reason: winner.reason });
    } finally {
      await pgs.close();
    }
  }, 60_000);
});
