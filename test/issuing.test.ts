import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildCertificateCredential } from "../src/credentials/certificate.js";
import { signVcJwt } from "../src/credentials/jwt.js";
import { toInstant } from "../src/domain/time.js";
import { accreditedProvider, eventWithParticipants, issued, participants, PUBLIC_URL, startSenim, type TestSenim } from "./helpers.js";
import { CHECKS } from "../src/credentials/checks.js";

let s: TestSenim;
beforeEach(async () => {
  s = await startSenim();
});
afterEach(async () => s.close());

const count = async (table: "certificates" | "participants") =>
  Number((await s.db.selectFrom(table).select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow()).n);

/** 12.3, 11.1: every event names its trainers, each with the field of their experience. */
const TRAINERS = [{ name: "Сейтқали Ә.", field: "Азаматтық процесс, 12 жыл адвокаттық практика" }];

const decode = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString());

describe("events (5.1, 10.6, 12.3)", () => {
  it("10.6: stores the duration in minutes and shows academic hours of 45 minutes", async () => {
    const { token } = await accreditedProvider(s);
    const ev = await eventWithParticipants(s, token, { durationMinutes: 270 });
    expect(ev).toMatchObject({ durationMinutes: 270, academicHours: 6 });
    const odd = await eventWithParticipants(s, token, { durationMinutes: 100 });
    expect(odd.academicHours).toBe(2.2);
  });

  it("5.1.2–5.1.3: an organisation's seminar counts only when organised jointly with a bar", async () => {
    const { token } = await accreditedProvider(s, { kind: "organisation" });
    const body = { topic: "Медиация", programme: "civil", form: "seminar", deliveryMode: "online", place: "Zoom", startsAt: "2026-05-01T10:00:00+05:00", endsAt: "2026-05-01T13:00:00+05:00", durationMinutes: 135, trainers: TRAINERS };
    const refused = await s.call("POST", "/api/events", { token, body });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe("form_requires_centre");
    const joint = await s.call("POST", "/api/events", { token, body: { ...body, coOrganiserBarId: "almaty-city" } });
    expect(joint.status).toBe(201);
    // 5.1(3): recorded as awaiting the co-organising bar's confirmation.
    expect(joint.body.coOrganisation).toEqual({ state: "pending", decidedAt: null, decidedBy: null });
  });

  it("12.3, 11.1: an event keeps each trainer with the field of their experience, and names at least one", async () => {
    const { token } = await accreditedProvider(s);
    const ev = await eventWithParticipants(s, token);
    expect(ev.trainers).toEqual([{ name: "Сейтқали Ә.", field: "Қылмыстық процесс, 15 жыл адвокаттық практика" }]);
    expect(ev.coOrganisation).toBeUndefined();
    const body = { topic: "T", programme: "civil", form: "course", deliveryMode: "online", place: "P", startsAt: "2026-05-01T10:00:00+05:00", endsAt: "2026-05-01T11:00:00+05:00", durationMinutes: 45 };
    const none = await s.call("POST", "/api/events", { token, body: { ...body, trainers: [] }, headers: { "accept-language": "en" } });
    expect(none.status).toBe(400);
    expect(none.body.errors.map((e: any) => e.code)).toEqual(["trainers-required"]);
  });

  it("refuses a duration longer than the event and names the bad fields", async () => {
    const { token } = await accreditedProvider(s);
    const res = await s.call("POST", "/api/events", { token, body: { topic: "T", programme: "civil", form: "course", deliveryMode: "online", place: "P", startsAt: "2026-05-01T10:00:00+05:00", endsAt: "2026-05-01T11:00:00+05:00", durationMinutes: 120, trainers: TRAINERS } });
    expect(res.status).toBe(422);
    const bad = await s.call("POST", "/api/events", { token, body: { topic: "", programme: "law", form: "course", deliveryMode: "online", place: "P", startsAt: "x", endsAt: "y", durationMinutes: -1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.path)).toEqual(expect.arrayContaining(["topic", "programme", "durationMinutes"]));
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
  });

  it("only providers create events; another provider's event is not found", async () => {
    const body = { topic: "T", programme: "civil", form: "course", deliveryMode: "online", place: "P", startsAt: "2026-05-01T10:00:00+05:00", endsAt: "2026-05-01T11:00:00+05:00", durationMinutes: 45, trainers: TRAINERS };
    expect((await s.call("POST", "/api/events", { token: s.adminToken, body })).status).toBe(403);
    expect((await s.call("POST", "/api/events", { body: {} })).status).toBe(401); // who, before what
    const a = await accreditedProvider(s);
    const b = await accreditedProvider(s);
    const ev = await eventWithParticipants(s, a.token);
    expect((await s.call("POST", `/api/events/${ev.id}/certificates`, { token: b.token })).status).toBe(404);
    expect((await s.call("GET", `/api/events/${ev.id}/participants`, { token: b.token })).status).toBe(404);
    expect((await s.call("GET", `/api/events/${ev.id}`, { token: b.token })).status).toBe(404);
    expect((await s.call("GET", `/api/events/${ev.id}`, { token: a.token })).body).toMatchObject({ id: ev.id, durationMinutes: 360, academicHours: 8 });
    expect((await s.call("GET", `/api/events/${ev.id}`)).status).toBe(401);
  });
});

describe("participant lists (12.3)", () => {
  it("validates the whole list first: a bad row stores nothing and every bad row is reported", async () => {
    const { token } = await accreditedProvider(s);
    const ev = await eventWithParticipants(s, token, { n: 2 });
    const list = participants(5);
    list[2]!.barId = "atlantis";
    list[4]!.licenceNumber = list[1]!.licenceNumber;
    const res = await s.call("PUT", `/api/events/${ev.id}/participants`, { token, body: { participants: list } });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { path: "participants/2/barId", code: "bar-id-unknown", message: "unknown bar" },
      { path: "participants/4/licenceNumber", code: "licence-duplicate", params: { first: 1 }, message: "duplicates participants/1" },
    ]);
    expect(await count("participants")).toBe(2);
  });

  it("keeps certified participants: removing or renaming one is refused (409) and changes nothing", async () => {
    const { provider, event } = await issued(s, 3);
    const list = participants(3);
    list[1]!.fullName = "Басқа Адам";
    const res = await s.call("PUT", `/api/events/${event.id}/participants`, { token: provider.token, body: { participants: list } });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("participants_locked");
    expect(await count("participants")).toBe(3);
  });
});

