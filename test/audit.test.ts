/**
 * Issue 17, the hash-chained audit log, on SQLite, PostgreSQL and D1 (workerd): the acts (registering and accrediting
 * a provider, creating API keys, recording an event, issuing, revoking) write their entries in the same atomic write,
 * with the acting role and key id and never a token or a licence; the chain verifies, and an UPDATE of one column or
 * a DELETE of one row in the database is named by `verifyChain`; an act that fails leaves no entry; the checkpoint is a
 * JWS that verifies with the RBA's key from its DID document; GET /api/audit is scoped (RBA all, a bar its own,
 * providers 403). On PostgreSQL 60 concurrent audited writes land as one gapless, unbroken chain (the optimistic
 * retries). On SQLite `npm run audit:verify`, as a child process, names a tampered entry and exits 1.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { importJWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEntry } from "../src/domain/audit.js";
import { audited, verifyChain } from "../src/lib/audit-chain.js";
import type { Principal } from "../src/domain/authz.js";
import { verifyCheckpoint } from "../src/registry/audit.js";
import { KyselyAuditStore } from "../src/storage/audit-store.js";
import { KyselyRegistryStore } from "../src/storage/registry-store.js";
import { DATABASE_KINDS } from "./databases.js";
import { accreditedProvider, eventWithParticipants, issued, startSenim, type TestSenim } from "./helpers.js";

const run = promisify(execFile);

async function allEntries(s: TestSenim): Promise<AuditEntry[]> {
  const r = await s.call("GET", "/api/audit?limit=1000", { token: s.adminToken });
  expect(r.status).toBe(200);
  return r.body.entries;
}

describe.each(DATABASE_KINDS)("audit log on %s", (kind) => {
  let s: TestSenim;
  let store: KyselyAuditStore;
  let fixture: Awaited<ReturnType<typeof issued>>;
  let barToken: string;
  let otherBarToken: string;
  const rba: Principal = { role: "rba-admin", keyId: "env" };

  beforeAll(async () => {
    s = await startSenim({ database: kind });
    store = new KyselyAuditStore(s.storeDb);
    fixture = await issued(s, 3);
    const revoked = await s.call("POST", `/api/certificates/${fixture.certificates[0]!.id}/revocation`, { token: fixture.provider.token, body: { reason: "error in the name" } });
    expect(revoked.status).toBe(201);
    barToken = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: "almaty-city", label: "audit" } })).body.token;
    otherBarToken = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: "astana-city", label: "audit" } })).body.token;
  }, 60_000);
  afterAll(async () => s?.close());

  it("each act writes one entry: who acted (role, key id), what, on which ids, for which bar", async () => {
    const entries = await allEntries(s);
    expect(entries.map((e) => e.action)).toEqual([
      "party.registered",
      "accreditation.recorded",
      "api-key.created",
      "event.recorded",
      "certificates.issued",
      "certificate.revoked",
      "api-key.created",
      "api-key.created",
    ]);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const [party, accreditation, providerKey, event, issuing, revocation] = entries;
    expect(party!.actor).toEqual({ role: "rba-admin", keyId: "env" });
    expect(party!.subjects[0]).toBe(fixture.provider.party.id);
    expect(accreditation!.subjects).toEqual([fixture.provider.accreditation.id, fixture.provider.party.id]);
    expect(accreditation!.barId).toBe("almaty-city");
    expect(providerKey!.barId).toBe("almaty-city"); // the provider's registering bar
    expect(event!.actor.role).toBe("provider");
    expect(event!.subjects[0]).toBe(fixture.event.id);
    // One entry per issuing call: the event, and the digest of the sorted certificate ids.
    expect(issuing!.subjects).toEqual([fixture.event.id]);
    const ids = fixture.certificates.map((c) => c.id).sort();
    const expected = await audited({ at: issuing!.at, principal: { role: "provider", keyId: issuing!.actor.keyId, partyId: "x" }, action: "certificates.issued", barId: "almaty-city", subjects: [], content: { eventId: fixture.event.id, certificateIds: ids } });
    expect(issuing!.digest).toBe(expected.draft.digest);
    expect(revocation!.subjects).toEqual([fixture.certificates[0]!.id]);
    expect(revocation!.actor).toEqual(event!.actor); // the provider's key id, the same key
    expect(await verifyChain(entries)).toMatchObject({ ok: true, count: 8, head: { seq: 8, hash: entries[7]!.hash } });
  });

  it("no token, token hash or licence is in any stored entry", async () => {
    const rows = await s.db.selectFrom("audit_entries").selectAll().execute();
    const text = JSON.stringify(rows.map((r) => ({ ...r, digest: "", hash: "", prev_hash: "" })));
    for (const token of [s.adminToken, fixture.provider.token, barToken, otherBarToken]) expect(text).not.toContain(token);
    const hashes = await s.db.selectFrom("api_keys").select("token_hash").execute();
    for (const h of hashes) expect(JSON.stringify(rows)).not.toContain(h.token_hash);
    for (const licence of ["100000", "100001", "100002"]) expect(text).not.toContain(licence);
  });

  it("an act that fails leaves no entry: a refused revocation, and a store write whose own statement fails", async () => {
    const before = await store.head();
    const again = await s.call("POST", `/api/certificates/${fixture.certificates[0]!.id}/revocation`, { token: fixture.provider.token, body: { reason: "again" } });
    expect(again.status).toBe(409);
    // The accreditation's id exists already: the INSERT fails, and with it the entry in the same batch.
    const registry = new KyselyRegistryStore(s.storeDb);
    const a = { ...fixture.provider.accreditation, withdrawal: null, violationCount: 0, programmes: null, forms: null, criteria: [] };
    const audit = await audited({ at: s.clock.now(), principal: rba, action: "accreditation.recorded", barId: "almaty-city", subjects: [a.id], content: a });
    await expect(registry.insertAccreditation(a, { recordedAt: s.clock.now(), recordedBy: "rba-admin:env" }, audit)).rejects.toThrow();
    expect(await store.head()).toEqual(before);
  });

  it("an UPDATE of one column, or a DELETE of one row, is named by the verifier", async () => {
    const entries = await allEntries(s);
    const original = await s.db.selectFrom("audit_entries").selectAll().where("seq", "=", 4).executeTakeFirstOrThrow();
    await s.db.updateTable("audit_entries").set({ subjects: JSON.stringify(["someone-else"]) }).where("seq", "=", 4).execute();
    expect(await verifyChain(await allEntries(s))).toMatchObject({ ok: false, seq: 4, reason: "hash" });
    await s.db.updateTable("audit_entries").set({ subjects: original.subjects }).where("seq", "=", 4).execute();
    expect((await verifyChain(await allEntries(s))).ok).toBe(true);
    await s.db.updateTable("audit_entries").set({ actor_key_id: "forged" }).where("seq", "=", 2).execute();
    expect(await verifyChain(await allEntries(s))).toMatchObject({ ok: false, seq: 2, reason: "hash" });
    await s.db.updateTable("audit_entries").set({ actor_key_id: entries[1]!.actor.keyId }).where("seq", "=", 2).execute();
    await s.db.deleteFrom("audit_entries").where("seq", "=", 5).execute();
    expect(await verifyChain(await allEntries(s))).toMatchObject({ ok: false, seq: 6, reason: "seq" });
    const five = await s.db.selectFrom("audit_entries").selectAll().where("seq", "=", 6).executeTakeFirstOrThrow();
    // Renumbering the rest to close the gap still breaks the link: entry 6, now 5, names the deleted one's hash.
    await s.db.updateTable("audit_entries").set({ seq: 5 }).where("seq", "=", 6).execute();
    expect(await verifyChain(await allEntries(s))).toMatchObject({ ok: false, seq: 5, reason: "link" });
    await s.db.updateTable("audit_entries").set({ seq: 6 }).where("seq", "=", 5).execute();
    const e5 = entries[4]!;
    await s.db
      .insertInto("audit_entries")
      .values({ seq: 5, at: e5.at, actor_role: e5.actor.role, actor_key_id: e5.actor.keyId, action: e5.action, bar_id: e5.barId, subjects: JSON.stringify(e5.subjects), digest: e5.digest, prev_hash: e5.prevHash, hash: e5.hash, once_key: null })
      .execute();
    expect(five.seq).toBe(6);
    expect((await verifyChain(await allEntries(s))).ok).toBe(true);
  });

  it("the checkpoint is a JWS over the head that verifies with the RBA's key from its DID document", async () => {
    expect((await s.call("POST", "/api/audit/checkpoints", { token: barToken })).status).toBe(403);
    const made = await s.call("POST", "/api/audit/checkpoints", { token: s.adminToken });
    expect(made.status).toBe(201);
    const head = await store.head();
    expect(made.body).toMatchObject({ seq: head.seq, hash: head.hash });
    const published = await s.call("GET", "/audit/checkpoint");
    expect(published.status).toBe(200);
    expect(published.body.jws).toBe(made.body.jws);
    const did = await s.call("GET", "/bars/rba/did.json");
    expect(did.status).toBe(200);
    const keyFor = async (kid: string) => {
      const vm = (did.body.verificationMethod as { id: string; publicKeyJwk: Record<string, string> }[]).find((m) => m.id === kid);
      return vm && ((await importJWK(vm.publicKeyJwk, "EdDSA")) as CryptoKey);
    };
    const verdict = await verifyCheckpoint(published.body.jws, keyFor);
    expect(verdict).toMatchObject({ ok: true, claims: { iss: did.body.id, seq: head.seq, hash: head.hash } });
    // Another key (a bar's) does not verify it.
    const other = await s.call("GET", "/bars/almaty-city/did.json");
    const wrong = other.status === 200 ? ((await importJWK(other.body.verificationMethod[0].publicKeyJwk, "EdDSA")) as CryptoKey) : undefined;
    if (wrong) expect((await verifyCheckpoint(published.body.jws, async () => wrong)).ok).toBe(false);
    // The daily job does nothing while the checkpoint is fresh, and signs again a day later once the log has grown.
    expect(await s.services.audit!.checkpointIfDue()).toBeUndefined();
    await s.services.registry.createApiKey(rba, { role: "bar-admin", barId: "astana-city", label: "later" });
    s.clock.advance(86_400_000);
    expect(await s.services.audit!.checkpointIfDue()).toMatchObject({ seq: head.seq + 1 });
  });

  it("GET /api/audit: the RBA reads every entry, a bar its own, a provider none", async () => {
    const all = await allEntries(s);
    const own = await s.call("GET", "/api/audit?limit=1000", { token: barToken });
    expect(own.status).toBe(200);
    expect(own.body.entries.length).toBeGreaterThan(0);
    expect(own.body.entries.every((e: AuditEntry) => e.barId === "almaty-city")).toBe(true);
    expect(own.body.entries.length).toBe(all.filter((e) => e.barId === "almaty-city").length);
    const other = await s.call("GET", "/api/audit?limit=1000", { token: otherBarToken });
    expect(other.body.entries.every((e: AuditEntry) => e.barId === "astana-city")).toBe(true);
    const page = await s.call("GET", "/api/audit?after=2&limit=3", { token: s.adminToken });
    expect(page.body.entries.map((e: AuditEntry) => e.seq)).toEqual([3, 4, 5]);
    const refused = await s.call("GET", "/api/audit", { token: fixture.provider.token, headers: { "accept-language": "ru" } });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toContain("аудита");
    expect((await s.call("GET", "/api/audit?limit=1001", { token: s.adminToken })).status).toBe(400);
    expect((await s.call("GET", "/api/audit")).status).toBe(401);
  });

  it("VC API: issuing writes one entry; each suspension, lift and revocation one, also when sent concurrently", async () => {
    const { token, party } = fixture.provider;
    const credential = { "@context": ["https://www.w3.org/ns/credentials/v2"], type: ["VerifiableCredential"], id: `urn:uuid:${crypto.randomUUID()}`, issuer: party.did, credentialSubject: { id: "did:example:advocate" } };
    const before = await store.head();
    const issuedVc = await s.call("POST", "/credentials/issue", { token, body: { credential, options: { credentialStatus: [{ statusPurpose: "revocation" }, { statusPurpose: "suspension" }] } } });
    expect(issuedVc.status, issuedVc.text).toBe(201);
    const [issuing] = (await allEntries(s)).filter((e) => e.seq > before.seq);
    expect(issuing).toMatchObject({ action: "credential.issued", barId: "almaty-city", actor: { role: "provider" } });
    const apiId = issuing!.subjects[0]!;
    const mine = async () => (await allEntries(s)).filter((e) => e.subjects[0] === apiId && e.action !== "credential.issued");
    const setStatus = (statusPurpose: string, status: boolean) =>
      s.call("POST", "/credentials/status", { token, body: { credentialId: credential.id, credentialStatus: { type: "BitstringStatusListEntry", statusPurpose }, status } });

    // The same suspension sent many times at once: one change, one entry; every caller is told it is suspended.
    // Hundreds where a pool runs statements in parallel (PostgreSQL); SQLite and D1 run one statement at a time.
    const n = kind === "postgres" ? 200 : 40;
    const same = await Promise.all(Array.from({ length: n }, () => setStatus("suspension", true)));
    expect(same.map((r) => r.status)).toEqual(Array(n).fill(200));
    expect((await mine()).map((e) => e.action)).toEqual(["credential.suspended"]);

    // Suspensions and lifts at once: each change that happened is one entry, and they alternate; a caller whose
    // change could not be placed is told 409, never that it happened.
    const mixed = await Promise.all(Array.from({ length: n }, (_, i) => setStatus("suspension", i % 2 === 1)));
    expect(mixed.every((r) => r.status === 200 || r.status === 409), JSON.stringify(mixed.map((r) => r.status)) + String((s.loggedErrors.at(-1) as Error | undefined)?.stack ?? "")).toBe(true);
    const changes = await mine();
    changes.forEach((e, i) => expect(e.action).toBe(i % 2 === 0 ? "credential.suspended" : "credential.reinstated"));
    const row = await s.db.selectFrom("status_entries").select(["changes", "set_at"]).where("subject", "=", `credential:${apiId}`).where("changes", ">", 0).executeTakeFirstOrThrow();
    expect(Number(row.changes)).toBe(changes.length);
    expect(row.set_at === null).toBe(changes.at(-1)!.action === "credential.reinstated");

    const revoked = await Promise.all(Array.from({ length: 10 }, () => setStatus("revocation", true)));
    expect(revoked.filter((r) => r.status === 200)).toHaveLength(1);
    expect(revoked.filter((r) => r.status === 409).every((r) => r.body.code === "already_revoked")).toBe(true);
    expect((await mine()).filter((e) => e.action === "credential.revoked")).toHaveLength(1);
    expect((await verifyChain(await allEntries(s))).ok).toBe(true);
  }, 120_000);

  it("a party's details corrected (8.3), a co-organisation answered once (5.1(3)), a programme's content approved (10.3)", async () => {
    const before = await store.head();
    const party = fixture.provider.party.id;
    expect((await s.call("PATCH", `/api/parties/${party}`, { token: barToken, body: { city: "Алматы", website: "https://centre.example.kz" } })).status).toBe(200);

    const shymkent = await accreditedProvider(s, { barId: "shymkent-city", name: "Шымкент орталығы" });
    const end = s.clock.ms - 86_400_000;
    const joint = await s.call("POST", "/api/events", {
      token: shymkent.token,
      body: {
        topic: "Бірлескен курс", programme: "criminal", form: "course", deliveryMode: "in-person", place: "Шымкент", coOrganiserBarId: "almaty-city",
        startsAt: new Date(end - 8 * 3_600_000).toISOString(), endsAt: new Date(end).toISOString(), durationMinutes: 360,
        trainers: [{ name: "Сейтқали Ә.", field: "Қылмыстық процесс" }],
      },
    });
    expect(joint.status, joint.text).toBe(201);
    // Answers sent at once: the first stands, it alone is logged, the others are told it was answered.
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => s.call("POST", `/api/events/${joint.body.id}/co-organisation`, { token: barToken, body: { decision: i % 2 ? "confirm" : "decline" } })));
    expect(answers.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(1);
    expect(answers.every((r) => r.status === 200 || r.status === 409 || r.status === 422), JSON.stringify(answers.map((r) => r.status)) + String((s.loggedErrors.at(-1) as Error | undefined)?.stack ?? "")).toBe(true);

    const approval = { content: { ru: "1. Доказательства в уголовном процессе." }, decisionNumber: "21-П", decisionDate: new Date(s.clock.ms - 86_400_000).toISOString().slice(0, 10) };
    const approved = await s.call("PUT", "/api/bars/almaty-city/programmes/criminal/content", { token: barToken, body: approval });
    expect(approved.status, approved.text).toBe(200);

    const entries = (await allEntries(s)).filter((e) => e.seq > before.seq);
    const corrected = entries.find((e) => e.action === "party.details.corrected")!;
    expect(corrected).toMatchObject({ barId: "almaty-city", subjects: [party], actor: { role: "bar-admin" } });
    const answered = entries.filter((e) => e.action === "co-organisation.answered");
    expect(answered).toHaveLength(1);
    expect(answered[0]).toMatchObject({ barId: "almaty-city", subjects: [joint.body.id] });
    const event = await s.call("GET", `/api/events/${joint.body.id}`, { token: shymkent.token });
    const state = event.body.coOrganisation.state as string;
    const expected = await audited({ at: answered[0]!.at, principal: { role: "bar-admin", keyId: "x", barId: "almaty-city" }, action: "co-organisation.answered", barId: "almaty-city", subjects: [], content: { eventId: joint.body.id, state, at: answered[0]!.at } });
    expect(answered[0]!.digest).toBe(expected.draft.digest); // the entry is of the answer that stood
    expect(entries.filter((e) => e.action === "programme-content.approved")).toMatchObject([{ barId: "almaty-city" }]);
    expect((await verifyChain(await allEntries(s))).ok).toBe(true);
  }, 60_000);

  it("a bar's verifier key rotated: one entry per rotation that happened, concurrent ones from the same key refused", async () => {
    const before = await store.head();
    const rotate = () => s.call("POST", "/api/bars/almaty-city/verifier-key/rotation", { token: barToken, body: {} });
    expect((await rotate()).status).toBe(201); // the first makes the key to retire
    const burst = await Promise.all(Array.from({ length: 10 }, rotate));
    expect(burst.every((r) => r.status === 201 || r.status === 409), JSON.stringify(burst.map((r) => r.status))).toBe(true);
    const entries = (await allEntries(s)).filter((e) => e.seq > before.seq && e.action === "verifier-key.rotated");
    expect(entries).toHaveLength(1 + burst.filter((r) => r.status === 201).length);
    expect(new Set(entries.map((e) => e.subjects[1])).size).toBe(entries.length); // each retired a different key
    expect(entries.every((e) => e.barId === "almaty-city")).toBe(true);
    expect((await verifyChain(await allEntries(s))).ok).toBe(true);
  }, 60_000);

  it("a bar's members, suspensions (2.3) and policy: one entry per act, no licence or name in clear, a deletion once", async () => {
    const before = await store.head();
    const bar = "/api/bars/almaty-city";
    const member = await s.call("POST", `${bar}/members`, { token: barToken, body: { licence: "770001", fullName: "Әлия Сейтқалиқызы", admissionDate: "2015-03-01" } });
    expect(member.status, member.text).toBe(201);
    const csv = "licence;name;admission date\n770002;Бауыржан Омаров;2016-04-01\n770003;Дина Ахметова;2017-05-02\n";
    const imported = await s.call("POST", `${bar}/members.csv`, { token: barToken, raw: csv, headers: { "content-type": "text/csv" } });
    expect(imported.status, imported.text).toBe(201);
    const suspension = await s.call("POST", `${bar}/members/770001/suspensions`, { token: barToken, body: { from: "2026-02-01", until: "2026-03-01", reason: "ауырды" } });
    expect(suspension.status, suspension.text).toBe(201);
    expect((await s.call("DELETE", `${bar}/suspensions/${suspension.body.id}`, { token: barToken })).status).toBe(204);
    expect((await s.call("DELETE", `${bar}/suspensions/${suspension.body.id}`, { token: barToken })).status).toBe(404);
    expect((await s.call("PUT", `${bar}/policies/2026`, { token: barToken, body: { requiredAcademicHours: 40 } })).status).toBe(200);
    const deletions = await Promise.all(Array.from({ length: 8 }, () => s.call("DELETE", `${bar}/members/770003`, { token: barToken })));
    expect(deletions.filter((r) => r.status === 204)).toHaveLength(1);
    expect(deletions.every((r) => r.status === 204 || r.status === 404)).toBe(true);

    const entries = (await allEntries(s)).filter((e) => e.seq > before.seq);
    expect(entries.map((e) => e.action)).toEqual(["members.recorded", "members.recorded", "suspension.recorded", "suspension.deleted", "policy.set", "member.deleted"]);
    expect(entries.every((e) => e.barId === "almaty-city" && e.actor.role === "bar-admin")).toBe(true);
    expect(entries[2]!.subjects).toEqual([suspension.body.id]);
    expect(entries[4]!.subjects).toEqual(["almaty-city/2026"]);
    const text = JSON.stringify(entries);
    for (const secret of ["770001", "770002", "770003", "Әлия", "Омаров", "ауырды"]) expect(text).not.toContain(secret);
    expect((await verifyChain(await allEntries(s))).ok).toBe(true);
  }, 60_000);

  it.runIf(kind === "postgres")("60 concurrent audited writes land as one gapless, unbroken chain", async () => {
    const before = await store.head();
    const party = fixture.provider.party.id;
    const results = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) =>
        i % 3 === 0
          ? s.services.registry.createApiKey(rba, { role: "provider", partyId: party, label: `c${i}` })
          : i % 3 === 1
            ? s.services.registry.createApiKey(rba, { role: "bar-admin", barId: "almaty-city", label: `c${i}` })
            : s.services.registry.createParty(rba, { kind: "centre", name: `Орталық ${i}`, barId: "astana-city" }),
      ),
    );
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    const entries = (await allEntries(s)).filter((e) => e.seq > before.seq);
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 60 }, (_, i) => before.seq + 1 + i));
    expect(await verifyChain(entries, before)).toMatchObject({ ok: true, count: 60 });
    expect((await verifyChain(await allEntries(s))).ok).toBe(true);
  }, 60_000);
});

describe("npm run audit:verify", () => {
  it("says ok with the entry count and head, then names a tampered entry and exits 1", async () => {
    const s = await startSenim({ database: "sqlite" });
    const provider = await accreditedProvider(s);
    await eventWithParticipants(s, provider.token, { n: 2 });
    expect((await s.call("POST", "/api/audit/checkpoints", { token: s.adminToken })).status).toBe(201);
    const head = await new KyselyAuditStore(s.storeDb).head();
    const cli = (env: Record<string, string> = {}) => {
      const { DATABASE_URL: _ignored, ...rest } = process.env;
      return run(join("node_modules", ".bin", "tsx"), ["src/runtime/cli.ts", "audit-verify"], { env: { ...rest, DATA_DIR: s.dir, ...env } }).then(
        (r) => ({ code: 0, ...r }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
      );
    };
    try {
      const ok = await cli();
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toContain(`ok ${head.seq} entries, head ${head.hash}`);
      expect(ok.stdout).toContain("signature ok");
      await s.db.updateTable("audit_entries").set({ bar_id: "astana-city" }).where("seq", "=", 2).execute();
      const tampered = await cli();
      expect(tampered.code).toBe(1);
      expect(tampered.stderr).toContain("FAILED at entry 2");
      // Restored, but the last entry deleted: the chain is whole yet shorter than the checkpoint signed.
      await s.db.updateTable("audit_entries").set({ bar_id: "almaty-city" }).where("seq", "=", 2).execute();
      await s.db.deleteFrom("audit_entries").where("seq", "=", head.seq).execute();
      const truncated = await cli();
      expect(truncated.code).toBe(1);
      expect(truncated.stderr).toContain(`FAILED at entry ${head.seq}`);
    } finally {
      await s.close();
    }
  }, 60_000);
});
