import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sha256Hex } from "../src/lib/ids.js";
import { accreditedProvider, eventWithParticipants, issued, startSenim, type TestSenim } from "./helpers.js";

let s: TestSenim;
beforeEach(async () => {
  s = await startSenim();
});
afterEach(async () => s.close());

async function barAdmin(barId: string): Promise<string> {
  const res = await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId, label: `${barId} admin` } });
  expect(res.status).toBe(201);
  return res.body.token;
}

const decision = (barId: string, extra: Record<string, unknown> = {}) => ({
  barId,
  decisionNumber: "3-П",
  decisionDate: "2026-02-01",
  criteria: [{ criterion: "advocacy-5-years", evidence: "Advocate since 2012, licence 0001" }],
  validFrom: "2026-02-01",
  ...extra,
});

describe("seed data", () => {
  it("ships the RBA, 20 territorial bars, the four programmes (10.1), forms (5.1) and delivery modes (7.4)", async () => {
    const res = await s.call("GET", "/api/vocabulary");
    expect(res.body.bars).toHaveLength(21);
    expect(res.body.bars.filter((b: any) => b.kind === "territorial")).toHaveLength(20);
    expect(res.body.bars.every((b: any) => b.names.kk && b.names.ru && b.names.en && typeof b.verified === "boolean")).toBe(true);
    expect(res.body.programmes.map((p: any) => p.code)).toEqual(["foundations", "civil", "criminal", "topical"]);
    expect(res.body.forms.map((p: any) => p.code)).toEqual(["course", "seminar", "training", "master-class"]);
    expect(res.body.deliveryModes.map((p: any) => p.code)).toEqual(["in-person", "distance", "online"]);
  });
});