describe("issuing (5.1, 7.5, 9)", () => {
  it("7.5: issues one certificate per participant naming organiser, topic and academic hours, as an OB 3.0 vc+jwt", async () => {
    const { provider, event, certificates } = await issued(s, 3);
    expect(certificates).toHaveLength(3);
    const got = await s.call("GET", `/api/certificates/${certificates[0]!.id}`);
    expect(got.status).toBe(200);
    expect(got.body.url).toBe(`${PUBLIC_URL}/c/${certificates[0]!.id}`);
    const header = JSON.parse(Buffer.from(got.body.jwt.split(".")[0], "base64url").toString());
    expect(header).toEqual({ alg: "EdDSA", typ: "vc+jwt", cty: "vc", kid: expect.stringMatching(new RegExp(`^${provider.party.did}#key-`)) });
    const vc = decode(got.body.jwt);
    expect(vc).toEqual(got.body.credential);
    expect(vc["@context"]).toEqual(["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json", "https://w3id.org/senim/cle/v1"]);
    expect(vc.type).toEqual(["VerifiableCredential", "OpenBadgeCredential"]);
    expect(vc.issuer).toEqual({ id: provider.party.did, type: ["Profile"], name: provider.party.name });
    expect(vc.validFrom).toBe(s.clock.now());
    const a = vc.credentialSubject.achievement;
    expect(a).toMatchObject({ name: event.topic, academicHours: 8, creditsAvailable: 8, durationMinutes: 360, academicHourMinutes: 45, programme: "criminal", educationForm: "course" });
    expect(a.criteria.narrative).toContain("one academic hour is 45 minutes");
    expect(vc.credentialStatus).toMatchObject({ type: "BitstringStatusListEntry", statusPurpose: "revocation", statusListCredential: expect.stringMatching(`^${PUBLIC_URL}/status/`) });
    expect(vc.credentialSubject.participationRole).toMatch(/attendee|teacher/);
  });

  it("never writes the licence number or e-mail in clear into a certificate", async () => {
    const { certificates } = await issued(s, 2);
    const { jwt, credential } = (await s.call("GET", `/api/certificates/${certificates[1]!.id}`)).body;
    const text = JSON.stringify(credential) + Buffer.from(jwt.split(".")[1], "base64url").toString();
    expect(text).not.toContain("100001");
    expect(text).not.toContain("@example.kz");
    const licence = credential.credentialSubject.identifier.find((i: any) => i.identityType === "ext:advocateLicence");
    const { createHash } = await import("node:crypto");
    expect(licence.identityHash).toBe("sha256$" + createHash("sha256").update("100001" + licence.salt).digest("hex"));
    expect(credential.credentialSubject.licenceHint).toBe("••••01");
  });

  it("is idempotent: a retry creates nothing new and returns the same certificates", async () => {
    const { provider, event, certificates } = await issued(s, 4);
    const again = await s.call("POST", `/api/events/${event.id}/certificates`, { token: provider.token });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ issued: 0, alreadyIssued: 4 });
    expect(again.body.certificates.map((c: any) => c.id).sort()).toEqual(certificates.map((c) => c.id).sort());
    expect(await count("certificates")).toBe(4);
  });

  it("honours Idempotency-Key: a replay returns the first response; the key on another request is refused", async () => {
    const { token } = await accreditedProvider(s);
    const ev = await eventWithParticipants(s, token, { n: 2 });
    const headers = { "idempotency-key": "issue-2026-06-01-a" };
    const first = await s.call("POST", `/api/events/${ev.id}/certificates`, { token, headers });
    expect(first.status).toBe(201);
    const replay = await s.call("POST", `/api/events/${ev.id}/certificates`, { token, headers });
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    // The first response, except the one-time survey links: secrets are never stored, so a replay cannot repeat them (7.5).
    expect(first.body.certificates.every((c: any) => typeof c.survey === "string")).toBe(true);
    expect(replay.body).toEqual({ ...first.body, certificates: first.body.certificates.map((c: any) => ({ ...c, survey: null, participantPdf: null })) });
    const other = await eventWithParticipants(s, token, { n: 1 });
    const reused = await s.call("POST", `/api/events/${other.id}/certificates`, { token, headers });
    expect(reused.status).toBe(409);
    expect(reused.body.code).toBe("idempotency_key_reused");
    expect(await count("certificates")).toBe(2);
    // Keys are remembered for 24 hours; then the same key may name a new request, and old entries are pruned.
    s.clock.advance(24 * 3_600_000 + 1_000);
    const later = await s.call("POST", `/api/events/${other.id}/certificates`, { token, headers });
    expect(later.status).toBe(201);
    expect(later.headers.get("idempotent-replayed")).toBeNull();
    expect((await s.db.selectFrom("idempotency_keys").selectAll().execute()).map((r) => r.created_at)).toEqual([s.clock.now()]);
  });

  it("two concurrent issuing requests for one event certify each participant exactly once", async () => {
    const { token } = await accreditedProvider(s);
    const ev = await eventWithParticipants(s, token, { n: 300 });
    const [a, b] = await Promise.all([
      s.call("POST", `/api/events/${ev.id}/certificates`, { token }),
      s.call("POST", `/api/events/${ev.id}/certificates`, { token }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 201].sort());
    expect(a.body.issued + b.body.issued).toBe(300);
    const ids = (r: typeof a) => r.body.certificates.map((c: any) => c.id).sort();
    expect(ids(a)).toEqual(ids(b));
    expect(await count("certificates")).toBe(300);
  });

  it("binds the certificate to the participant's wallet DID when the list gives one", async () => {
    const { token } = await accreditedProvider(s);
    const ev = await eventWithParticipants(s, token, { n: 1 });
    const holder = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";
    await s.call("PUT", `/api/events/${ev.id}/participants`, { token, body: { participants: [{ ...participants(1)[0], walletDid: holder }] } });
    const res = await s.call("POST", `/api/events/${ev.id}/certificates`, { token });
    const cert = (await s.call("GET", `/api/certificates/${res.body.certificates[0].id}`)).body;
    expect(cert.credential.credentialSubject.id).toBe(holder);
    const verified = await s.call("POST", "/api/verify", { body: { jwt: cert.jwt } });
    expect(verified.body.summary.participant.holder).toBe(holder);
    const bad = await s.call("PUT", `/api/events/${ev.id}/participants`, { token, body: { participants: [{ ...participants(1)[0], walletDid: "not a did" }] } });
    expect(bad.status).toBe(400);
  });

  it("a failure part-way leaves nothing half-issued, and a retry then issues everyone once", async () => {
    const { token } = await accreditedProvider(s);
    const ev = await eventWithParticipants(s, token, { n: 1200 });
    // A real storage failure in the middle of the batch (after 700 rows), raised by SQLite itself.
    await sql`CREATE TRIGGER fail_midway BEFORE INSERT ON certificates WHEN (SELECT count(*) FROM certificates) >= 700 BEGIN SELECT RAISE(ABORT, 'simulated storage failure'); END`.execute(s.db);
    const failed = await s.call("POST", `/api/events/${ev.id}/certificates`, { token });
    expect(failed.status).toBe(500);
    expect(failed.body.code).toBe("internal");
    expect(failed.text).not.toContain("simulated storage failure");
    expect(String(s.loggedErrors[0])).toContain("simulated storage failure"); // the operator's log has the cause
    expect(await count("certificates")).toBe(0);
    await sql`DROP TRIGGER fail_midway`.execute(s.db);
    const retry = await s.call("POST", `/api/events/${ev.id}/certificates`, { token });
    expect(retry.status).toBe(201);
    expect(retry.body.issued).toBe(1200);
    const indexes = await s.db.selectFrom("certificates").select(["status_list_id", "status_index"]).execute();
    expect(new Set(indexes.map((r) => `${r.status_list_id}#${r.status_index}`)).size).toBe(1200);
  });

  it("7.5: refuses to issue before the event has ended", async () => {
    const { token } = await accreditedProvider(s);
    const ev = await s.call("POST", "/api/events", { token, body: { topic: "T", programme: "civil", form: "course", deliveryMode: "online", place: "P", startsAt: toInstant(s.clock.ms + 3_600_000), endsAt: toInstant(s.clock.ms + 7_200_000), durationMinutes: 45, trainers: TRAINERS } });
    await s.call("PUT", `/api/events/${ev.body.id}/participants`, { token, body: { participants: participants(1) } });
    const res = await s.call("POST", `/api/events/${ev.body.id}/certificates`, { token });
    expect(res.status).toBe(422);
    expect(res.body.detail).toContain("7.5");
  });

  it("3.1, 9.1: the service refuses to record an event, or sign, for a party that was never accredited", async () => {
    const party = await s.call("POST", "/api/parties", { token: s.adminToken, body: { kind: "trainer", name: "Тренер", barId: "almaty-city" } });
    const key = await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "provider", partyId: party.body.id, label: "t" } });
    const res = await recordEvent(key.body.token, { startsAt: "2026-05-20T04:00:00Z", endsAt: "2026-05-20T10:00:00Z" });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: "not_accredited" });
    expect(res.body.detail).toContain("3.1, 9.1");
    expect(await count("participants")).toBe(0);
    expect(await count("certificates")).toBe(0);
  });

  it("10.1, 5.1: refuses an event outside the accreditation's programme or form scope, when it is recorded", async () => {
    const { token } = await accreditedProvider(s, { programmes: ["civil"], forms: ["course"] });
    const dates = { startsAt: "2026-05-20T04:00:00Z", endsAt: "2026-05-20T10:00:00Z" };
    const p = await recordEvent(token, { ...dates, programme: "criminal" });
    expect(p.status).toBe(422);
    expect(p.body).toMatchObject({ code: "out_of_scope", reason: "programme-out-of-scope" });
    // a centre may run trainings (5.1.2), but this accreditation covers only courses
    const f = await recordEvent(token, { ...dates, programme: "civil", form: "training" });
    expect(f.body).toMatchObject({ code: "out_of_scope", reason: "form-out-of-scope" });
    const ok = await eventWithParticipants(s, token, { programme: "civil", form: "course" });
    expect((await s.call("POST", `/api/events/${ok.id}/certificates`, { token })).status).toBe(201);
  });

  it("9.1: an expired accreditation refuses events held after it expired, not those held while it stood", async () => {
    const { token, accreditation } = await accreditedProvider(s, { validFrom: "2025-01-01", validUntil: "2026-01-01" });
    const after = await recordEvent(token, { startsAt: "2026-05-20T04:00:00Z", endsAt: "2026-05-20T10:00:00Z" });
    expect(after.status).toBe(422);
    expect(after.body).toMatchObject({ code: "not_accredited", reason: "expired" });
    const running = await recordEvent(token, { startsAt: "2025-12-30T04:00:00Z", endsAt: "2026-01-02T10:00:00Z" }); // runs past validUntil
    expect(running.body).toMatchObject({ code: "not_accredited", reason: "expired" });
    // Held in 2025 while accredited, certified in June 2026 after the expiry: granted, under that decision.
    const held = await recordEvent(token, { startsAt: "2025-11-10T04:00:00Z", endsAt: "2025-11-10T10:00:00Z" });
    expect(held.status).toBe(201);
    await s.call("PUT", `/api/events/${held.body.id}/participants`, { token, body: { participants: participants(2) } });
    const res = await s.call("POST", `/api/events/${held.body.id}/certificates`, { token });
    expect(res.status).toBe(201);
    expect(await accreditationIdsOf(held.body.id)).toEqual([accreditation.id, accreditation.id]);
  });

  it("refuses when every signing key of the provider is retired", async () => {
    const { token, party } = await accreditedProvider(s);
    await s.db.updateTable("party_keys").set({ valid_until: "2026-05-01T00:00:00Z" }).where("party_id", "=", party.id).execute();
    const ev = await eventWithParticipants(s, token);
    const res = await s.call("POST", `/api/events/${ev.id}/certificates`, { token });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe("no_active_key");
  });
});

