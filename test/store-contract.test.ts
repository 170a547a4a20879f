/**
 * The store contract: one suite, run over every store Senim runs on — SQLite (better-sqlite3), PostgreSQL (the local
 * server) and D1 (in workerd). Every method of RegistryStore, IssuanceStore, StandardsStore, SurveyStore,
 * AnalysisStore, SessionStore, MemberStore, LedgerStore and WalletStore, the atomicity of each multi-row write
 * (a failing statement late in a batch leaves nothing behind) and the concurrency-sensitive ones: status-index
 * allocation and idempotent issuing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Accreditation } from "../src/domain/accreditation.js";
import { SenimError } from "../src/domain/errors.js";
import type { CleEvent, Participant, StoredCertificate } from "../src/issuance/model.js";
import { newId, newToken, sha256Hex } from "../src/lib/ids.js";
import type { Party, PartyKey } from "../src/registry/model.js";
import { Keyring } from "../src/registry/keyring.js";
import { createServices } from "../src/services.js";
import { KyselyIssuanceStore } from "../src/storage/issuance-store.js";
import { KyselyRegistryStore } from "../src/storage/registry-store.js";
import { KyselyAnalysisStore } from "../src/storage/analysis-store.js";
import { KyselySessionStore } from "../src/storage/session-store.js";
import { KyselyStandardsStore } from "../src/storage/standards-store.js";
import { KyselySurveyStore } from "../src/storage/survey-store.js";
import { KyselyLedgerStore, KyselyMemberStore } from "../src/storage/member-store.js";
import { KyselyWalletStore } from "../src/storage/wallet-store.js";
import { KyselyOutboxStore } from "../src/storage/outbox-store.js";
import type { NewOutboxMessage } from "../src/domain/outbox.js";
import type { Member } from "../src/compliance/model.js";
import { ADMIN_TOKEN_PREFIX } from "../src/console/sessions.js";
import type { CredentialOffer, LedgerEntry } from "../src/wallet/model.js";
import { DATABASE_KINDS, openTestDatabase, type TestDatabase } from "./databases.js";

const T0 = "2026-06-01T09:00:00.000Z";
const jwk = { kty: "OKP" as const, crv: "Ed25519" as const, x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo" };

describe.each(DATABASE_KINDS)("store contract on %s", (kind) => {
  let t: TestDatabase;
  let registry: KyselyRegistryStore;
  let issuance: KyselyIssuanceStore;
  let standards: KyselyStandardsStore;
  let surveys: KyselySurveyStore;
  let analysis: KyselyAnalysisStore;
  let sessions: KyselySessionStore;
  let members: KyselyMemberStore;
  let ledgerStore: KyselyLedgerStore;
  let wallet: KyselyWalletStore;

  beforeAll(async () => {
    t = await openTestDatabase(kind);
    registry = new KyselyRegistryStore(t);
    issuance = new KyselyIssuanceStore(t);
    standards = new KyselyStandardsStore(t);
    surveys = new KyselySurveyStore(t);
    analysis = new KyselyAnalysisStore(t);
    sessions = new KyselySessionStore(t);
    members = new KyselyMemberStore(t);
    ledgerStore = new KyselyLedgerStore(t);
    wallet = new KyselyWalletStore(t);
  });
  afterAll(async () => t?.close());

  const key = (partyId: string, n = 1, validFrom = T0): PartyKey => ({
    id: `did:web:senim.test:parties:${partyId}#key-${n}`,
    partyId,
    publicJwk: jwk,
    privateKeyEnc: "v1.iv.sealed",
    validFrom,
    validUntil: null,
  });

  async function newParty(o: Partial<Party> = {}): Promise<Party> {
    const id = newId(16);
    const p: Party = { id, kind: "centre", name: `Орталық ${id}`, barId: "almaty-city", did: `did:web:senim.test:parties:${id}`, website: null, city: null, address: null, createdAt: T0, ...o };
    await registry.insertParty(p, key(p.id));
    return p;
  }

  async function newAccreditation(partyId: string, o: Partial<Accreditation> = {}): Promise<Accreditation> {
    const a: Accreditation = {
      id: newId(16), partyId, barId: "almaty-city", decisionNumber: "7-П", decisionDate: "2026-01-01",
      criteria: [{ criterion: "education-licence", evidence: "Licence KZ-1" }], programmes: null, forms: null,
      validFrom: "2026-01-01T00:00:00.000Z", validUntil: null, withdrawal: null, violationCount: 0, ...o,
    };
    await registry.insertAccreditation(a, { recordedAt: T0, recordedBy: "rba-admin" });
    return a;
  }

  async function newEvent(partyId: string, o: Partial<CleEvent> = {}): Promise<CleEvent> {
    const e: CleEvent = {
      id: newId(16), partyId, topic: "Дәлелдемелер", programme: "criminal", form: "course", deliveryMode: "online",
      coOrganiserBarId: null, place: "Алматы", startsAt: "2026-05-01T05:00:00.000Z", endsAt: "2026-05-01T13:00:00.000Z",
      durationMinutes: 360, trainers: [{ name: "Сейтқали Ә." }], certificatesValidUntil: null, createdAt: T0, ...o,
    };
    await issuance.insertEvent(e);
    return e;
  }

  const people = (eventId: string, n: number, from = 0): Participant[] =>
    Array.from({ length: n }, (_, i) => ({
      id: newId(16), eventId, licenceNumber: String(100000 + from + i), fullName: `Қатысушы ${from + i}`, barId: "almaty-city",
      role: "attendee", email: null, walletDid: null, position: i,
    }));

  /** A provider with a key, an accreditation and an event with `n` participants, ready to certify. */
  async function setting(n: number) {
    const party = await newParty();
    const accreditation = await newAccreditation(party.id);
    const event = await newEvent(party.id);
    await issuance.replaceParticipants(event.id, people(event.id, n));
    return { party, accreditation, event, participants: await issuance.listParticipants(event.id) };
  }

  async function certificatesFor(s: Awaited<ReturnType<typeof setting>>, who = s.participants): Promise<StoredCertificate[]> {
    const allocations = await issuance.allocateStatusEntries(s.party.id, "revocation", who.length, 131_072, T0);
    const entries = allocations.flatMap((a) => a.counters.map((c) => ({ listId: a.listId, index: c })));
    return who.map((p, i) => ({
      id: newId(16), eventId: s.event.id, participantId: p.id, partyId: s.party.id, keyId: key(s.party.id).id,
      accreditationId: s.accreditation.id, statusListId: entries[i]!.listId, statusIndex: entries[i]!.index, issuedAt: T0,
      jwt: `eyJ.${"x".repeat(1500)}.${i}`, revokedAt: null, revocationReason: null, revokedBy: null,
    }));
  }

  // ---- registry ---------------------------------------------------------------------------------------------------

  it("lists the seeded bars (RBA first) and the vocabulary, in kk/ru/en", async () => {
    const bars = await registry.listBars();
    expect(bars).toHaveLength(21);
    expect(bars[0]).toEqual({ id: "rba", kind: "rba", names: { kk: "Республикалық адвокаттар алқасы", ru: "Республиканская коллегия адвокатов", en: "Republican Bar Association" }, verified: true });
    expect(bars.filter((b) => b.verified).map((b) => b.id)).toEqual(["rba", "almaty-city", "astana-city", "shymkent-city", "turkistan"]);
    const v = await registry.vocabulary();
    expect(v.programmes.map((p) => [p.code, p.clause])).toEqual([["foundations", "10.1.1"], ["civil", "10.1.2"], ["criminal", "10.1.3"], ["topical", "10.1.4"]]);
    expect(v.forms.map((f) => f.code)).toEqual(["course", "seminar", "training", "master-class"]);
    expect(v.deliveryModes.map((d) => d.code)).toEqual(["in-person", "distance", "online"]);
  });

  it("stores a party with its first key, found by id and by DID, and lists parties by name", async () => {
    const p = await newParty({ name: "Ақжол орталығы", website: "https://akzhol.kz" });
    expect(await registry.getParty(p.id)).toEqual(p);
    expect(await registry.getPartyByDid(p.did)).toEqual(p);
    expect(await registry.getParty("nope")).toBeUndefined();
    expect(await registry.getKey(key(p.id).id)).toEqual(key(p.id));
    const names = (await registry.listParties()).map((x) => x.name);
    expect(names).toContain("Ақжол орталығы");
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  it("8.3: a party's city and address are stored, and its details replaced without touching its kind, bar or DID", async () => {
    const p = await newParty({ city: "Алматы", address: "Абай даңғылы 10" });
    expect(await registry.getParty(p.id)).toMatchObject({ city: "Алматы", address: "Абай даңғылы 10" });
    const updated = await registry.updatePartyDetails(p.id, { name: "Жаңа атау", website: "https://centre.kz", city: "Астана", address: null });
    expect(updated).toEqual({ ...p, name: "Жаңа атау", website: "https://centre.kz", city: "Астана", address: null });
    expect(await registry.getParty(p.id)).toEqual(updated);
    expect(await registry.updatePartyDetails("nosuchparty00000", { name: "x", website: null, city: null, address: null })).toBeUndefined();
  });

  it("insertParty is atomic: when its key cannot be stored, the party is not stored either", async () => {
    const first = await newParty();
    const id = newId(16);
    const clash = { ...key(first.id), partyId: id }; // a key id that already exists
    await expect(registry.insertParty({ ...first, id, did: `did:web:senim.test:parties:${id}` }, clash)).rejects.toThrow();
    expect(await registry.getParty(id)).toBeUndefined();
  });

  it("rotateKey retires every active key and adds the next one; atomic when the next one cannot be stored", async () => {
    const p = await newParty();
    const at = "2026-06-02T00:00:00.000Z";
    await registry.rotateKey(p.id, at, key(p.id, 2, at));
    expect(await registry.listKeys(p.id)).toEqual([{ ...key(p.id), validUntil: at }, key(p.id, 2, at)]);
    // The next key's id collides: the retirement of key 2 must roll back with it.
    await expect(registry.rotateKey(p.id, "2026-06-03T00:00:00.000Z", key(p.id, 1, "2026-06-03T00:00:00.000Z"))).rejects.toThrow();
    expect((await registry.getKey(key(p.id, 2).id))!.validUntil).toBeNull();
  });

  it("9.1–9.2: accreditations with violations counted and at most one withdrawal", async () => {
    const p = await newParty();
    const a = await newAccreditation(p.id, { programmes: ["criminal", "civil"], forms: ["course"], validUntil: "2027-01-01T00:00:00.000Z" });
    const b = await newAccreditation(p.id, { validFrom: "2026-02-01T00:00:00.000Z", barId: "rba" });
    expect(await registry.getAccreditation(a.id)).toEqual(a);
    expect((await registry.listAccreditations(p.id)).map((x) => x.id)).toEqual([a.id, b.id]);
    expect((await registry.listAccreditations()).map((x) => x.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    for (const [i, day] of ["2026-03-01", "2026-02-01"].entries()) {
      await registry.insertViolation({ id: `${a.id}-v${i}`, accreditationId: a.id, occurredOn: day, description: `Violation ${i}`, recordedAt: T0 }, "bar-admin:almaty-city");
    }
    expect((await registry.listViolations(a.id)).map((v) => v.occurredOn)).toEqual(["2026-02-01", "2026-03-01"]);
    expect((await registry.getAccreditation(a.id))!.violationCount).toBe(2);
    const w = { ground: "repeated-violations" as const, decisionNumber: "9-П", decisionDate: "2026-04-01", effectiveFrom: "2026-03-31T19:00:00.000Z", reason: "9.2" };
    expect(await registry.insertWithdrawal(a.id, w, { recordedAt: T0, recordedBy: "x" })).toBe(true);
    expect(await registry.insertWithdrawal(a.id, { ...w, reason: "again" }, { recordedAt: T0, recordedBy: "x" })).toBe(false);
    expect(await registry.getAccreditation(a.id)).toEqual({ ...a, violationCount: 2, withdrawal: w });
    expect(await registry.getAccreditation("nope")).toBeUndefined();
  });

  it("API keys: stored by token hash, listed, revoked once", async () => {
    const p = await newParty();
    const hash = await sha256Hex(newToken());
    const k = { id: newId(16), role: "provider" as const, barId: null, partyId: p.id, label: "office", createdAt: T0, revokedAt: null };
    await registry.insertApiKey(k, hash, { createdAt: T0, createdBy: "rba-admin" });
    expect(await registry.findApiKeyByHash(hash)).toEqual(k);
    expect(await registry.getApiKey(k.id)).toEqual(k);
    expect(await registry.findApiKeyByHash("0".repeat(64))).toBeUndefined();
    expect((await registry.listApiKeys()).map((x) => x.id)).toContain(k.id);
    expect(await registry.revokeApiKey(k.id, "2026-06-02T00:00:00.000Z")).toBe(true);
    expect(await registry.revokeApiKey(k.id, "2026-06-03T00:00:00.000Z")).toBe(false);
    expect((await registry.getApiKey(k.id))!.revokedAt).toBe("2026-06-02T00:00:00.000Z");
  });

  // ---- issuance ---------------------------------------------------------------------------------------------------

  it("events round-trip with their trainers and times", async () => {
    const p = await newParty();
    const e = await newEvent(p.id);
    expect(await issuance.getEvent(e.id)).toEqual(e);
    expect(await issuance.getEvent("nope")).toBeUndefined();
  });

  it("12.3: replaceParticipants replaces the list, in order, and keeps certified participants", async () => {
    const s = await setting(3);
    expect(s.participants.map((p) => [p.licenceNumber, p.position, p.certificateId])).toEqual([["100000", 0, null], ["100001", 1, null], ["100002", 2, null]]);
    const [cert] = await certificatesFor(s, s.participants.slice(0, 1));
    await issuance.insertCertificates([cert!]);
    const kept = s.participants[0]!;
    // A new list of many rows (several INSERTs on D1's 100-parameter limit) that keeps the certified participant.
    const next = [{ ...kept, id: newId(16), position: 0 }, ...people(s.event.id, 40, 10).map((p, i) => ({ ...p, position: i + 1 }))];
    await issuance.replaceParticipants(s.event.id, next);
    const after = await issuance.listParticipants(s.event.id);
    expect(after).toHaveLength(41);
    expect(after[0]).toMatchObject({ id: kept.id, certificateId: cert!.id });
    expect(after.map((p) => p.licenceNumber)).not.toContain("100001");
  });

  it("12.3: removing or changing a certified participant is refused and changes nothing", async () => {
    const s = await setting(2);
    const [cert] = await certificatesFor(s, s.participants.slice(0, 1));
    await issuance.insertCertificates([cert!]);
    const renamed = s.participants.map((p, i) => ({ ...p, fullName: i === 0 ? "Басқа адам" : p.fullName }));
    await expect(issuance.replaceParticipants(s.event.id, renamed)).rejects.toMatchObject({ code: "participants_locked" });
    await expect(issuance.replaceParticipants(s.event.id, people(s.event.id, 1, 50))).rejects.toMatchObject({ code: "participants_locked" });
    expect((await issuance.listParticipants(s.event.id)).map((p) => p.id)).toEqual(s.participants.map((p) => p.id));
  });

  it("replaceParticipants is atomic: a bad row late in the list leaves the old list in place", async () => {
    const s = await setting(5);
    const next = people(s.event.id, 30, 100);
    next[29] = { ...next[29]!, barId: "atlantis" }; // foreign key violation in the last INSERT
    await expect(issuance.replaceParticipants(s.event.id, next)).rejects.toThrow();
    expect((await issuance.listParticipants(s.event.id)).map((p) => p.id)).toEqual(s.participants.map((p) => p.id));
  });

  it("status entries: counters run on across calls, a full list gives way to a new one, nothing is handed out twice", async () => {
    const p = await newParty();
    const first = await issuance.allocateStatusEntries(p.id, "revocation", 3, 8, T0);
    expect(first).toHaveLength(1);
    expect(first[0]!.counters).toEqual([0, 1, 2]);
    const second = await issuance.allocateStatusEntries(p.id, "revocation", 10, 8, T0);
    expect(second.map((a) => a.counters)).toEqual([[3, 4, 5, 6, 7], [0, 1, 2, 3, 4]]);
    expect(second[0]!.listId).toBe(first[0]!.listId);
    expect(second[1]!.listId).not.toBe(first[0]!.listId);
    expect(await issuance.getStatusList(first[0]!.listId)).toEqual({ id: first[0]!.listId, partyId: p.id, purpose: "revocation", size: 8, allocated: 8 });
    expect(await issuance.getStatusList("nope")).toBeUndefined();
    // Another party's lists are its own.
    const other = await newParty();
    expect((await issuance.allocateStatusEntries(other.id, "revocation", 1, 8, T0))[0]!.counters).toEqual([0]);
  });

  it("status entries: concurrent allocations never share an index", async () => {
    const p = await newParty();
    const runs = await Promise.all(Array.from({ length: 8 }, () => issuance.allocateStatusEntries(p.id, "revocation", 25, 64, T0)));
    const all = runs.flat().flatMap((a) => a.counters.map((c) => `${a.listId}:${c}`));
    expect(all).toHaveLength(200);
    expect(new Set(all).size).toBe(200);
    for (const run of runs) expect(run.reduce((n, a) => n + a.counters.length, 0)).toBe(25);
  });

  it("insertCertificates stores all, lists them, and revokes once; revoked indexes are the list's set bits", async () => {
    const s = await setting(30); // 30 rows: five INSERTs on D1, one elsewhere
    const certs = await certificatesFor(s);
    await issuance.insertCertificates(certs);
    expect(await issuance.getCertificate(certs[7]!.id)).toEqual(certs[7]);
    expect(await issuance.getCertificate("nope")).toBeUndefined();
    expect((await issuance.listCertificates(s.event.id)).map((c) => c.id).sort()).toEqual(certs.map((c) => c.id).sort());
    expect((await issuance.listParticipants(s.event.id)).every((p) => p.certificateId !== null)).toBe(true);
    const at = "2026-06-05T00:00:00.000Z";
    expect(await issuance.revokeCertificate(certs[3]!.id, "error in name", "provider:x", at)).toBe(true);
    expect(await issuance.revokeCertificate(certs[3]!.id, "again", "provider:x", at)).toBe(false);
    expect(await issuance.getCertificate(certs[3]!.id)).toEqual({ ...certs[3], revokedAt: at, revocationReason: "error in name", revokedBy: "provider:x" });
    expect(await issuance.listStatusIndexesSet(certs[3]!.statusListId)).toEqual([certs[3]!.statusIndex]);
  });

  it("insertCertificates is all or nothing: one participant already certified stores none, as a conflict", async () => {
    const s = await setting(20);
    const certs = await certificatesFor(s);
    await issuance.insertCertificates([certs[19]!]); // the last one, so the clash is in the batch's last statement
    const again = (await certificatesFor(s)).map((c, i) => ({ ...c, participantId: certs[i]!.participantId }));
    const err = await issuance.insertCertificates(again).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SenimError);
    expect((err as SenimError).code).toBe("conflict");
    expect(await issuance.listCertificates(s.event.id)).toHaveLength(1);
  });

  it("concurrent insertCertificates for the same participants: exactly one attempt lands", async () => {
    const s = await setting(15);
    const attempts = await Promise.all([certificatesFor(s), certificatesFor(s), certificatesFor(s)]);
    const outcomes = await Promise.allSettled(attempts.map((c) => issuance.insertCertificates(c)));
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    for (const o of outcomes) if (o.status === "rejected") expect(o.reason).toMatchObject({ code: "conflict" });
    const stored = await issuance.listCertificates(s.event.id);
    expect(stored).toHaveLength(15);
    expect(new Set(stored.map((c) => c.participantId)).size).toBe(15);
  });

  it("issue 16: listCertificatesByIdPrefix is a key range: the ids under the prefix in id order up to the limit, never its neighbours just outside", async () => {
    // This test's own stem (random: the other tests' certificates in this database never start with it). `bm` has
    // neighbours on both sides; `cz` is stepped up with a carry (its bound is `d`), where an off-by-one would show.
    const stem = newId(5);
    const prefix = `${stem}bm`;
    const carried = `${stem}cz`;
    const inside = [`${prefix}000000000`, `${prefix}5${newId(8)}`, `${prefix}a00000000`, `${prefix}zzzzzzzzz`];
    const outside = [
      `${stem}bk${"z".repeat(9)}`, // just below
      `${stem}bn000000000`, // the prefix's last character stepped up: the exclusive bound itself
      `${stem}cy${"z".repeat(9)}`,
      `${stem}d0000000000`, // the carried bound itself
    ];
    const carriedInside = `${carried}000000000`;
    const s = await setting(inside.length + outside.length + 1);
    const certs = (await certificatesFor(s)).map((c, i) => ({ ...c, id: [...inside, ...outside, carriedInside][i]! }));
    await issuance.insertCertificates(certs);
    const byId = (ids: string[]) => ids.map((id) => certs.find((c) => c.id === id)!);

    expect(await issuance.listCertificatesByIdPrefix(prefix, 10)).toEqual(byId(inside));
    expect(await issuance.listCertificatesByIdPrefix(carried, 10)).toEqual(byId([carriedInside]));
    // The limit keeps the first in id order (digits before letters on every collation Senim runs on).
    expect((await issuance.listCertificatesByIdPrefix(prefix, 2)).map((c) => c.id)).toEqual(inside.slice(0, 2));
    // A shorter prefix is a wider range: everything from `bk…` to `bn…`, still in order, still not `c…`.
    expect((await issuance.listCertificatesByIdPrefix(`${stem}b`, 10)).map((c) => c.id)).toEqual([outside[0], ...inside, outside[1]]);
    // A whole id is a prefix of itself alone.
    expect((await issuance.listCertificatesByIdPrefix(inside[1]!, 10)).map((c) => c.id)).toEqual([inside[1]]);
    // No match: nothing starts with `bp`, though `bn…` sorts just before it.
    expect(await issuance.listCertificatesByIdPrefix(`${stem}bp`, 10)).toEqual([]);
    // Only lower-case letters and digits reach the statement (no LIKE patterns, no upper case the ids never have).
    for (const bad of ["", `${stem}%`, `${stem}_`, prefix.toUpperCase(), "x".repeat(41)]) {
      await expect(issuance.listCertificatesByIdPrefix(bad, 10), JSON.stringify(bad)).rejects.toThrow(RangeError);
    }
  });

  it("issue 16: a provider's events are paged newest first and searched by topic in any case, only its own", async () => {
    const p = await newParty();
    const other = await newParty();
    const at = (i: number) => new Date(Date.parse(T0) + i * 60_000).toISOString();
    const topics = ["Дәлелдемелер", "ҚЫЛМЫСТЫҚ процесс", "Қылмыстық процесс: апелляция", "Civil law 100%", "Азаматтық іс"];
    const events: CleEvent[] = [];
    for (const [i, topic] of topics.entries()) events.push(await newEvent(p.id, { topic, createdAt: at(i) }));
    await newEvent(other.id, { topic: "Қылмыстық процесс" });
    const newestFirst = [...events].reverse().map((e) => e.id);
    expect(await issuance.countEvents(p.id)).toBe(5);
    expect((await issuance.pageEvents(p.id, { offset: 0, limit: 2 })).map((e) => e.id)).toEqual(newestFirst.slice(0, 2));
    expect((await issuance.pageEvents(p.id, { offset: 4, limit: 2 })).map((e) => e.id)).toEqual(newestFirst.slice(4));
    expect(await issuance.pageEvents(p.id, { offset: 5, limit: 2 })).toEqual([]);
    // Cyrillic in any case (SQLite's LIKE folds ASCII only, PostgreSQL's nothing), never another provider's event.
    for (const search of ["қылмыстық", "Қылмыстық", "ҚЫЛМЫСТЫҚ", " процесс "]) {
      expect(await issuance.countEvents(p.id, search), search).toBe(2);
      expect((await issuance.pageEvents(p.id, { offset: 0, limit: 10, search })).map((e) => e.topic).sort(), search).toEqual([topics[1], topics[2]].sort());
    }
    // Two words: as a sentence ("Қылмыстық процесс…"), not mixed case inside a word ("ҚЫЛМЫСТЫҚ процесс").
    expect(await issuance.countEvents(p.id, "қылмыстық процесс")).toBe(1);
    // `%` and `_` are letters, not patterns.
    expect(await issuance.countEvents(p.id, "100%")).toBe(1);
    expect(await issuance.countEvents(p.id, "%")).toBe(1);
    expect(await issuance.countEvents(p.id, "_")).toBe(0);
    expect(await issuance.countEvents(p.id, "нет такого")).toBe(0);
  });

  it("idempotent responses: stored once per key, expired ones ignored and pruned", async () => {
    const principal = `provider:${newId(8)}`;
    const r = { fingerprint: "f1", status: 201, body: '{"issued":3}' };
    await issuance.putIdempotentResponse(principal, "k1", r, "2026-06-01T00:00:00.000Z", "2026-05-31T00:00:00.000Z");
    await issuance.putIdempotentResponse(principal, "k1", { ...r, body: "other" }, "2026-06-01T01:00:00.000Z", "2026-05-31T01:00:00.000Z");
    expect(await issuance.getIdempotentResponse(principal, "k1", "2026-05-31T12:00:00.000Z")).toEqual(r);
    expect(await issuance.getIdempotentResponse(principal, "k1", "2026-06-01T00:00:01.000Z")).toBeUndefined(); // expired
    expect(await issuance.getIdempotentResponse(`${principal}x`, "k1", "2026-05-31T00:00:00.000Z")).toBeUndefined();
    // Storing a new key prunes the caller's expired ones, so the old key can be used afresh.
    await issuance.putIdempotentResponse(principal, "k2", r, "2026-06-03T00:00:00.000Z", "2026-06-02T00:00:00.000Z");
    await issuance.putIdempotentResponse(principal, "k1", { ...r, fingerprint: "f2" }, "2026-06-03T00:00:00.000Z", "2026-06-02T00:00:00.000Z");
    expect((await issuance.getIdempotentResponse(principal, "k1", "2026-06-02T00:00:00.000Z"))!.fingerprint).toBe("f2");
  });

  it("7.5: the issuing service over this store is idempotent under concurrent calls", async () => {
    const adminToken = newToken();
    const services = createServices({ ...t, keyring: await Keyring.fromSecret(Keyring.newSecret()), publicUrl: "https://senim.test", adminTokenHash: await sha256Hex(adminToken), clock: { now: () => T0 } });
    const admin = (await services.registry.authenticate(adminToken))!;
    const { party } = await services.registry.createParty(admin, { kind: "centre", name: "Орталық", barId: "almaty-city" });
    await newAccreditation(party.id);
    const provider = { role: "provider" as const, keyId: "k", partyId: party.id };
    const e = await services.issuance.createEvent(provider, { topic: "Т", programme: "civil", form: "course", deliveryMode: "online", place: "П", startsAt: "2026-05-01T05:00:00Z", endsAt: "2026-05-01T06:00:00Z", durationMinutes: 45, trainers: [{ name: "Т", field: "Қылмыстық процесс" }] });
    await services.issuance.setParticipants(provider, e.id, people(e.id, 12).map((p) => ({ fullName: p.fullName, licenceNumber: p.licenceNumber, barId: p.barId, role: p.role })));
    const outcomes = await Promise.all([1, 2, 3].map(() => services.issuance.issueCertificates(provider, e.id)));
    expect(outcomes.reduce((n, o) => n + o.issued, 0)).toBe(12);
    for (const o of outcomes) expect(o.certificates.map((c) => c.id).sort()).toEqual(outcomes[0]!.certificates.map((c) => c.id).sort());
    const stored = await issuance.listCertificates(e.id);
    expect(stored).toHaveLength(12);
    expect(new Set(stored.map((c) => `${c.statusListId}:${c.statusIndex}`)).size).toBe(12);
    const verdict = await services.verification.verify({ jwt: stored[0]!.jwt });
    expect(verdict.verified).toBe(true);
  });

  // ---- standards (Data Integrity proofs, VC API credentials, status entries) --------------------------------------

  it("certificate proofs: stored in parameter-sized INSERTs, the first proof for a certificate stays", async () => {
    const s = await setting(40); // 40 rows: two INSERTs on D1 (33 rows of 3 parameters), one elsewhere
    const certs = await certificatesFor(s);
    await issuance.insertCertificates(certs);
    await standards.putCertificateProofs(certs.map((c, i) => ({ certificateId: c.id, proof: `{"proofValue":"z${i}"}`, createdAt: T0 })));
    expect(await standards.getCertificateProof(certs[39]!.id)).toBe('{"proofValue":"z39"}');
    await standards.putCertificateProofs([{ certificateId: certs[0]!.id, proof: '{"proofValue":"other"}', createdAt: T0 }]);
    expect(await standards.getCertificateProof(certs[0]!.id)).toBe('{"proofValue":"z0"}');
    expect(await standards.getCertificateProof("nope")).toBeUndefined();
  });

  it("certificate proofs are all or nothing: an unknown certificate late in the list stores none", async () => {
    const s = await setting(40);
    const certs = await certificatesFor(s);
    await issuance.insertCertificates(certs);
    const rows = certs.map((c) => ({ certificateId: c.id, proof: "{}", createdAt: T0 }));
    rows[39] = { ...rows[39]!, certificateId: "no-such-certificate" }; // foreign key violation in the last INSERT
    await expect(standards.putCertificateProofs(rows)).rejects.toThrow();
    expect(await standards.getCertificateProof(certs[0]!.id)).toBeUndefined();
  });

  it("status entries: stored for a subject, set and cleared once each; a clash late in the list stores none", async () => {
    const p = await newParty();
    const [a] = await issuance.allocateStatusEntries(p.id, "suspension", 30, 131_072, T0);
    const subject = `credential:${newId(16)}`;
    const entries = a!.counters.map((index) => ({ listId: a!.listId, index, subject, setAt: null }));
    await standards.insertStatusEntries(entries); // 30 rows: two INSERTs on D1 (20 rows of 5 parameters)
    expect((await standards.statusEntriesOf(subject)).sort((x, y) => x.index - y.index)).toEqual(entries);
    expect(await standards.statusEntriesOf("credential:nope")).toEqual([]);
    const at = "2026-06-02T00:00:00.000Z";
    expect(await standards.setStatusEntry(a!.listId, entries[5]!.index, at, "suspended")).toBe(true);
    expect(await standards.setStatusEntry(a!.listId, entries[5]!.index, at, "again")).toBe(false);
    expect((await standards.statusEntriesOf(subject)).find((e) => e.index === entries[5]!.index)!.setAt).toBe(at);
    expect(await standards.setStatusEntry(a!.listId, entries[5]!.index, null, null)).toBe(true);
    expect(await standards.setStatusEntry(a!.listId, entries[5]!.index, null, null)).toBe(false);
    expect(await standards.setStatusEntry(a!.listId, 999_999, at, null)).toBe(false);

    const [b] = await issuance.allocateStatusEntries(p.id, "suspension", 29, 131_072, T0);
    const other = `credential:${newId(16)}`;
    const clash = [...b!.counters.map((index) => ({ listId: b!.listId, index, subject: other, setAt: null })), { ...entries[0]!, subject: other }];
    await expect(standards.insertStatusEntries(clash)).rejects.toThrow();
    expect(await standards.statusEntriesOf(other)).toEqual([]);
  });

  it("status entries for revocation and suspension stay distinct under concurrent VC API issues", async () => {
    const p = await newParty();
    const issue = async () => {
      const subject = `credential:${newId(16)}`;
      const allocated = [
        ...(await issuance.allocateStatusEntries(p.id, "revocation", 1, 64, T0)),
        ...(await issuance.allocateStatusEntries(p.id, "suspension", 1, 64, T0)),
      ];
      await standards.insertStatusEntries(allocated.map((a) => ({ listId: a.listId, index: a.counters[0]!, subject, setAt: null })));
      return subject;
    };
    const subjects = await Promise.all(Array.from({ length: 10 }, issue));
    const entries = (await Promise.all(subjects.map((s) => standards.statusEntriesOf(s)))).flat();
    expect(entries).toHaveLength(20);
    expect(new Set(entries.map((e) => `${e.listId}:${e.index}`)).size).toBe(20);
    const purposes = new Map<string, string>();
    for (const e of entries) purposes.set(e.listId, (await issuance.getStatusList(e.listId))!.purpose);
    for (const s of subjects) {
      const mine = entries.filter((e) => e.subject === s).map((e) => purposes.get(e.listId));
      expect(mine.sort()).toEqual(["revocation", "suspension"]);
    }
  });

  it("VC API credentials: found by their own id or the stored id, the latest first, only the party's own", async () => {
    const p = await newParty();
    const first = { id: newId(16), partyId: p.id, credentialId: "urn:uuid:1", secured: '{"n":1}', issuedAt: T0 };
    const second = { ...first, id: newId(16), secured: '{"n":2}', issuedAt: "2026-06-02T00:00:00.000Z" };
    await standards.insertApiCredential(first, []);
    await standards.insertApiCredential(second, []);
    expect(await standards.findApiCredential(p.id, "urn:uuid:1")).toEqual(second);
    expect(await standards.findApiCredential(p.id, first.id)).toEqual(first);
    expect(await standards.findApiCredential((await newParty()).id, "urn:uuid:1")).toBeUndefined();
    const anonymous = { ...first, id: newId(16), credentialId: null };
    await standards.insertApiCredential(anonymous, []);
    expect(await standards.findApiCredential(p.id, anonymous.id)).toEqual(anonymous);
  });

  it("a VC API credential and its status entries are stored together: a clash in either stores neither", async () => {
    const p = await newParty();
    const [a] = await issuance.allocateStatusEntries(p.id, "suspension", 25, 131_072, T0);
    const credential = { id: newId(16), partyId: p.id, credentialId: null, secured: "{}", issuedAt: T0 };
    const entries = a!.counters.map((index) => ({ listId: a!.listId, index, subject: `credential:${credential.id}`, setAt: null }));
    await standards.insertApiCredential(credential, entries); // 25 entries: two INSERTs on D1, then the credential
    expect(await standards.findApiCredential(p.id, credential.id)).toEqual(credential);
    expect(await standards.statusEntriesOf(`credential:${credential.id}`)).toHaveLength(25);

    const [b] = await issuance.allocateStatusEntries(p.id, "suspension", 1, 131_072, T0);
    const second = { ...credential, id: newId(16) };
    const own = { listId: b!.listId, index: b!.counters[0]!, subject: `credential:${second.id}`, setAt: null };
    await expect(standards.insertApiCredential(second, [own, { ...entries[0]!, subject: own.subject }])).rejects.toThrow();
    await expect(standards.insertApiCredential({ ...credential, secured: "{}" }, [own])).rejects.toThrow(); // the id is taken
    expect(await standards.findApiCredential(p.id, second.id)).toBeUndefined();
    expect(await standards.statusEntriesOf(own.subject)).toEqual([]);
    expect(await standards.statusEntriesOf(`credential:${credential.id}`)).toHaveLength(25);
  });

  // ---- surveys (7.5) ------------------------------------------------------------------------------------------------

  const response = (eventId: string, partyId: string, n: number, comment: string | null) => ({
    id: (crypto.getRandomValues(new Uint32Array(1))[0]! & 0x7fffffff) || 1, eventId, partyId, barId: "almaty-city", quality: n, effectiveness: 4, usefulness: 3, comment,
  });

  it("7.5: a survey is answered once, even by concurrent answers; token and answer are stored together or not at all", async () => {
    const s = await setting(1);
    const hash = await sha256Hex(newToken());
    expect(await surveys.isSpent(hash)).toBe(false);
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => surveys.answer(hash, response(s.event.id, s.party.id, 5, null))));
    expect(outcomes.filter((o) => o === "recorded")).toHaveLength(1);
    expect(outcomes.filter((o) => o === "already-answered")).toHaveLength(5);
    expect(await surveys.isSpent(hash)).toBe(true);
    expect((await surveys.aggregate({ partyId: s.party.id }))[0]!.responses).toBe(1);
    // A taken response id: nothing is stored, the token stays unspent, and a fresh id goes through.
    const taken = response(s.event.id, s.party.id, 4, null);
    expect(await surveys.answer(await sha256Hex(newToken()), taken)).toBe("recorded");
    const other = await sha256Hex(newToken());
    expect(await surveys.answer(other, { ...taken, quality: 1 })).toBe("id-taken");
    expect(await surveys.isSpent(other)).toBe(false);
    expect(await surveys.answer(other, response(s.event.id, s.party.id, 1, null))).toBe("recorded");
    expect((await surveys.aggregate({ partyId: s.party.id }))[0]!.responses).toBe(3);
  });

  it("7.5: responses are summed per event, filtered by party, bar and year", async () => {
    const s = await setting(1);
    const other = await setting(1);
    const answer = async (eventId: string, partyId: string, n: number, comment: string | null) =>
      expect(await surveys.answer(await sha256Hex(newToken()), response(eventId, partyId, n, comment))).toBe("recorded");
    await answer(s.event.id, s.party.id, 5, "Пайдалы");
    await answer(s.event.id, s.party.id, 3, null);
    await answer(s.event.id, s.party.id, 4, "Жақсы");
    await answer(other.event.id, other.party.id, 2, null);
    const mine = await surveys.aggregate({ partyId: s.party.id });
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ eventId: s.event.id, topic: "Дәлелдемелер", partyId: s.party.id, partyName: s.party.name, barId: "almaty-city", responses: 3, sums: { quality: 12, effectiveness: 12, usefulness: 9 } });
    expect(mine[0]!.comments.sort()).toEqual(["Жақсы", "Пайдалы"]);
    expect(await surveys.aggregate({ partyId: s.party.id, year: 2026 })).toHaveLength(1);
    expect(await surveys.aggregate({ partyId: s.party.id, year: 2025 })).toEqual([]);
    const byBar = (await surveys.aggregate({ barId: "almaty-city", year: 2026 })).map((r) => r.eventId);
    expect(byBar).toEqual(expect.arrayContaining([s.event.id, other.event.id]));
    expect(await surveys.aggregate({ barId: "astana-city", partyId: s.party.id })).toEqual([]);
  });

  it("7.5: the survey service over this store counts one answer per certificate under concurrent answers", async () => {
    const adminToken = newToken();
    const services = createServices({ ...t, keyring: await Keyring.fromSecret(Keyring.newSecret()), publicUrl: "https://senim.test", adminTokenHash: await sha256Hex(adminToken), clock: { now: () => T0 } });
    const admin = (await services.registry.authenticate(adminToken))!;
    const { party } = await services.registry.createParty(admin, { kind: "centre", name: "Сауалнама орталығы", barId: "almaty-city" });
    await newAccreditation(party.id);
    const provider = { role: "provider" as const, keyId: "k", partyId: party.id };
    const e = await services.issuance.createEvent(provider, { topic: "Т", programme: "civil", form: "course", deliveryMode: "online", place: "П", startsAt: "2026-05-01T05:00:00Z", endsAt: "2026-05-01T06:00:00Z", durationMinutes: 45, trainers: [{ name: "Т", field: "Қылмыстық процесс" }] });
    await services.issuance.setParticipants(provider, e.id, people(e.id, 1).map((p) => ({ fullName: p.fullName, licenceNumber: p.licenceNumber, barId: p.barId, role: p.role })));
    const issued = await services.issuance.issueCertificates(provider, e.id);
    const [cert] = issued.certificates;
    const links = await services.surveys.firstLinks(provider, issued);
    expect(await services.surveys.firstLinks(provider, issued)).toEqual(new Map()); // a retry gets no second link
    const token = links.get(cert!.id)!.token;
    expect(links.get(cert!.id)!.survey).toBe(`https://senim.test/survey/${token}`);
    // The certificate id is public: it opens no survey.
    await expect(services.surveys.answer(cert!.id, { quality: 1, effectiveness: 1, usefulness: 1, comment: null })).rejects.toMatchObject({ code: "not_found" });
    const outcomes = await Promise.allSettled([1, 2, 3, 4].map(() => services.surveys.answer(token, { quality: 5, effectiveness: 5, usefulness: 5, comment: null })));
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    for (const o of outcomes) if (o.status === "rejected") expect(o.reason).toMatchObject({ code: "survey_already_answered" });
    expect((await surveys.aggregate({ partyId: party.id }))[0]!.responses).toBe(1);
    // Fresh links skip an answered certificate: no new link buys a second answer.
    expect(await services.surveys.renewLinks(provider, e.id)).toEqual([expect.objectContaining({ certificateId: cert!.id, state: "answered", survey: null })]);
    await expect(services.surveys.answer(token, { quality: 1, effectiveness: 1, usefulness: 1, comment: null })).rejects.toMatchObject({ code: "survey_already_answered" });
    // Only the token's HMAC is stored, never the token.
    expect(JSON.stringify(await t.db.selectFrom("survey_links").selectAll().execute())).not.toContain(token);
  });

  it("7.5: survey links are stored as token MACs, one per certificate: `first` never overwrites, `replace` does, in chunks within the dialect's limit", async () => {
    const s = await setting(60);
    const certs = await certificatesFor(s);
    await issuance.insertCertificates(certs);
    const first = certs.map((c) => ({ certificateId: c.id, tokenMac: `first-${c.id}` }));
    expect(await surveys.putLinks(first.slice(0, 10), "first")).toEqual(new Set(certs.slice(0, 10).map((c) => c.id)));
    // 60 rows is more than one D1 statement takes: every chunk goes in one unit, and only the new ones are reported.
    expect(await surveys.putLinks(first.map((l) => ({ ...l, tokenMac: `again-${l.certificateId}` })), "first")).toEqual(new Set(certs.slice(10).map((c) => c.id)));
    expect(await surveys.certificateOfLink(`first-${certs[0]!.id}`)).toBe(certs[0]!.id);
    expect(await surveys.certificateOfLink(`again-${certs[0]!.id}`)).toBeUndefined();
    expect(await surveys.certificateOfLink(`again-${certs[59]!.id}`)).toBe(certs[59]!.id);
    expect(await surveys.putLinks([{ certificateId: certs[0]!.id, tokenMac: `new-${certs[0]!.id}` }], "replace")).toEqual(new Set([certs[0]!.id]));
    expect(await surveys.certificateOfLink(`first-${certs[0]!.id}`)).toBeUndefined(); // the old link is dead
    expect(await surveys.certificateOfLink(`new-${certs[0]!.id}`)).toBe(certs[0]!.id);
    expect(await surveys.putLinks([], "first")).toEqual(new Set());
  });

  // ---- annual analysis (3.2) ----------------------------------------------------------------------------------------

  it("3.2: the year's certificates grouped by programme, form and mode, distinct counts and per bar; revoked ones left out", async () => {
    // 2019: a year no other test uses, so the totals are this test's alone. Almaty time: the event ending at
    // 2019-12-31T20:00Z is already 2020 (UTC+5) and counts there.
    const p = await newParty();
    const acc = await newAccreditation(p.id);
    const year = { startsAt: "2019-03-01T04:00:00.000Z", endsAt: "2019-03-01T10:00:00.000Z" };
    const e1 = await newEvent(p.id, { ...year, programme: "civil", form: "seminar", deliveryMode: "in-person", durationMinutes: 90 });
    const e2 = await newEvent(p.id, { ...year, programme: "criminal", form: "course", deliveryMode: "online", durationMinutes: 360 });
    const late = await newEvent(p.id, { startsAt: "2019-12-31T15:00:00.000Z", endsAt: "2019-12-31T20:00:00.000Z", durationMinutes: 45 });
    const certify = async (event: CleEvent, bars: string[]) => {
      await issuance.replaceParticipants(event.id, bars.map((barId, i) => ({ ...people(event.id, 1, i)[0]!, barId, position: i })));
      const s = { party: p, accreditation: acc, event, participants: await issuance.listParticipants(event.id) };
      const certs = await certificatesFor(s);
      await issuance.insertCertificates(certs);
      return certs;
    };
    const c1 = await certify(e1, ["aktobe", "aktobe", "turkistan"]);
    await certify(e2, ["aktobe"]);
    await certify(late, ["aktobe"]);
    await issuance.revokeCertificate(c1[2]!.id, "error", "provider:x", T0);
    const byKey = (groups: Awaited<ReturnType<KyselyAnalysisStore["trainingGroups"]>>) => groups.map((g) => `${g.programme}/${g.form}/${g.deliveryMode}:${g.certificates}:${g.minutes}`).sort();
    expect(byKey(await analysis.trainingGroups(2019))).toEqual(["civil/seminar/in-person:2:180", "criminal/course/online:1:360"]);
    expect(byKey(await analysis.trainingGroups(2019, "turkistan"))).toEqual([]); // its one certificate is revoked
    expect(byKey(await analysis.trainingGroups(2020))).toEqual(["criminal/course/online:1:45"]);
    // Licence numbers 100000 and 100001 in e1, 100000 again in e2: two advocates.
    expect(await analysis.distinctCounts(2019)).toEqual({ events: 2, providers: 1, advocates: 2 });
    expect(await analysis.distinctCounts(2019, "aktobe")).toEqual({ events: 2, providers: 1, advocates: 2 });
    expect(await analysis.distinctCounts(2018)).toEqual({ events: 0, providers: 0, advocates: 0 });
    expect(await analysis.certificatesByBar(2019)).toEqual([{ barId: "aktobe", certificates: 3, minutes: 540 }]);
  });

  // ---- console sessions ---------------------------------------------------------------------------------------------

  it("console sessions: found with their key's state, pruned when expired, deleted", async () => {
    const p = await newParty();
    const k = { id: newId(16), role: "provider" as const, barId: null, partyId: p.id, label: "console", createdAt: T0, revokedAt: null };
    await registry.insertApiKey(k, await sha256Hex(newToken()), { createdAt: T0, createdBy: "rba-admin" });
    const session = { id: await sha256Hex(newToken()), apiKeyId: k.id, role: "provider" as const, barId: null, partyId: p.id, createdAt: T0, expiresAt: "2026-06-01T17:00:00.000Z" };
    const admin = { ...session, id: await sha256Hex(newToken()), apiKeyId: `${ADMIN_TOKEN_PREFIX}0123456789abcdef0123456789abcdef`, role: "rba-admin" as const, partyId: null };
    const orphan = { ...session, id: await sha256Hex(newToken()), apiKeyId: "deleted-key" };
    const old = { ...session, id: await sha256Hex(newToken()), expiresAt: "2026-06-01T08:00:00.000Z" };
    for (const x of [session, admin, orphan, old]) await sessions.insert(x);
    expect(await sessions.find(session.id)).toEqual({ ...session, keyRevoked: false });
    expect(await sessions.find(admin.id)).toEqual({ ...admin, keyRevoked: false }); // SENIM_ADMIN_TOKEN has no row
    expect((await sessions.find(orphan.id))!.keyRevoked).toBe(true);
    await registry.revokeApiKey(k.id, "2026-06-01T10:00:00.000Z");
    expect((await sessions.find(session.id))!.keyRevoked).toBe(true);
    await sessions.prune("2026-06-01T09:00:00.000Z");
    expect(await sessions.find(old.id)).toBeUndefined();
    expect(await sessions.find(session.id)).toBeDefined();
    await sessions.delete(session.id);
    expect(await sessions.find(session.id)).toBeUndefined();
    expect(await sessions.find("nope")).toBeUndefined();
  });

  // ---- bookkeeping: members, suspensions, policies, self-recorded hours (2.2, 2.3, 10.2, 12) ---------------------

  const member = (barId: string, i: number, o: Partial<Member> = {}): Member => ({
    barId, licence: String(900000 + i), fullName: `Мүше ${String(i).padStart(3, "0")}`, admissionDate: "2015-03-01", email: null, createdAt: T0, updatedAt: T0, ...o,
  });

  it("2.3: members are upserted in parameter-sized statements as one unit, read, listed by name and deleted", async () => {
    const bar = "shymkent-city";
    const list = Array.from({ length: 40 }, (_, i) => member(bar, i)); // 40 rows: three statements on D1 (14 rows of 7)
    await members.upsertMembers(list);
    expect(await members.getMember(bar, "900007")).toEqual(list[7]);
    expect(await members.getMember(bar, "nope")).toBeUndefined();
    expect((await members.listMembers(bar)).map((m) => m.licence)).toEqual(list.map((m) => m.licence));
    // An upsert updates name, admission date and e-mail, and keeps the creation time.
    const renamed = { ...list[0]!, fullName: "Ә Жаңа есім", email: "a@example.kz", createdAt: "2026-06-02T00:00:00.000Z", updatedAt: "2026-06-02T00:00:00.000Z" };
    await members.upsertMembers([renamed, member(bar, 40)]);
    expect(await members.getMember(bar, "900000")).toEqual({ ...renamed, createdAt: T0 });
    expect(await members.listMembers(bar)).toHaveLength(41);
    expect(await members.deleteMember(bar, "900040")).toBe(true);
    expect(await members.deleteMember(bar, "900040")).toBe(false);
    expect(await members.listMembers(bar)).toHaveLength(40);
  });

  it("2.3: a member import is all or nothing: a bad row in the last statement stores none", async () => {
    const list = Array.from({ length: 40 }, (_, i) => member("turkistan", 100 + i));
    list[39] = { ...list[39]!, barId: "atlantis" }; // foreign key violation in the last statement
    await expect(members.upsertMembers(list)).rejects.toThrow();
    expect(await members.listMembers("turkistan")).toEqual([]);
  });

  it("issue 16: members are paged in the list's order and searched by name or licence, any letter case", async () => {
    const bar = "turkistan";
    const names = ["Құрманова Әлия", "Ахметов Бауыржан", "Иванова 100%_\\", "Smith John", "құрманов Ерлан"];
    const list = Array.from({ length: 25 }, (_, i) => member(bar, 500 + i, { fullName: `${names[i % names.length]} ${String(i).padStart(2, "0")}` }));
    await members.upsertMembers(list);
    const all = await members.listMembers(bar);
    expect(await members.countMembers(bar)).toBe(25);
    const pages = [];
    for (let offset = 0; offset < 25; offset += 10) pages.push(...(await members.pageMembers(bar, { offset, limit: 10 })));
    expect(pages).toEqual(all); // the same order, no row twice or missed
    expect(await members.pageMembers(bar, { offset: 30, limit: 10 })).toEqual([]);
    // Kazakh letters in any case; a licence's digits; the wildcards typed are literal.
    const kurmanov = all.filter((m) => m.fullName.toLowerCase().includes("құрманов"));
    expect(kurmanov).toHaveLength(10);
    expect(await members.countMembers(bar, "ҚҰРМАНОВ")).toBe(10);
    expect(await members.pageMembers(bar, { offset: 0, limit: 100, search: "құрманов" })).toEqual(kurmanov);
    expect((await members.pageMembers(bar, { offset: 0, limit: 3, search: "Құрманова" })).map((m) => m.fullName)).toEqual(kurmanov.filter((m) => m.fullName.startsWith("Құрманова")).slice(0, 3).map((m) => m.fullName));
    expect((await members.pageMembers(bar, { offset: 0, limit: 100, search: "900507" })).map((m) => m.licence)).toEqual(["900507"]);
    expect(await members.countMembers(bar, "smith")).toBe(5);
    expect(await members.countMembers(bar, "100%_")).toBe(5);
    expect(await members.countMembers(bar, "%")).toBe(5);
    expect(await members.countMembers(bar, "_")).toBe(5);
    expect(await members.countMembers(bar, "\\")).toBe(5);
    expect(await members.countMembers(bar, "nobody")).toBe(0);
    expect(await members.countMembers("shymkent-city", "900507")).toBe(0); // another bar's
    for (const m of list) await members.deleteMember(bar, m.licence);
  });

  it("2.3, 10.2, 2.2.2: suspensions, yearly policies and self-recorded hours round-trip", async () => {
    const bar = "astana-city";
    const s1 = { id: newId(16), barId: bar, licence: "800001", from: "2026-03-01", until: null, reason: "2.3", recordedAt: T0, recordedBy: "bar-admin:astana-city" };
    const s2 = { ...s1, id: newId(16), from: "2026-01-10", until: "2026-02-10", reason: null };
    const s3 = { ...s1, id: newId(16), licence: "800002" };
    for (const x of [s1, s2, s3]) await members.addSuspension(x);
    expect(await members.listSuspensions(bar, "800001")).toEqual([s2, s1]);
    expect((await members.listSuspensions(bar)).map((x) => x.id).sort()).toEqual([s1.id, s2.id, s3.id].sort());
    expect(await members.deleteSuspension(bar, s3.id)).toBe(true);
    expect(await members.deleteSuspension(bar, s3.id)).toBe(false);
    expect(await members.deleteSuspension("rba", s1.id)).toBe(false); // another bar's

    expect(await members.getPolicy(bar, 2026)).toBeUndefined();
    const policy = { barId: bar, year: 2026, requiredMinutes: 1800, foundationsRule: { operator: "<" as const, years: 1 }, teachingCreditPercent: 100, prorate: true, updatedAt: T0, updatedBy: "bar-admin" };
    await members.putPolicy(policy);
    expect(await members.getPolicy(bar, 2026)).toEqual(policy);
    const changed = { ...policy, requiredMinutes: null, foundationsRule: null, teachingCreditPercent: 50, prorate: false, updatedAt: "2026-06-02T00:00:00.000Z" };
    await members.putPolicy(changed);
    expect(await members.getPolicy(bar, 2026)).toEqual(changed);
    expect(await members.getPolicy(bar, 2027)).toBeUndefined();

    const h1 = { id: newId(16), barId: bar, licence: "800001", year: 2026, minutes: 90, programme: "topical", description: "Self-study", recordedAt: "2026-06-02T00:00:00.000Z", recordedBy: "bar-admin" };
    const h2 = { ...h1, id: newId(16), minutes: 45, recordedAt: T0 };
    await members.addSelfRecorded(h1);
    await members.addSelfRecorded(h2);
    await members.addSelfRecorded({ ...h1, id: newId(16), year: 2025 });
    expect(await members.listSelfRecorded(bar, 2026)).toEqual([h2, h1]);
  });

  it("12.2: certificates issued to the bar's members in a year, revoked ones flagged", async () => {
    const s = await setting(3); // licences 100000–100002, event ending 2026-05-01
    const bar = "almaty-region";
    await members.upsertMembers(s.participants.slice(0, 2).map((p, i) => member(bar, 0, { licence: p.licenceNumber, fullName: `Мүше ${i}` })));
    const certs = await certificatesFor(s);
    await issuance.insertCertificates(certs);
    await issuance.revokeCertificate(certs[1]!.id, "error", "provider:x", T0);
    const mine = (await members.issuedToMembers(bar, 2026)).filter((r) => certs.some((c) => c.id === r.certificateId));
    expect(mine.sort((a, b) => a.licence.localeCompare(b.licence))).toEqual([
      { licence: "100000", certificateId: certs[0]!.id, minutes: 360, programme: "criminal", form: "course", role: "attendee", revoked: false },
      { licence: "100001", certificateId: certs[1]!.id, minutes: 360, programme: "criminal", form: "course", role: "attendee", revoked: true },
    ]);
    expect(await members.issuedToMembers(bar, 2025)).toEqual([]);
  });

  // ---- wallet: offers, nonces, presentation requests, the ledger (2.2.3, 2.2.4) -----------------------------------

  async function certified(n = 1) {
    const s = await setting(n);
    const certs = await certificatesFor(s);
    await issuance.insertCertificates(certs);
    return { ...s, certs };
  }

  it("OpenID4VCI offers: a wrong PIN is counted in the same statement that checks the limit, the right one redeems once, even when tried concurrently", async () => {
    const { certs } = await certified();
    const o: CredentialOffer = {
      id: newId(20), certificateId: certs[0]!.id, preAuthorizedCode: newToken(), txCodeMac: "m-right", createdAt: T0, createdBy: "provider:x",
      expiresAt: "2026-06-01T09:10:00.000Z", failedAttempts: 0, redeemedAt: null, accessTokenHash: null, accessTokenExpiresAt: null, accessTokenJkt: null, holderDid: null, credentialIssuedAt: null,
    };
    await wallet.insertOffer(o);
    expect(await wallet.offerById(o.id)).toEqual(o);
    expect(await wallet.offerByCode(o.preAuthorizedCode)).toEqual(o);
    expect(await wallet.listOffers(certs[0]!.id)).toEqual([o]);
    const now = "2026-06-01T09:01:00.000Z";
    expect(await wallet.redeemOffer(o.preAuthorizedCode, "m-wrong", now, 5, "at", "2026-06-01T09:06:00.000Z")).toEqual({ outcome: "wrong-pin", failedAttempts: 1 });
    expect(await wallet.redeemOffer(o.preAuthorizedCode, "m-wrong", now, 5, "at", "2026-06-01T09:06:00.000Z")).toEqual({ outcome: "wrong-pin", failedAttempts: 2 });
    expect(await wallet.offerById(o.id)).toMatchObject({ failedAttempts: 2, redeemedAt: null, accessTokenHash: null });
    expect(await wallet.redeemOffer("no-such-code", "m-right", now, 5, "at", "x")).toBeUndefined();
    // Expired: no redemption even with the right PIN, and nothing counted.
    expect(await wallet.redeemOffer(o.preAuthorizedCode, "m-right", "2026-06-01T09:11:00.000Z", 5, "at", "x")).toBeUndefined();
    const attempts = await Promise.all([1, 2, 3, 4].map((i) => wallet.redeemOffer(o.preAuthorizedCode, "m-right", now, 5, `at-${i}`, "2026-06-01T09:06:00.000Z")));
    const won = attempts.filter((a) => a !== undefined);
    expect(won).toHaveLength(1);
    const redeemed = won[0]!;
    if (redeemed.outcome !== "redeemed") throw new Error("expected a redemption");
    expect(redeemed.offer).toMatchObject({ id: o.id, redeemedAt: now, failedAttempts: 2 });
    expect(await wallet.offerByAccessToken(redeemed.offer.accessTokenHash!)).toMatchObject({ id: o.id });
    // Redeemed: a wrong PIN now finds no live offer and is not counted.
    expect(await wallet.redeemOffer(o.preAuthorizedCode, "m-wrong", now, 5, "at-y", "x")).toBeUndefined();
    expect(await wallet.offerById(o.id)).toMatchObject({ failedAttempts: 2 });
    expect(await wallet.markCredentialIssued(o.id, "did:key:z6Mkholder", now)).toBe(true);
    expect(await wallet.markCredentialIssued(o.id, "did:key:z6Mkother", now)).toBe(false);
    expect(await wallet.offerById(o.id)).toMatchObject({ holderDid: "did:key:z6Mkholder", credentialIssuedAt: now });
    // Out of tries: the right PIN no longer redeems.
    const tired = { ...o, id: newId(20), preAuthorizedCode: newToken(), failedAttempts: 5 };
    await wallet.insertOffer(tired);
    expect(await wallet.redeemOffer(tired.preAuthorizedCode, "m-right", now, 5, "at-x", "x")).toBeUndefined();
    // An offer whose PIN hash was wiped by migration 0008 takes no PIN and counts none.
    const legacy = { ...o, id: newId(20), preAuthorizedCode: newToken(), txCodeMac: "" };
    await wallet.insertOffer(legacy);
    expect(await wallet.redeemOffer(legacy.preAuthorizedCode, "", now, 5, "at-z", "x")).toBeUndefined();
    expect(await wallet.offerById(legacy.id)).toMatchObject({ failedAttempts: 0, redeemedAt: null });
    // RFC 9449: a DPoP-bound token keeps its key's thumbprint with it; a Bearer token (above) keeps none.
    expect(redeemed.offer.accessTokenJkt).toBeNull();
    const bound = { ...o, id: newId(20), preAuthorizedCode: newToken() };
    await wallet.insertOffer(bound);
    expect(await wallet.redeemOffer(bound.preAuthorizedCode, "m-wrong", now, 5, "at-b0", "2026-06-01T09:06:00.000Z", "jkt-wrong")).toEqual({ outcome: "wrong-pin", failedAttempts: 1 });
    expect((await wallet.offerById(bound.id))!.accessTokenJkt).toBeNull();
    expect(await wallet.redeemOffer(bound.preAuthorizedCode, "m-right", now, 5, "at-b", "2026-06-01T09:06:00.000Z", "jkt-1")).toMatchObject({ outcome: "redeemed" });
    expect(await wallet.offerByAccessToken("at-b")).toMatchObject({ id: bound.id, accessTokenJkt: "jkt-1" });
  });

  it("OpenID4VCI PIN limit: 40 concurrent wrong PINs check exactly 5, and the right PIN after them fails", async () => {
    const { certs } = await certified();
    const o: CredentialOffer = {
      id: newId(20), certificateId: certs[0]!.id, preAuthorizedCode: newToken(), txCodeMac: "m-right", createdAt: T0, createdBy: "provider:x",
      expiresAt: "2026-06-01T09:10:00.000Z", failedAttempts: 0, redeemedAt: null, accessTokenHash: null, accessTokenExpiresAt: null, accessTokenJkt: null, holderDid: null, credentialIssuedAt: null,
    };
    await wallet.insertOffer(o);
    const now = "2026-06-01T09:01:00.000Z";
    // Wrong guesses and the right PIN race together: the right one may win only while fewer than 5 wrong were counted.
    const tries = await Promise.all(Array.from({ length: 40 }, (_, i) => wallet.redeemOffer(o.preAuthorizedCode, `m-wrong-${i}`, now, 5, `at-${i}`, "x")));
    const checked = tries.filter((r) => r?.outcome === "wrong-pin");
    expect(checked).toHaveLength(5);
    expect(checked.map((r) => (r as { failedAttempts: number }).failedAttempts).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(tries.filter((r) => r === undefined)).toHaveLength(35);
    expect(await wallet.redeemOffer(o.preAuthorizedCode, "m-right", now, 5, "at-right", "x")).toBeUndefined();
    expect(await wallet.offerById(o.id)).toMatchObject({ failedAttempts: 5, redeemedAt: null, accessTokenHash: null });
  });

  it("nonces are used once and only while live; handing out a new one prunes the expired", async () => {
    const live = newToken();
    const old = newToken();
    await wallet.insertNonce(old, "2026-06-01T09:00:30.000Z", T0);
    await wallet.insertNonce(live, "2026-06-01T09:05:00.000Z", T0);
    const used = await Promise.all([1, 2, 3].map(() => wallet.consumeNonce(live, "2026-06-01T09:01:00.000Z")));
    expect(used.filter(Boolean)).toHaveLength(1);
    await wallet.insertNonce(newToken(), "2026-06-01T09:10:00.000Z", "2026-06-01T09:01:00.000Z"); // prunes `old`
    expect(await wallet.consumeNonce(old, "2026-06-01T09:00:00.000Z")).toBe(false);
    const late = newToken();
    await wallet.insertNonce(late, "2026-06-01T09:05:00.000Z", T0);
    expect(await wallet.consumeNonce(late, "2026-06-01T09:06:00.000Z")).toBe(false); // expired
  });

  it("OpenID4VP requests are answered once; the outcome, the holder and the bar's verifier key are kept", async () => {
    const r = { id: newId(20), barId: "almaty-city", year: 2026, nonce: newToken(), createdAt: T0, createdBy: "bar-admin", expiresAt: "2026-06-01T09:10:00.000Z", answeredAt: null, licence: null, holderDid: null, outcome: null, walletError: null };
    await wallet.insertPresentationRequest(r);
    expect(await wallet.getPresentationRequest(r.id)).toEqual(r);
    expect(await wallet.getPresentationRequest("nope")).toBeUndefined();
    // OpenID4VP 1.0 §8.2: a wallet's error response is recorded on the open request and does not claim it.
    const declined = { error: "access_denied", description: "The user said no", at: "2026-06-01T09:01:00.000Z" };
    expect(await wallet.recordWalletError(r.id, declined)).toBe(true);
    expect(await wallet.getPresentationRequest(r.id)).toEqual({ ...r, walletError: declined });
    expect(await wallet.recordWalletError("nope", declined)).toBe(false);
    const claims = await Promise.all([1, 2, 3].map(() => wallet.claimPresentationRequest(r.id, "2026-06-01T09:02:00.000Z")));
    expect(claims.filter(Boolean)).toHaveLength(1);
    const outcome = { licence: "100000", holder: "did:key:z6Mkholder", credited: [], alreadyCredited: [], refused: [] };
    await wallet.recordPresentationOutcome(r.id, outcome);
    expect(await wallet.getPresentationRequest(r.id)).toEqual({ ...r, answeredAt: "2026-06-01T09:02:00.000Z", licence: "100000", holderDid: "did:key:z6Mkholder", outcome, walletError: declined });
    expect(await wallet.recordWalletError(r.id, { ...declined, error: "later" })).toBe(false); // answered: nothing recorded
    expect(await wallet.hasPresented("100000", "did:key:z6Mkholder")).toBe(true);
    expect(await wallet.hasPresented("100000", "did:key:z6Mkother")).toBe(false);

    const { certs } = await certified();
    expect(await wallet.certificateHolder(certs[0]!.id)).toEqual({ licence: "100000", barId: "almaty-city", revoked: false });
    expect(await wallet.certificateHolder("nope")).toBeUndefined();

    const k = { barId: "turkistan", kid: "did:web:senim.test:bars:turkistan#key-1", publicJwk: jwk, privateKeyEnc: "v1.a.b", createdAt: T0 };
    expect(await wallet.barVerifierKey("turkistan")).toBeUndefined();
    await Promise.all([wallet.insertBarVerifierKey(k), wallet.insertBarVerifierKey({ ...k, privateKeyEnc: "v1.c.d" })]);
    const kept = (await wallet.barVerifierKey("turkistan"))!;
    expect(kept).toMatchObject({ barId: "turkistan", kid: k.kid, publicJwk: jwk });
    await wallet.insertBarVerifierKey({ ...k, kid: "other", privateKeyEnc: "v1.e.f" }); // the bar already has one: kept
    expect(await wallet.barVerifierKey("turkistan")).toEqual(kept);

    // Rotation: two at once from the same current key; one wins, the other writes nothing.
    const next = (n: number) => ({ ...k, kid: `${k.kid.split("#")[0]}#key-${n}`, privateKeyEnc: `v1.n.${n}`, createdAt: "2026-06-01T09:03:00.000Z" });
    const retirement = { retiredAt: "2026-06-01T09:03:00.000Z", retiredBy: "bar-admin:turkistan", reason: "scheduled" as const, publishedUntil: "2026-06-01T10:03:00.000Z" };
    const races = await Promise.all([2, 3].map((n) => wallet.rotateBarVerifierKey(k.kid, next(n), retirement)));
    expect(races.filter(Boolean)).toHaveLength(1);
    const winner = races[0] ? next(2) : next(3);
    expect(await wallet.barVerifierKey("turkistan")).toEqual(winner);
    const retired = { barId: "turkistan", kid: k.kid, publicJwk: jwk, createdAt: T0, ...retirement };
    expect(await wallet.publishedRetiredVerifierKeys("turkistan", "2026-06-01T09:04:00.000Z")).toEqual([retired]);
    expect(await wallet.publishedRetiredVerifierKeys("turkistan", "2026-06-01T10:03:00.000Z")).toEqual([]); // its hour is over
    expect(await wallet.publishedRetiredVerifierKeys("almaty-city", "2026-06-01T09:04:00.000Z")).toEqual([]);
    // A stale rotation (from a key that is no longer current) changes nothing.
    expect(await wallet.rotateBarVerifierKey(k.kid, next(4), retirement)).toBe(false);
    expect(await wallet.barVerifierKey("turkistan")).toEqual(winner);
    expect(await wallet.publishedRetiredVerifierKeys("turkistan", "2026-06-01T09:04:00.000Z")).toHaveLength(1);
  });

  it("2.2.4: the ledger credits each certificate once per advocate, year and bar, also under concurrent presentations", async () => {
    const { certs } = await certified(12); // 12 rows: three statements on D1 (5 rows of 17)
    const entry = (c: StoredCertificate, barId = "almaty-city"): LedgerEntry => ({
      id: newId(16), barId, licence: "555555", year: 2026, certificateId: c.id, credentialId: `https://senim.test/c/${c.id}`, issuer: "did:web:senim.test:parties:x",
      issuerName: "Орталық", topic: "Дәлелдемелер", programme: "criminal", form: "course", role: "attendee", durationMinutes: 360, academicHours: 8,
      eventEnd: "2026-05-01T13:00:00.000Z", provenBy: "openid4vp", presentationId: null, createdAt: T0,
    });
    const first = certs.slice(0, 8).map((c) => entry(c));
    const credited = await wallet.credit(first);
    expect(credited.map((e) => e.certificateId).sort()).toEqual(first.map((e) => e.certificateId).sort());
    expect(credited.find((e) => e.certificateId === first[0]!.certificateId)).toEqual(first[0]);
    // Four concurrent presentations of all twelve: only the four new ones are credited, once.
    const runs = await Promise.all([1, 2, 3, 4].map(() => wallet.credit(certs.map((c) => entry(c)))));
    expect(runs.flat().map((e) => e.certificateId).sort()).toEqual(certs.slice(8).map((c) => c.id).sort());
    const ledger = await wallet.ledger("555555", 2026);
    expect(ledger).toHaveLength(12);
    expect(new Set(ledger.map((e) => e.certificateId)).size).toBe(12);
    expect(await wallet.ledger("555555", 2026, "astana-city")).toEqual([]);
    expect(await wallet.ledger("555555", 2025)).toEqual([]);
    // Another bar's ledger is its own: the same certificate counts there too.
    expect(await wallet.credit([entry(certs[0]!, "astana-city")])).toHaveLength(1);
    // What the compliance report reads: every presented certificate, a revoked one flagged.
    await issuance.revokeCertificate(certs[3]!.id, "error", "provider:x", T0);
    const presented = await ledgerStore.presentedInYear("almaty-city", 2026);
    const mine = presented.filter((r) => r.licence === "555555");
    expect(mine).toHaveLength(12);
    expect(mine.find((r) => r.certificateId === certs[3]!.id)).toEqual({ licence: "555555", certificateId: certs[3]!.id, minutes: 360, programme: "criminal", form: "course", role: "attendee", revoked: true });
    expect(mine.filter((r) => r.revoked)).toHaveLength(1);
    expect(await ledgerStore.presentedInYear("almaty-city", 2025)).toEqual([]);
  });

  it("2.2.4: ledger credits are all or nothing: an unknown certificate in the last statement credits none", async () => {
    const { certs } = await certified(12);
    const entries = certs.map((c, i): LedgerEntry => ({
      id: newId(16), barId: "almaty-city", licence: "666666", year: 2026, certificateId: i === 11 ? "no-such-certificate" : c.id, credentialId: "x", issuer: "did:web:x",
      issuerName: "x", topic: "x", programme: "civil", form: "course", role: "teacher", durationMinutes: 45, academicHours: 1, eventEnd: T0, provenBy: "upload", presentationId: null, createdAt: T0,
    }));
    await expect(wallet.credit(entries)).rejects.toThrow();
    expect(await wallet.ledger("666666", 2026)).toEqual([]);
  });

  it("no text parameter holds a NUL (U+0000): refused as invalid_request before the statement runs, on every dialect (PostgreSQL would fail, SQLite store it)", async () => {
    const refused = async (p: Promise<unknown>) => {
      const e = await p.then(() => undefined, (err: unknown) => err);
      expect(e).toBeInstanceOf(SenimError);
      expect((e as SenimError).code).toBe("invalid_request");
    };
    // A lookup (what a vc+jwt's kid reaches), a single write, and an atomic batch (D1 sends those past the connection).
    await refused(registry.getKey("did:web:senim.test:parties:p\u0000#key-1"));
    const id = newId(16);
    await refused(registry.insertParty({ id, kind: "centre", name: "Орталық\u0000", barId: "almaty-city", did: `did:web:senim.test:parties:${id}`, website: null, city: null, address: null, createdAt: T0 }, key(id)));
    expect(await registry.getParty(id)).toBeUndefined();
    expect(await registry.getKey(key(id).id)).toBeUndefined();
  });

  // ---- the outbox (issue 13) -------------------------------------------------------------------------------------

  const outbox = () => new KyselyOutboxStore(t);
  const messagesFor = (certs: StoredCertificate[], address: (i: number) => string | null = (i) => `p${i}@example.kz`): NewOutboxMessage[] =>
    certs.map((c, i) => ({ id: newId(16), kind: "certificate", certificateId: c.id, eventId: c.eventId, participantId: c.participantId, toAddress: address(i), lang: null, createdAt: T0 }));
  const later = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();

  it("outbox: messages are written in the certificates' atomic write; a clash stores neither, and no message is queued twice", async () => {
    const st = await setting(30);
    const certs = await certificatesFor(st);
    await issuance.insertCertificates(certs, messagesFor(certs, (i) => (i === 7 ? null : `p${i}@example.kz`)));
    const rows = await outbox().listForEvent(st.event.id);
    expect(rows).toHaveLength(30);
    expect(rows.filter((r) => r.status === "no_address")).toHaveLength(1);
    // A second message for the same certificate (a replay that got this far) breaks the whole write: nothing of it stays.
    const more = await setting(2);
    const moreCerts = await certificatesFor(more);
    const err = await issuance.insertCertificates(moreCerts, [...messagesFor(moreCerts), { ...messagesFor([certs[0]!])[0]! }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SenimError);
    expect(await issuance.listCertificates(more.event.id)).toHaveLength(0);
    expect(await outbox().listForEvent(more.event.id)).toHaveLength(0);
    expect(await outbox().listForEvent(st.event.id)).toHaveLength(30);
  });

  it("outbox: claims are leased and disjoint, even when two senders claim at once; a lapsed lease is claimed again", async () => {
    const st = await setting(12);
    const certs = await certificatesFor(st);
    await issuance.insertCertificates(certs, messagesFor(certs));
    const store = outbox();
    const now = later(60_000);
    // Each sender may take every due message (earlier tests' messages are due too, and a smaller limit could let
    // both take only those): whatever the interleaving, the two claims split the due rows between them.
    const [a, b] = await Promise.all([store.claim(now, later(120_000), "lease-a", 1000), store.claim(now, later(120_000), "lease-b", 1000)]);
    const ids = [...a, ...b].map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length); // never the same row twice
    const mine = [...a, ...b].filter((m) => m.eventId === st.event.id);
    expect(mine).toHaveLength(12);
    expect(mine.every((m) => m.status === "sending" && m.attempts === 1)).toBe(true);
    // Nothing more of these is due while the leases hold.
    const rest = await store.claim(now, later(120_000), "lease-c", 100);
    expect(rest.filter((m) => mine.some((x) => x.id === m.id))).toHaveLength(0);
    // After the lease lapses (the sender crashed), another sender claims the row; the first one's outcome is refused.
    const first = mine[0]!;
    const reclaimed = (await store.claim(later(121_000), later(300_000), "lease-d", 1000)).find((m) => m.id === first.id);
    expect(reclaimed).toMatchObject({ attempts: 2, leaseToken: "lease-d" });
    expect(await store.markSent(first.id, first.leaseToken!, "<x.0@senim.test>", later(121_500))).toBe(false);
    expect(await store.markSent(first.id, "lease-d", "<x.0@senim.test>", later(121_500))).toBe(true);
    expect(await store.get(first.id)).toMatchObject({ status: "sent", messageId: "<x.0@senim.test>", sentAt: later(121_500), leaseToken: null });
  });

  it("outbox: a retry waits for its backoff, a failure keeps the reply, and a resend starts a new generation", async () => {
    const st = await setting(2);
    const certs = await certificatesFor(st);
    await issuance.insertCertificates(certs, messagesFor(certs));
    const store = outbox();
    const claimed = (await store.claim(later(1), later(100_000), "l1", 1000)).filter((m) => m.eventId === st.event.id);
    expect(claimed).toHaveLength(2);
    const x = claimed[0]!;
    const y = claimed[1]!;
    expect(await store.markRetry(x.id, "l1", later(600_000), "451 4.3.0 Try again later", later(2))).toBe(true);
    expect(await store.markFailed(y.id, "l1", "550 5.7.1 Refused", later(2))).toBe(true);
    expect((await store.claim(later(599_000), later(700_000), "l2", 1000)).some((m) => m.id === x.id)).toBe(false);
    const again = (await store.claim(later(600_000), later(700_000), "l3", 1000)).find((m) => m.id === x.id);
    expect(again).toMatchObject({ attempts: 2, lastError: "451 4.3.0 Try again later" });
    expect(await store.get(y.id)).toMatchObject({ status: "failed", lastError: "550 5.7.1 Refused", generation: 0 });
    // The failed one goes out again as a new generation; the one being sent is left to its sender.
    expect(await store.requeue([{ id: y.id, toAddress: "new@example.kz" }, { id: x.id, toAddress: "p0@example.kz" }], later(700_001))).toBe(1);
    expect(await store.get(y.id)).toMatchObject({ status: "queued", attempts: 0, generation: 1, toAddress: "new@example.kz", lastError: null });
    expect(await store.get(x.id)).toMatchObject({ status: "sending", generation: 0 });
    const counts = await store.countByStatus();
    expect(counts.queued + counts.sending + counts.sent + counts.failed + counts.no_address).toBeGreaterThan(0);
  });
});