describe("roles and API keys", () => {
  it("refuses requests without a valid bearer key (401) and stores only the key's hash", async () => {
    expect((await s.call("POST", "/api/parties", { body: { kind: "trainer", name: "X", barId: "rba" } })).status).toBe(401);
    expect((await s.call("POST", "/api/parties", { token: "snm_not-a-real-token-at-all", body: { kind: "trainer", name: "X", barId: "rba" } })).status).toBe(401);
    const token = await barAdmin("akmola");
    const rows = await s.db.selectFrom("api_keys").selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).toBe(await sha256Hex(token));
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it("a provider may not register parties or accredit (403)", async () => {
    const { token, party } = await accreditedProvider(s);
    expect((await s.call("POST", "/api/parties", { token, body: { kind: "trainer", name: "X", barId: "almaty-city" } })).status).toBe(403);
    const res = await s.call("POST", `/api/parties/${party.id}/accreditations`, { token, body: decision("almaty-city") });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe("forbidden");
  });

  it("a bar admin may create keys for its own bar and providers only", async () => {
    const token = await barAdmin("akmola");
    expect((await s.call("POST", "/api/api-keys", { token, body: { role: "bar-admin", barId: "atyrau", label: "x" } })).status).toBe(403);
    expect((await s.call("POST", "/api/api-keys", { token, body: { role: "rba-admin", label: "x" } })).status).toBe(403);
    const { party } = await accreditedProvider(s, { barId: "atyrau" });
    expect((await s.call("POST", "/api/api-keys", { token, body: { role: "provider", partyId: party.id, label: "x" } })).status).toBe(403);
  });
});

describe("API key management", () => {
  it("a revoked key stops working at once; keys are listed without tokens, only to those who may manage them", async () => {
    const { party, token } = await accreditedProvider(s);
    const almaty = await barAdmin("almaty-city");
    const atyrau = await barAdmin("atyrau");
    const listed = await s.call("GET", "/api/api-keys", { token: almaty });
    expect(listed.status).toBe(200);
    const providerKey = listed.body.apiKeys.find((k: any) => k.partyId === party.id);
    expect(providerKey).toMatchObject({ role: "provider", revokedAt: null });
    expect(listed.text).not.toContain("snm_");
    expect((await s.call("GET", "/api/api-keys", { token: atyrau })).body.apiKeys.map((k: any) => k.barId)).toEqual(["atyrau"]);

    // Another bar may not touch it (403: ids are listed only to those who may manage them); the registering bar may.
    expect((await s.call("POST", `/api/api-keys/${providerKey.id}/revocation`, { token: atyrau })).status).toBe(403);
    expect((await s.call("GET", `/api/events/x`, { token })).status).toBe(404); // the key works…
    const revoked = await s.call("POST", `/api/api-keys/${providerKey.id}/revocation`, { token: almaty });
    expect(revoked.status).toBe(201);
    expect(revoked.body.revokedAt).toBe(s.clock.now());
    expect((await s.call("GET", `/api/events/x`, { token })).status).toBe(401); // …and then it does not
    expect((await s.call("POST", `/api/api-keys/${providerKey.id}/revocation`, { token: almaty })).status).toBe(409);
  });
});

describe("parties, DIDs and keys (3.1.5, 4.1.4)", () => {
  it("gives every party a did:web hosted here with its Ed25519 key; no private key leaves the service", async () => {
    const res = await s.call("POST", "/api/parties", { token: s.adminToken, body: { kind: "organisation", name: "ҚазҰУ заң факультеті", barId: "rba" } });
    expect(res.status).toBe(201);
    expect(res.body.did).toBe(`did:web:senim.test:parties:${res.body.id}`);
    const doc = await s.call("GET", `/parties/${res.body.id}/did.json`);
    expect(doc.status).toBe(200);
    expect(doc.body.id).toBe(res.body.did);
    expect(doc.body.verificationMethod[0]).toMatchObject({ type: "JsonWebKey2020", controller: res.body.did, publicKeyJwk: { kty: "OKP", crv: "Ed25519" } });
    // Each key twice: JsonWebKey (the vc+jwt kid) and Multikey (Data Integrity), both assertion methods.
    expect(doc.body.verificationMethod[1]).toMatchObject({ id: `${doc.body.verificationMethod[0].id}-multikey`, type: "Multikey", controller: res.body.did });
    expect(doc.body.assertionMethod).toEqual([doc.body.verificationMethod[0].id, doc.body.verificationMethod[1].id]);
    for (const text of [doc.text, JSON.stringify(res.body), (await s.call("GET", `/api/parties/${res.body.id}`)).text]) {
      expect(text).not.toMatch(/"d"\s*:|privateKey|private_key/);
    }
    const stored = await s.db.selectFrom("party_keys").selectAll().execute();
    expect(stored[0]!.private_key_enc).toMatch(/^v1\./); // AES-GCM envelope, not PKCS#8 in clear
  });

  it("a bar admin registers centres only for its own bar", async () => {
    const token = await barAdmin("kostanay");
    expect((await s.call("POST", "/api/parties", { token, body: { kind: "centre", name: "Орталық", barId: "kostanay" } })).status).toBe(201);
    expect((await s.call("POST", "/api/parties", { token, body: { kind: "centre", name: "Орталық", barId: "pavlodar" } })).status).toBe(403);
  });

  it("rotation: the new key becomes active, the old one is retired and still verifies what it signed", async () => {
    const { provider, event, certificates } = await issued(s, 2);
    s.clock.advance(60_000);
    const rot = await s.call("POST", `/api/parties/${provider.party.id}/keys/rotate`, { token: provider.token });
    expect(rot.status).toBe(200);
    expect(rot.body.keys).toHaveLength(2);
    const [old, current] = rot.body.keys;
    expect(old.state).toBe("retired");
    expect(old.validUntil).toBe(new Date(s.clock.ms + 1000).toISOString().replace(".000Z", "Z")); // the end of the rotation's second
    expect(current.id).toBe(rot.body.active.id);
    expect(current.validUntil).toBeNull();
    const doc = await s.call("GET", `/parties/${provider.party.id}/did.json`);
    expect(doc.body.verificationMethod.map((m: any) => m.id)).toEqual([old.id, `${old.id}-multikey`, current.id, `${current.id}-multikey`]);

    const before = await s.call("POST", "/api/verify", { body: { url: certificates[0]!.url } });
    expect(before.status).toBe(200);

    await s.call("PUT", `/api/events/${event.id}/participants`, {
      token: provider.token,
      body: { participants: [...(await s.call("GET", `/api/events/${event.id}/participants`, { token: provider.token })).body.participants.map((p: any) => ({ fullName: p.fullName, licenceNumber: p.licenceNumber, barId: p.barId, role: p.role })), { fullName: "Жаңа Қатысушы", licenceNumber: "777001", barId: "almaty-city", role: "attendee" }] },
    });
    const more = await s.call("POST", `/api/events/${event.id}/certificates`, { token: provider.token });
    expect(more.body.issued).toBe(1);
    const newest = more.body.certificates.find((c: any) => c.licenceNumber === "777001");
    const jwt = (await s.call("GET", `/api/certificates/${newest.id}`)).body.jwt as string;
    expect(JSON.parse(Buffer.from(jwt.split(".")[0]!, "base64url").toString()).kid).toBe(current.id);
  });

  it("a rotation in the same second as issuing: the certificate just signed still verifies, the next one has the new key", async () => {
    const { provider, event, certificates } = await issued(s, 1); // the clock stands still: same instant
    const rot = await s.call("POST", `/api/parties/${provider.party.id}/keys/rotate`, { token: provider.token });
    expect(rot.status).toBe(200);
    expect((await s.call("POST", "/api/verify", { body: { url: certificates[0]!.url } })).status).toBe(200);
    await s.call("PUT", `/api/events/${event.id}/participants`, {
      token: provider.token,
      body: { participants: [...(await s.call("GET", `/api/events/${event.id}/participants`, { token: provider.token })).body.participants.map((p: any) => ({ fullName: p.fullName, licenceNumber: p.licenceNumber, barId: p.barId, role: p.role })), { fullName: "Жаңа Қатысушы", licenceNumber: "777002", barId: "almaty-city", role: "attendee" }] },
    });
    const next = (await s.call("POST", `/api/events/${event.id}/certificates`, { token: provider.token })).body.certificates.find((c: any) => c.licenceNumber === "777002");
    const jwt = (await s.call("GET", `/api/certificates/${next.id}`)).body.jwt as string;
    expect(JSON.parse(Buffer.from(jwt.split(".")[0]!, "base64url").toString()).kid).toBe(rot.body.active.id);
    expect((await s.call("POST", "/api/verify", { body: { url: next.url } })).status).toBe(200);
  });

  it("only the party, its bar or the RBA may rotate its keys", async () => {
    const a = await accreditedProvider(s);
    const b = await accreditedProvider(s);
    expect((await s.call("POST", `/api/parties/${a.party.id}/keys/rotate`, { token: b.token })).status).toBe(403);
    expect((await s.call("POST", `/api/parties/${a.party.id}/keys/rotate`, { token: await barAdmin("atyrau") })).status).toBe(403);
    expect((await s.call("POST", `/api/parties/${a.party.id}/keys/rotate`, { token: await barAdmin("almaty-city") })).status).toBe(200);
  });
});

describe("accreditation (9.1)", () => {
  it("9.1: needs at least one criterion with evidence", async () => {
    const { party } = await accreditedProvider(s);
    const res = await s.call("POST", `/api/parties/${party.id}/accreditations`, { token: s.adminToken, body: decision("almaty-city", { criteria: [] }) });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("invalid_request");
    expect(res.body.errors[0].path).toBe("criteria");
    const noEvidence = await s.call("POST", `/api/parties/${party.id}/accreditations`, { token: s.adminToken, body: decision("almaty-city", { criteria: [{ criterion: "academic-degree", evidence: "" }] }) });
    expect(noEvidence.status).toBe(400);
  });

  it("3.1(5): a territorial bar's admin accredits only for its own bar — centres, organisations and trainers; the RBA's admin for the RBA (4.1(4))", async () => {
    const karaganda = await barAdmin("karaganda");
    for (const kind of ["centre", "organisation", "trainer"] as const) {
      const { party } = await accreditedProvider(s, { barId: "karaganda", kind });
      expect((await s.call("POST", `/api/parties/${party.id}/accreditations`, { token: karaganda, body: decision("turkistan") })).status).toBe(403);
      expect((await s.call("POST", `/api/parties/${party.id}/accreditations`, { token: karaganda, body: decision("rba") })).status).toBe(403);
      expect((await s.call("POST", `/api/parties/${party.id}/accreditations`, { token: karaganda, body: decision("karaganda") })).status).toBe(201);
    }
  });

  it("4.1(4): the RBA's presidium accredits organisations and trainers, never a centre (3.1(5): that is the territorial bars')", async () => {
    for (const kind of ["organisation", "trainer"] as const) {
      const { party } = await accreditedProvider(s, { barId: "karaganda", kind });
      expect((await s.call("POST", `/api/parties/${party.id}/accreditations`, { token: s.adminToken, body: decision("rba") })).status).toBe(201);
    }
    const { party: centre } = await accreditedProvider(s, { barId: "karaganda", kind: "centre" });
    const refused = await s.call("POST", `/api/parties/${centre.id}/accreditations`, { token: s.adminToken, body: decision("rba") });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe("rule_violated");
    expect(refused.body.detail).toContain("4.1(4)");
    const history = await s.call("GET", `/api/parties/${centre.id}`, { token: s.adminToken });
    expect(history.body.accreditations.map((a: { barId: string }) => a.barId)).toEqual(["karaganda"]); // nothing stored
  });

  it("9.1(1): a trainer is not accredited on an education licence; an organisation is", async () => {
    const licence = { criteria: [{ criterion: "education-licence", evidence: "KZ-EDU-7" }] };
    const { party: trainer } = await accreditedProvider(s, { kind: "trainer" });
    const refused = await s.call("POST", `/api/parties/${trainer.id}/accreditations`, { token: s.adminToken, body: decision("almaty-city", licence) });
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toContain("9.1(1)");
    const { party: organisation } = await accreditedProvider(s, { kind: "organisation" });
    expect((await s.call("POST", `/api/parties/${organisation.id}/accreditations`, { token: s.adminToken, body: decision("almaty-city", licence) })).status).toBe(201);
  });

  it("records scope (programmes, forms; default all) and validity; rejects validUntil before validFrom", async () => {
    const { party } = await accreditedProvider(s);
    const scoped = await s.call("POST", `/api/parties/${party.id}/accreditations`, { token: s.adminToken, body: decision("almaty-city", { programmes: ["civil"], forms: ["course"], validUntil: "2027-02-01" }) });
    expect(scoped.status).toBe(201);
    expect(scoped.body).toMatchObject({ programmes: ["civil"], forms: ["course"], validFrom: "2026-01-31T19:00:00Z", validUntil: "2027-01-31T19:00:00Z", state: "active" });
    const bad = await s.call("POST", `/api/parties/${party.id}/accreditations`, { token: s.adminToken, body: decision("almaty-city", { validUntil: "2026-01-01" }) });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe("rule_violated");
  });
});

describe("violations and withdrawal (9.2)", () => {
  it("9.2.2: withdrawal for repeated violations is refused below two recorded violations", async () => {
    const { accreditation } = await accreditedProvider(s);
    const withdraw = () => s.call("POST", `/api/accreditations/${accreditation.id}/withdrawal`, { token: s.adminToken, body: { ground: "repeated-violations", decisionNumber: "9-П", decisionDate: "2026-05-01", reason: "Two violations" } });
    const violation = (n: number) => s.call("POST", `/api/accreditations/${accreditation.id}/violations`, { token: s.adminToken, body: { occurredOn: `2026-0${n}-10`, description: `Violation ${n}` } });

    let res = await withdraw();
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: "withdrawal_refused", violationCount: 0, required: 2 });
    expect((await violation(3)).body).toMatchObject({ violationCount: 1, withdrawalDue: false });
    expect((await withdraw()).status).toBe(422);
    // 9.2(2): two violations make the withdrawal due ("жүргізіледі"); the presidium's decision still carries it out.
    expect((await violation(4)).body).toMatchObject({ violationCount: 2, withdrawalDue: true });
    expect((await s.call("GET", `/api/parties/${accreditation.partyId}`)).body.accreditations[0].withdrawalDue).toBe(true);
    res = await withdraw();
    expect(res.status).toBe(201);
    expect(res.body.withdrawalDue).toBe(false);
    expect(res.body.withdrawal).toMatchObject({ ground: "repeated-violations", decisionNumber: "9-П", effectiveFrom: "2026-04-30T19:00:00Z" });
    expect(res.body.violations).toHaveLength(2);
    expect(res.body.state).toBe("withdrawn");
  });

  it("9.2.1: non-compliance withdraws at once; a second withdrawal is refused and history is kept", async () => {
    const { accreditation, party } = await accreditedProvider(s);
    const body = { ground: "non-compliance", decisionNumber: "10-П", decisionDate: "2026-05-02", reason: "Licence expired" };
    expect((await s.call("POST", `/api/accreditations/${accreditation.id}/withdrawal`, { token: s.adminToken, body })).status).toBe(201);
    const again = await s.call("POST", `/api/accreditations/${accreditation.id}/withdrawal`, { token: s.adminToken, body });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("already_withdrawn");
    const history = await s.call("GET", `/api/parties/${party.id}`);
    expect(history.body.accreditations[0]).toMatchObject({ decision: { number: "7-П" }, withdrawal: { ground: "non-compliance", reason: "Licence expired" } });
    // 8.3 publishes the criteria met; the evidence behind them (free text, possibly personal) only admins see.
    expect(history.body.accreditations[0].criteria).toEqual([{ criterion: "education-licence" }]);
    expect(history.text).not.toContain("KZ-EDU-001");
    const asAdmin = await s.call("GET", `/api/parties/${party.id}`, { token: s.adminToken });
    expect(asAdmin.body.accreditations[0].criteria).toEqual([{ criterion: "education-licence", evidence: "Licence No. KZ-EDU-001" }]);
    expect(asAdmin.body.accreditations[0].violations).toEqual([]);
  });

  it("only the accrediting bar (or the RBA's admin) records violations and withdrawals", async () => {
    const { accreditation } = await accreditedProvider(s);
    const other = await barAdmin("mangystau");
    expect((await s.call("POST", `/api/accreditations/${accreditation.id}/violations`, { token: other, body: { occurredOn: "2026-03-01", description: "x" } })).status).toBe(403);
    expect((await s.call("POST", `/api/accreditations/${accreditation.id}/withdrawal`, { token: other, body: { ground: "non-compliance", decisionNumber: "1", decisionDate: "2026-05-02", reason: "x" } })).status).toBe(403);
    expect((await s.call("POST", `/api/accreditations/${accreditation.id}/violations`, { token: await barAdmin("almaty-city"), body: { occurredOn: "2026-03-01", description: "x" } })).status).toBe(201);
  });

  it("9.2: certificates issued before a withdrawal still verify; issuing after it is refused", async () => {
    const { provider, certificates } = await issued(s, 2);
    s.clock.advance(86_400_000);
    const w = await s.call("POST", `/api/accreditations/${provider.accreditation.id}/withdrawal`, { token: s.adminToken, body: { ground: "non-compliance", decisionNumber: "11-П", decisionDate: "2026-06-02", reason: "No longer meets 9.1" } });
    expect(w.status).toBe(201);
    s.clock.advance(86_400_000);
    const res = await s.call("POST", "/api/verify", { body: { url: certificates[0]!.url } });
    expect(res.status).toBe(200);
    // 5.1(1), 7.1: training held after the withdrawal (yesterday) is refused when it is recorded, so never certified.
    const refused = await eventWithParticipants(s, provider.token).catch((e: Error) => e.message);
    expect(refused).toMatch(/^event: 422 .*"code":"not_accredited".*"reason":"withdrawn"/);
    expect(await s.db.selectFrom("events").select(sql<number>`count(*)`.as("n")).where("party_id", "=", provider.party.id).executeTakeFirst()).toEqual({ n: 1 });
  });

  it("9.2: a certificate dated after the withdrawal took effect fails the accreditation check", async () => {
    const { provider, certificates } = await issued(s, 1);
    // The presidium's decision took effect before this certificate's date, but was recorded only afterwards.
    const w = await s.call("POST", `/api/accreditations/${provider.accreditation.id}/withdrawal`, { token: s.adminToken, body: { ground: "non-compliance", decisionNumber: "12-П", decisionDate: "2026-05-20", reason: "Retroactive decision" } });
    expect(w.status).toBe(201);
    const res = await s.call("POST", "/api/verify", { body: { url: certificates[0]!.url } });
    expect(res.status).toBe(422);
    expect(res.body.checks.find((c: any) => c.check === "accreditation")).toMatchObject({ outcome: "failed", code: "accreditation-withdrawn" });
  });
});