/** Records an event over the API at the given dates (a course in criminal law unless told otherwise). */
function recordEvent(token: string, o: { startsAt: string; endsAt: string; programme?: string; form?: string; durationMinutes?: number }) {
  return s.call("POST", "/api/events", {
    token,
    body: { topic: "Дәлелдемелер", programme: o.programme ?? "criminal", form: o.form ?? "course", deliveryMode: "in-person", place: "Алматы", startsAt: o.startsAt, endsAt: o.endsAt, durationMinutes: o.durationMinutes ?? 270, trainers: TRAINERS },
  });
}

const accreditationIdsOf = async (eventId: string) =>
  (await s.db.selectFrom("certificates").select("accreditation_id").where("event_id", "=", eventId).execute()).map((r) => r.accreditation_id);

const withdraw = (accreditationId: string, decisionDate: string, effectiveFrom?: string) =>
  s.call("POST", `/api/accreditations/${accreditationId}/withdrawal`, {
    token: s.adminToken,
    body: { ground: "non-compliance", decisionNumber: "21-П", decisionDate, ...(effectiveFrom ? { effectiveFrom } : {}), reason: "No longer meets 9.1" },
  });

describe("accreditation on the training's dates, not the signing day (5.1(1), 7.1, 9.2)", () => {
  it("5.1(1), 7.1: a provider accredited in March cannot record, or certify, an event held in January", async () => {
    const { token } = await accreditedProvider(s, { validFrom: "2026-03-01" }); // the clock: 1 June 2026
    const january = await recordEvent(token, { startsAt: "2026-01-15T04:00:00Z", endsAt: "2026-01-15T10:00:00Z" });
    expect(january.status).toBe(422);
    expect(january.body).toMatchObject({ code: "not_accredited", reason: "not-yet-valid", startsAt: "2026-01-15T04:00:00Z", endsAt: "2026-01-15T10:00:00Z" });
    expect(january.body.detail).toContain("not yet accredited on the event's dates");
    // A course that began the day before the accreditation took effect: its first day was not covered.
    const straddling = await recordEvent(token, { startsAt: "2026-02-27T04:00:00Z", endsAt: "2026-03-02T10:00:00Z" });
    expect(straddling.body).toMatchObject({ code: "not_accredited", reason: "not-yet-valid" });
    expect(await s.db.selectFrom("events").select("id").execute()).toEqual([]);
    // From the accreditation's first day on, it is recorded and certified.
    const march = await recordEvent(token, { startsAt: "2026-03-02T04:00:00Z", endsAt: "2026-03-02T10:00:00Z" });
    expect(march.status).toBe(201);
  });

  it("5.1(1), 7.1: issuing checks the event's dates again, against the registry as it stands when signing", async () => {
    const { token, accreditation } = await accreditedProvider(s);
    const ev = await eventWithParticipants(s, token, { n: 2 }); // held 31 May, recorded while covered
    // The presidium's withdrawal, recorded afterwards, took effect from 20 May: the event was held after it.
    expect((await withdraw(accreditation.id, "2026-05-20")).status).toBe(201);
    const res = await s.call("POST", `/api/events/${ev.id}/certificates`, { token });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: "not_accredited", reason: "withdrawn", startsAt: ev.startsAt, endsAt: ev.endsAt });
    expect(res.body.detail).toContain("9.2");
    expect(await count("certificates")).toBe(0);
  });

  it("9.2: participants of an event held before a withdrawal are certified after it, under that decision and with a key valid today", async () => {
    const { token, accreditation, party } = await accreditedProvider(s);
    const held = await recordEvent(token, { startsAt: "2026-05-04T04:00:00Z", endsAt: "2026-05-04T10:00:00Z" });
    await s.call("PUT", `/api/events/${held.body.id}/participants`, { token, body: { participants: participants(2) } });
    expect((await withdraw(accreditation.id, "2026-05-10")).status).toBe(201);
    // The key is rotated after the event: the certificate's validFrom is today, so today's key signs it.
    s.clock.advance(3_600_000);
    const rotated = await s.call("POST", `/api/parties/${party.id}/keys/rotate`, { token });
    expect(rotated.status).toBe(200);
    s.clock.advance(3_600_000);
    const res = await s.call("POST", `/api/events/${held.body.id}/certificates`, { token });
    expect(res.status).toBe(201);
    expect(res.body.issued).toBe(2);
    expect(await accreditationIdsOf(held.body.id)).toEqual([accreditation.id, accreditation.id]);
    const cert = (await s.call("GET", `/api/certificates/${res.body.certificates[0].id}`)).body;
    expect(cert.credential.validFrom).toBe(s.clock.now());
    expect(JSON.parse(Buffer.from(cert.jwt.split(".")[0], "base64url").toString()).kid).toBe(rotated.body.active.id);
    const verified = await s.call("POST", "/api/verify", { body: { jwt: cert.jwt } });
    expect(verified.status).toBe(200);
    expect(verified.body.checks.find((c: any) => c.check === "key")).toMatchObject({ outcome: "passed" });
    expect(verified.body.checks.find((c: any) => c.check === "accreditation")).toMatchObject({ outcome: "passed" });
    // Training held after the withdrawal took effect is refused, when recorded and so never certified.
    const after = await recordEvent(token, { startsAt: "2026-05-12T04:00:00Z", endsAt: "2026-05-12T10:00:00Z" });
    expect(after.status).toBe(422);
    expect(after.body).toMatchObject({ code: "not_accredited", reason: "withdrawn" });
    // One straddling the withdrawal's effect is refused too: its last days were not covered.
    const straddling = await recordEvent(token, { startsAt: "2026-05-08T04:00:00Z", endsAt: "2026-05-11T10:00:00Z" });
    expect(straddling.body).toMatchObject({ code: "not_accredited", reason: "withdrawn" });
  });

  it("the certificate names the decision that covered the training's days, not the one in force on the signing day", async () => {
    const { token, party, accreditation: first } = await accreditedProvider(s, { validFrom: "2025-06-01", validUntil: "2026-02-01" });
    const renewal = await s.call("POST", `/api/parties/${party.id}/accreditations`, {
      token: s.adminToken,
      body: { barId: "almaty-city", decisionNumber: "30-П", decisionDate: "2026-02-01", criteria: [{ criterion: "education-licence", evidence: "Licence No. KZ-EDU-001" }], validFrom: "2026-02-01" },
    });
    expect(renewal.status).toBe(201);
    const old = await recordEvent(token, { startsAt: "2026-01-20T04:00:00Z", endsAt: "2026-01-20T10:00:00Z" });
    const recent = await eventWithParticipants(s, token, { n: 1 });
    await s.call("PUT", `/api/events/${old.body.id}/participants`, { token, body: { participants: participants(1) } });
    expect((await s.call("POST", `/api/events/${old.body.id}/certificates`, { token })).status).toBe(201);
    expect((await s.call("POST", `/api/events/${recent.id}/certificates`, { token })).status).toBe(201);
    expect(await accreditationIdsOf(old.body.id)).toEqual([first.id]);
    expect(await accreditationIdsOf(recent.id)).toEqual([renewal.body.id]);
    // Straddling the change of decision: neither covers the whole span.
    const straddling = await recordEvent(token, { startsAt: "2026-01-31T04:00:00Z", endsAt: "2026-02-02T10:00:00Z" });
    expect(straddling.body).toMatchObject({ code: "not_accredited", reason: "expired" });
  });
});

describe("events recorded late (issue 12: back-dating shown, not hidden)", () => {
  /** Signs a console in with an API key; returns a GET that carries the session cookie. */
  async function consoleAs(apiKey: string) {
    const res = await s.app.request(`${PUBLIC_URL}/console/sign-in`, { method: "POST", body: new URLSearchParams({ apiKey }), headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(res.status).toBe(303);
    const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
    return async (path: string) => (await s.app.request(`${PUBLIC_URL}${path}`, { headers: { cookie } })).text();
  }

  it("the API tells when an event was recorded and whether more than 30 days after it ended", async () => {
    const { token } = await accreditedProvider(s);
    const late = await recordEvent(token, { startsAt: "2026-04-01T04:00:00Z", endsAt: "2026-04-01T10:00:00Z" }); // recorded 1 June
    expect(late.status).toBe(201);
    expect(late.body).toMatchObject({ createdAt: s.clock.now(), recordedDaysAfterEnd: 60, recordedLate: true });
    expect((await s.call("GET", `/api/events/${late.body.id}`, { token })).body).toMatchObject({ createdAt: s.clock.now(), recordedDaysAfterEnd: 60, recordedLate: true });
    const inTime = await recordEvent(token, { startsAt: "2026-05-02T09:00:00Z", endsAt: "2026-05-02T10:00:00Z", durationMinutes: 45 }); // 30 days less 1 minute
    expect(inTime.body).toMatchObject({ recordedDaysAfterEnd: 29, recordedLate: false });
    const ahead = await recordEvent(token, { startsAt: "2026-07-01T04:00:00Z", endsAt: "2026-07-01T10:00:00Z" });
    expect(ahead.body).toMatchObject({ recordedDaysAfterEnd: 0, recordedLate: false });
    // Recording late is marked, not refused: the event is certified like any other (its dates were covered).
    await s.call("PUT", `/api/events/${late.body.id}/participants`, { token, body: { participants: participants(1) } });
    expect((await s.call("POST", `/api/events/${late.body.id}/certificates`, { token })).status).toBe(201);
  });

  it("the provider's console and the bars that registered or accredited it see the mark, in kk/ru/en; other bars do not", async () => {
    const provider = await accreditedProvider(s, { name: "Кеш орталық" });
    const late = (await recordEvent(provider.token, { startsAt: "2026-04-01T04:00:00Z", endsAt: "2026-04-01T10:00:00Z" })).body;
    const inTime = await eventWithParticipants(s, provider.token, { n: 1 });
    const own = await consoleAs(provider.token);
    const home = await own("/console?lang=en");
    expect(home).toMatch(new RegExp(`data-event="${late.id}">.*?data-recorded-late="60">⚠ recorded 60 days after it ended<`, "s"));
    expect(home).not.toMatch(new RegExp(`data-event="${inTime.id}">((?!</tr>).)*data-recorded-late`, "s"));
    const page = await own(`/console/events/${late.id}?lang=en`);
    expect(page).toContain("Recorded</dt><dd>2026-06-01 14:00");
    expect(page).toContain('data-recorded-late="60"');
    expect(await own(`/console/events/${inTime.id}`)).not.toContain("data-recorded-late");
    for (const [lang, text] of [["kk", "аяқталғаннан 60 күннен кейін тіркелген"], ["ru", "внесено через 60 дн. после окончания"]] as const) {
      expect(await own(`/console/events/${late.id}?lang=${lang}`)).toContain(text);
    }

    const barKey = async (barId: string) => (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId, label: "registry office" } })).body.token as string;
    const bar = await consoleAs(await barKey("almaty-city"));
    for (const [lang, heading] of [["en", "Events recorded late (more than 30 days after they ended)"], ["ru", "Мероприятия, внесённые с опозданием"], ["kk", "Кеш тіркелген іс-шаралар"]] as const) {
      const barHome = await bar(`/console?lang=${lang}`);
      expect(barHome).toContain(heading);
      expect(barHome).toContain(`data-late-event="${late.id}" data-party="${provider.party.id}" data-days="60"`);
      expect(barHome).not.toContain(`data-late-event="${inTime.id}"`);
    }
    expect(await (await consoleAs(s.adminToken))("/console")).toContain(`data-late-event="${late.id}"`);
    const other = await (await consoleAs(await barKey("astana-city")))("/console?lang=en");
    expect(other).not.toContain(`data-late-event="${late.id}"`);
    expect(other).not.toContain("Events recorded late");
  });
});