describe("public registry (8.3)", () => {
  it("8.3: a centre's and a provider's city and address are published; the registering bar corrects them, no one else", async () => {
    const pavlodar = await barAdmin("pavlodar");
    const created = await s.call("POST", "/api/parties", { token: pavlodar, body: { kind: "centre", name: "Павлодар орталығы", barId: "pavlodar", city: "Павлодар", address: "Торайғыров к-сі 1" } });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ city: "Павлодар", address: "Торайғыров к-сі 1" });
    const id = created.body.id as string;
    const centre = (await s.call("GET", "/api/registry")).body.bars.find((b: any) => b.id === "pavlodar").centres.find((c: any) => c.id === id);
    expect(centre).toMatchObject({ city: "Павлодар", address: "Торайғыров к-сі 1" });
    for (const lang of ["kk", "ru", "en"]) {
      expect(await (await s.fetch(`/registry/pavlodar?lang=${lang}`)).text()).toContain("Павлодар, Торайғыров к-сі 1");
      expect(await (await s.fetch(`/providers/${id}?lang=${lang}`)).text()).toContain("Торайғыров к-сі 1");
    }
    // Another bar, a provider, nobody: refused, nothing changed.
    const provider = await accreditedProvider(s);
    for (const token of [await barAdmin("karaganda"), provider.token]) {
      expect((await s.call("PATCH", `/api/parties/${id}`, { token, body: { city: "Қарағанды" } })).status).toBe(403);
    }
    expect((await s.call("PATCH", `/api/parties/${id}`, { body: { city: "Қарағанды" } })).status).toBe(401);
    // Bad input: 400 with the field, nothing stored; the kind, bar and DID are not details.
    for (const body of [{ city: "x".repeat(101) }, { address: "x".repeat(301) }, { website: "javascript:alert(1)" }, { kind: "trainer" }, { barId: "karaganda" }]) {
      const r = await s.call("PATCH", `/api/parties/${id}`, { token: pavlodar, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
    }
    expect((await s.call("GET", `/api/parties/${id}`)).body).toMatchObject({ kind: "centre", barId: "pavlodar", city: "Павлодар" });
    const moved = await s.call("PATCH", `/api/parties/${id}`, { token: pavlodar, body: { address: "Ломов к-сі 45", website: "https://centre.pavlodar.kz" } });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body).toMatchObject({ name: "Павлодар орталығы", city: "Павлодар", address: "Ломов к-сі 45", website: "https://centre.pavlodar.kz", did: created.body.did });
    // The RBA, as the registry's operator, may too; an empty value clears it.
    expect((await s.call("PATCH", `/api/parties/${id}`, { token: s.adminToken, body: { address: "" } })).body.address).toBeNull();
  });

  it("lists each bar's centres and accredited providers with criteria and dates, in JSON and kk/ru/en HTML, without personal data", async () => {
    const { party } = await accreditedProvider(s, { barId: "shymkent-city", name: "Шымкент орталығы" });
    await issued(s, 2); // participants with e-mails exist in the database
    const json = await s.call("GET", "/api/registry");
    const bar = json.body.bars.find((b: any) => b.id === "shymkent-city");
    expect(bar.centres.map((c: any) => c.id)).toContain(party.id);
    expect(bar.providers[0].accreditations[0]).toMatchObject({ criteria: [{ criterion: "education-licence" }], validFrom: "2025-12-31T19:00:00Z", state: "active" });
    for (const [lang, heading] of [["kk", "Аккредиттелген провайдерлер"], ["ru", "Аккредитованные провайдеры"], ["en", "Accredited providers"]]) {
      const page = await s.call("GET", "/registry/shymkent-city", { headers: { "accept-language": `${lang},en;q=0.5` } });
      expect(page.status).toBe(200);
      expect(page.text).toContain(heading);
      expect(page.text).toContain("Шымкент орталығы");
      expect(page.text).toContain(`lang="${lang}"`);
      // Stored as 2025-12-31T19:00:00Z, shown as the day the presidium wrote: the start of 2026-01-01 in Kazakhstan.
      expect(page.text).toContain("<td>2026-01-01</td>");
    }
    const all = await s.call("GET", "/registry?lang=ru");
    expect(all.text).toContain("Реестр аккредитованных провайдеров");
    for (const text of [json.text, all.text]) {
      expect(text).not.toContain("KZ-EDU-001"); // evidence text stays with the bars
      expect(text).not.toContain("@example.kz");
      expect(text).not.toContain("100001");
    }
    expect((await s.call("GET", "/registry/nowhere")).status).toBe(404);
  });
});