describe("verification outcomes", () => {
  it("a certificate signed with a retired key but dated after its retirement fails the key check", async () => {
    const { provider, event } = await issued(s, 1);
    const issuedAt = s.clock.now();
    const oldSigner = await s.services.registry.signerFor(provider.party.id, issuedAt);
    s.clock.advance(60_000);
    await s.call("POST", `/api/parties/${provider.party.id}/keys/rotate`, { token: provider.token });
    s.clock.advance(60_000);
    const stored = (await s.services.issuance.listParticipants({ role: "provider", keyId: "t", partyId: provider.party.id }, event.id))[0]!;
    const cert = (await s.call("GET", `/api/certificates/${stored.certificateId}`)).body.credential;
    // Same content, re-dated after the rotation, signed with the retired key.
    const forged = await signVcJwt({ ...cert, validFrom: s.clock.now() }, oldSigner);
    const res = await s.call("POST", "/api/verify", { body: { jwt: forged } });
    expect(res.status).toBe(422);
    expect(res.body.checks.find((c: any) => c.check === "signature").outcome).toBe("passed");
    expect(res.body.checks.find((c: any) => c.check === "key")).toMatchObject({ outcome: "failed", code: "key-not-valid-at-issuance" });
  });

  it("10.1: a certificate for a programme outside the issuer's accreditation fails the accreditation check, though genuinely signed", async () => {
    const { certificates } = await issued(s, 1); // a criminal-law course
    const scoped = await accreditedProvider(s, { programmes: ["civil"] });
    const cert = (await s.call("GET", `/api/certificates/${certificates[0]!.id}`)).body.credential;
    // The scoped provider's own key signs a criminal-law certificate that the service itself would refuse to issue.
    const signer = await s.services.registry.signerFor(scoped.party.id, s.clock.now());
    const outOfScope = { ...cert, issuer: { ...cert.issuer, id: scoped.party.did, name: scoped.party.name } };
    const res = await s.call("POST", "/api/verify", { body: { jwt: await signVcJwt(outOfScope, signer) } });
    expect(res.status).toBe(422);
    expect(res.body.checks.find((c: any) => c.check === "signature").outcome).toBe("passed");
    expect(res.body.checks.find((c: any) => c.check === "accreditation")).toMatchObject({ outcome: "failed", code: "accreditation-programme-out-of-scope" });
  });

  it("3.1, 9.1: a certificate signed by a registered but never accredited party fails the accreditation check", async () => {
    const { certificates } = await issued(s, 1);
    const cert = (await s.call("GET", `/api/certificates/${certificates[0]!.id}`)).body.credential;
    const party = (await s.call("POST", "/api/parties", { token: s.adminToken, body: { kind: "trainer", name: "Аккредиттелмеген", barId: "almaty-city" } })).body;
    const signer = await s.services.registry.signerFor(party.id, s.clock.now());
    const res = await s.call("POST", "/api/verify", { body: { jwt: await signVcJwt({ ...cert, issuer: { ...cert.issuer, id: party.did, name: party.name } }, signer) } });
    expect(res.status).toBe(422);
    expect(res.body.checks.find((c: any) => c.check === "accreditation")).toMatchObject({ outcome: "failed", code: "accreditation-none" });
  });

  it("an expired certificate fails the validity check", async () => {
    const { token } = await accreditedProvider(s);
    const ev = await eventWithParticipants(s, token, { certificatesValidUntil: "2026-12-31" });
    const res = await s.call("POST", `/api/events/${ev.id}/certificates`, { token });
    const url = res.body.certificates[0].url;
    expect((await s.call("POST", "/api/verify", { body: { url } })).status).toBe(200);
    s.clock.set("2027-01-02T00:00:00Z");
    const later = await s.call("POST", "/api/verify", { body: { url } });
    expect(later.status).toBe(422);
    expect(later.body.checks.find((c: any) => c.check === "validity")).toMatchObject({ outcome: "failed", code: "expired" });
  });

  it("a certificate from an issuer outside the registry fails the accreditation check, however well signed", async () => {
    // A party whose DID is not in this registry: build a credential with a real signature by an unknown key.
    const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"])) as CryptoKeyPair;
    const credential = await buildCertificateCredential({
      certificateUrl: `${PUBLIC_URL}/c/zzzz`, issuedAt: s.clock.now(), validUntil: null,
      issuer: { did: "did:web:elsewhere.example", name: "Unknown", kind: "organisation" }, coOrganiser: null,
      event: { id: "e", topic: "T", programme: "civil", form: "course", deliveryMode: "online", place: "P", startsAt: "2026-05-01T05:00:00Z", endsAt: "2026-05-01T09:00:00Z", durationMinutes: 90, trainers: [] },
      participant: { fullName: "A", licenceNumber: "1", barId: "rba", role: "attendee", walletDid: null },
      licenceSalt: "salt", status: { entryId: `${PUBLIC_URL}/status/x#1`, listUrl: `${PUBLIC_URL}/status/x`, index: 1 }, barUrl: (b) => b,
    });
    const jwt = await signVcJwt(credential, { kid: "did:web:elsewhere.example#k", privateKey: pair.privateKey });
    const res = await s.call("POST", "/api/verify", { body: { jwt } });
    expect(res.status).toBe(422);
    expect(res.body.checks.find((c: any) => c.check === "signature")).toMatchObject({ outcome: "failed", code: "unknown-key" });
  });
});

describe("revocation", () => {
  it("the issuing provider or the accrediting bar revokes with a reason; others may not; twice is a conflict", async () => {
    const { provider, certificates } = await issued(s, 3);
    const other = await accreditedProvider(s);
    const [a, b, c] = certificates.map((x) => x.id);
    const reason = { reason: "Issued to the wrong participant" };
    expect((await s.call("POST", `/api/certificates/${a}/revocation`, { token: other.token, body: reason })).status).toBe(403);
    const rbaKey = s.adminToken; // the RBA did not accredit this provider: almaty-city did
    expect((await s.call("POST", `/api/certificates/${a}/revocation`, { token: rbaKey, body: reason })).status).toBe(403);
    const barKey = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: "almaty-city", label: "b" } })).body.token;
    expect((await s.call("POST", `/api/certificates/${a}/revocation`, { token: barKey, body: reason })).status).toBe(201);
    expect((await s.call("POST", `/api/certificates/${b}/revocation`, { token: provider.token, body: reason })).status).toBe(201);
    const twice = await s.call("POST", `/api/certificates/${b}/revocation`, { token: provider.token, body: reason });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe("already_revoked");

    const revoked = await s.call("POST", "/api/verify", { body: { url: `${PUBLIC_URL}/c/${a}` } });
    expect(revoked.status).toBe(422);
    expect(revoked.body.checks.find((x: any) => x.check === "status")).toMatchObject({ outcome: "failed", code: "revoked" });
    expect((await s.call("POST", "/api/verify", { body: { url: `${PUBLIC_URL}/c/${c}` } })).status).toBe(200);
    const page = await s.call("GET", `/c/${a}?lang=en`);
    // Issue 16: a revocation has its own banner, never the forgery's "did not pass verification".
    expect(page.text).toContain('class="verdict revoked"');
    expect(page.text).toContain("Revoked: this certificate no longer counts");
    expect(page.text).toContain("Issued to the wrong participant");
  });
});