describe("cross-origin use", () => {
  it("public resources and verification are open to web verifiers on other origins; keyed calls are not", async () => {
    const preflight = await s.call("OPTIONS", "/api/verify", { headers: { origin: "https://court.example", "access-control-request-method": "POST", "access-control-request-headers": "content-type" } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-headers")?.toLowerCase()).not.toContain("authorization");
    const registry = await s.call("GET", "/api/registry", { headers: { origin: "https://wallet.example" } });
    expect(registry.headers.get("access-control-allow-origin")).toBe("*");
    const keyed = await s.call("OPTIONS", "/api/parties", { headers: { origin: "https://evil.example", "access-control-request-method": "POST", "access-control-request-headers": "authorization" } });
    expect(keyed.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("OpenAPI", () => {
  it("describes every API endpoint", async () => {
    const doc = await s.call("GET", "/openapi.json");
    expect(doc.status).toBe(200);
    for (const path of ["/api/api-keys", "/api/parties", "/api/parties/{id}/keys/rotate", "/api/parties/{id}/accreditations", "/api/accreditations/{id}/violations", "/api/accreditations/{id}/withdrawal", "/api/events", "/api/events/{id}/participants", "/api/events/{id}/certificates", "/api/certificates/{id}", "/api/certificates/{id}/revocation", "/api/verify", "/api/registry"]) {
      expect(doc.body.paths, path).toHaveProperty([path]);
    }
    for (const path of ["/c/{id}", "/c/{id}/qr.svg", "/c/{id}/qr.png", "/parties/{id}/did.json", "/status/{id}", "/registry/{bar}"]) {
      expect(doc.body.paths, path).toHaveProperty([path]);
    }
    // Request and response bodies are described, not just named.
    for (const schema of ["NewParty", "NewAccreditation", "NewWithdrawal", "NewEvent", "ParticipantList", "Party", "Accreditation", "Event", "IssueOutcome", "Certificate", "VerificationResult", "Problem"]) {
      expect(doc.body.components.schemas, schema).toHaveProperty([schema]);
    }
    expect(doc.body.paths["/api/events/{id}/certificates"].post.responses["201"].content["application/json"].schema.$ref).toBe("#/components/schemas/IssueOutcome");
  });
});