describe("the certificate page (QR target)", () => {
  it("shows dates and times in Kazakhstan time (UTC+05:00), not UTC", async () => {
    s.clock.set("2026-06-01T20:30:00Z"); // already 2 June in Almaty
    const { certificates } = await issued(s, 1);
    const page = await s.call("GET", `/c/${certificates[0]!.id}?lang=en`);
    expect(page.text).toMatch(/Issued<\/dt><dd>2026-06-02</);
    // the event ended a day before the clock, 8 hours long: 2026-05-31 17:30 – 2026-06-01 01:30 UTC+5
    expect(page.text).toContain("2026-05-31 17:30 – 2026-06-01 01:30");
  });

  it("shows organiser, topic, programme, hours, dates, place, participant and every check, in kk/ru/en, without e-mail or full licence", async () => {
    const { certificates, provider } = await issued(s, 2);
    const id = certificates[1]!.id;
    const expectations = { kk: ["Сертификат түпнұсқа", "Академиялық сағат"], ru: ["Сертификат подлинный", "Академических часов"], en: ["This certificate is genuine", "Academic hours"] } as const;
    for (const [lang, texts] of Object.entries(expectations)) {
      const byHeader = await s.call("GET", `/c/${id}`, { headers: { "accept-language": lang } });
      const bySwitch = await s.call("GET", `/c/${id}?lang=${lang}`, { headers: { "accept-language": "de" } });
      for (const page of [byHeader, bySwitch]) {
        expect(page.status).toBe(200);
        for (const t of texts) expect(page.text).toContain(t);
        expect(page.text).toContain(provider.party.name);
        expect(page.text).toContain(lang === "en" ? "8.0" : "8,0"); // the page's own decimal separator
        expect(page.text).toContain("Қатысушы 2");
        expect(page.text).toContain("••••01");
        expect(page.text).toContain({ kk: "Алматы қалалық адвокаттар алқасы", ru: "Алматинская городская коллегия адвокатов", en: "Almaty City Bar Association" }[lang]);
        expect(page.text).not.toContain("100001");
        expect(page.text).not.toContain("@example.kz");
        expect(page.text.match(/data-outcome="passed"/g)).toHaveLength(CHECKS.length);
      }
    }
    const jwt = await s.call("GET", `/c/${id}/credential.jwt`);
    expect(jwt.headers.get("content-type")).toBe("application/vc+jwt");
    const json = await s.call("GET", `/c/${id}/credential.json`);
    expect(json.body.id).toBe(`${PUBLIC_URL}/c/${id}`);
    expect((await s.call("GET", "/c/nosuchcertificate")).status).toBe(404);
  });
});
