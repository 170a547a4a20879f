/**
 * Issue 18: the report reads start from the year's events (the analysis, the certificates issued to a bar's members)
 * or from the bar's members (the Foundations look-back of every earlier year), never from everything stored. These
 * cases pin what each read returns on SQLite, PostgreSQL and D1, whatever order the statement joins in: Kazakhstan
 * year boundaries, other years left out, revoked certificates, `asOf`, the minutes each participant is credited, and
 * who counts as a member (by licence, whatever bar the list named: 2.1(2)). Instants are written as the service writes
 * them (`toInstant`: no milliseconds), since the year's bounds are compared as text.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Member } from "../src/compliance/model.js";
import type { CleEvent, Participant, StoredCertificate } from "../src/issuance/model.js";
import { toInstant } from "../src/domain/time.js";
import { newId } from "../src/lib/ids.js";
import type { Party, PartyKey } from "../src/registry/model.js";
import { KyselyAnalysisStore } from "../src/storage/analysis-store.js";
import { KyselyIssuanceStore } from "../src/storage/issuance-store.js";
import { KyselyMemberStore } from "../src/storage/member-store.js";
import { KyselyRegistryStore } from "../src/storage/registry-store.js";
import { DATABASE_KINDS, openTestDatabase, type TestDatabase } from "./databases.js";

const T0 = "2026-06-01T09:00:00.000Z";
const ISSUED_LATE = "2026-02-01T09:00:00Z";
const jwk = { kty: "OKP" as const, crv: "Ed25519" as const, x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo" };

/** One participant of the fixture: licence, the bar its list names, role, minutes, and what becomes of its certificate. */
interface Listed { licence: string; bar: string; role?: "attendee" | "teacher"; attended?: number; taught?: number; revoked?: boolean; issuedAt?: string }

describe.each(DATABASE_KINDS)("report reads on %s", (kind) => {
  let t: TestDatabase;
  let issuance: KyselyIssuanceStore;
  let members: KyselyMemberStore;
  let analysis: KyselyAnalysisStore;
  const ids = new Map<string, string>(); // `${event}:${licence}` → certificate id

  beforeAll(async () => {
    t = await openTestDatabase(kind);
    const registry = new KyselyRegistryStore(t);
    issuance = new KyselyIssuanceStore(t);
    members = new KyselyMemberStore(t);
    analysis = new KyselyAnalysisStore(t);

    const partyOf = async (barId: string): Promise<{ party: Party; key: PartyKey; accreditationId: string }> => {
      const id = newId(16);
      const party: Party = { id, kind: "centre", name: `Орталық ${id}`, barId, did: `did:web:senim.test:parties:${id}`, website: null, city: null, address: null, createdAt: T0 };
      const key: PartyKey = { id: `${party.did}#key-1`, partyId: id, publicJwk: jwk, privateKeyEnc: "v1.iv.sealed", validFrom: "2019-01-01T00:00:00.000Z", validUntil: null };
      await registry.insertParty(party, key);
      const accreditationId = newId(16);
      await registry.insertAccreditation({
        id: accreditationId, partyId: id, barId, decisionNumber: "1-П", decisionDate: "2019-01-01", criteria: [{ criterion: "education-licence", evidence: "KZ-1" }],
        programmes: null, forms: null, validFrom: "2019-01-01T00:00:00.000Z", validUntil: null, withdrawal: null, violationCount: 0,
      }, { recordedAt: T0, recordedBy: "rba-admin" });
      return { party, key, accreditationId };
    };
    const aktobeCentre = await partyOf("aktobe");
    const turkistanCentre = await partyOf("turkistan");

    const event = async (name: string, provider: typeof aktobeCentre, o: Partial<CleEvent> & { endsAt: string }, listed: Listed[]) => {
      const e: CleEvent = {
        id: newId(16), partyId: provider.party.id, topic: name, programme: "civil", form: "seminar", deliveryMode: "in-person", coOrganiserBarId: null, place: "Ақтөбе",
        startsAt: toInstant(Date.parse(o.endsAt) - 3_600_000), durationMinutes: 90, trainers: [{ name: "Сейтқали Ә." }], certificatesValidUntil: null, createdAt: T0, ...o,
      };
      await issuance.insertEvent(e);
      const participants: Participant[] = listed.map((l, i) => ({
        id: newId(16), eventId: e.id, licenceNumber: l.licence, fullName: `Адвокат ${l.licence}`, barId: l.bar, role: l.role ?? "attendee", email: null, walletDid: null, position: i,
        attendedMinutes: l.attended ?? null, taughtMinutes: l.taught ?? null,
      }));
      await issuance.replaceParticipants(e.id, participants);
      const allocations = await issuance.allocateStatusEntries(provider.party.id, "revocation", participants.length, 131_072, T0);
      const entries = allocations.flatMap((a) => a.counters.map((c) => ({ listId: a.listId, index: c })));
      const certs: StoredCertificate[] = participants.map((p, i) => ({
        id: newId(16), eventId: e.id, participantId: p.id, partyId: provider.party.id, keyId: provider.key.id, accreditationId: provider.accreditationId,
        statusListId: entries[i]!.listId, statusIndex: entries[i]!.index, issuedAt: listed[i]!.issuedAt ?? toInstant(Date.parse(e.endsAt) + 86_400_000), jwt: `eyJ.${name}.${i}`, revokedAt: null, revocationReason: null, revokedBy: null,
      }));
      await issuance.insertCertificates(certs);
      for (const [i, l] of listed.entries()) {
        ids.set(`${name}:${l.licence}`, certs[i]!.id);
        if (l.revoked) await issuance.revokeCertificate(certs[i]!.id, "error", "provider:x", T0);
      }
    };

    const member = (barId: string, licence: string): Member => ({ barId, licence, fullName: `Мүше ${licence}`, admissionDate: "2015-03-01", email: null, createdAt: T0, updatedAt: T0 });
    await members.upsertMembers(["700001", "700002", "700003"].map((l) => member("aktobe", l)));
    await members.upsertMembers([member("turkistan", "700004")]);

    // 2023 and 2024: Foundations courses, the look-back's; one revoked, one taught, one of another bar's member.
    await event("f2023", aktobeCentre, { programme: "foundations", endsAt: "2023-03-01T10:00:00Z", durationMinutes: 540 }, [
      { licence: "700001", bar: "aktobe" },
      { licence: "700002", bar: "aktobe", role: "teacher", taught: 90 },
      { licence: "700004", bar: "turkistan" },
    ]);
    await event("f2024", turkistanCentre, { programme: "foundations", endsAt: "2024-12-31T18:00:00Z", durationMinutes: 540 }, [
      { licence: "700001", bar: "turkistan", attended: 480 }, // the list named another bar: still 700001's (2.1(2))
      { licence: "700003", bar: "aktobe", revoked: true },
    ]);
    // 2025 (Kazakhstan time, UTC+5): from 2024-12-31T19:00Z to 2025-12-31T19:00Z.
    await event("civil2025", aktobeCentre, { endsAt: "2024-12-31T19:00:00Z" }, [
      { licence: "700001", bar: "aktobe", attended: 60 },
      { licence: "700002", bar: "aktobe", role: "teacher", taught: 45 },
      { licence: "700004", bar: "turkistan" },
      { licence: "799999", bar: "aktobe" }, // no member of either bar
    ]);
    await event("criminal2025", turkistanCentre, { programme: "criminal", form: "course", deliveryMode: "online", endsAt: "2025-12-31T18:59:59Z", durationMinutes: 360 }, [
      { licence: "700001", bar: "turkistan" },
      { licence: "700003", bar: "aktobe", revoked: true },
      { licence: "700002", bar: "aktobe", issuedAt: ISSUED_LATE },
    ]);
    await event("f2025", aktobeCentre, { programme: "foundations", endsAt: "2025-06-01T10:00:00Z", durationMinutes: 540 }, [{ licence: "700002", bar: "aktobe" }]);
    // 2026 already: 2025-12-31T19:00Z is midnight in Almaty.
    await event("topical2026", aktobeCentre, { programme: "topical", endsAt: "2025-12-31T19:00:00Z", durationMinutes: 180 }, [{ licence: "700001", bar: "aktobe" }]);
  }, 120_000);
  afterAll(async () => t?.close());

  const record = (event: string, licence: string, o: { minutes: number; programme: string; form: string; role?: "attendee" | "teacher"; revoked?: boolean }) => ({
    licence, certificateId: ids.get(`${event}:${licence}`)!, minutes: o.minutes, programme: o.programme, form: o.form, role: o.role ?? "attendee", revoked: o.revoked ?? false,
  });
  const byId = <T extends { certificateId: string }>(xs: T[]) => [...xs].sort((a, b) => a.certificateId.localeCompare(b.certificateId));

  it("12.2: the certificates of the year's events to the bar's members, by licence whatever bar the list named; revoked ones flagged", async () => {
    expect(byId(await members.issuedToMembers("aktobe", 2025))).toEqual(byId([
      record("civil2025", "700001", { minutes: 60, programme: "civil", form: "seminar" }),
      record("civil2025", "700002", { minutes: 45, programme: "civil", form: "seminar", role: "teacher" }),
      record("criminal2025", "700001", { minutes: 360, programme: "criminal", form: "course" }),
      record("criminal2025", "700003", { minutes: 360, programme: "criminal", form: "course", revoked: true }),
      record("criminal2025", "700002", { minutes: 360, programme: "criminal", form: "course" }),
      record("f2025", "700002", { minutes: 540, programme: "foundations", form: "seminar" }),
    ]));
    expect(await members.issuedToMembers("turkistan", 2025)).toEqual([record("civil2025", "700004", { minutes: 90, programme: "civil", form: "seminar" })]);
    expect(await members.issuedToMembers("aktobe", 2026)).toEqual([record("topical2026", "700001", { minutes: 180, programme: "topical", form: "seminar" })]);
    expect(await members.issuedToMembers("aktobe", 2022)).toEqual([]);
    expect(await members.issuedToMembers("almaty-city", 2025)).toEqual([]); // no members
  });

  it("12.2: asOf keeps only what was issued up to that instant", async () => {
    const asOf = (await members.issuedToMembers("aktobe", 2025, "2026-01-15T00:00:00Z")).map((r) => r.certificateId);
    expect(asOf).toHaveLength(5);
    expect(asOf).not.toContain(ids.get("criminal2025:700002"));
  });

  it("10.2: the Foundations look-back reads every earlier year of the members, attended and not revoked, and no later one", async () => {
    const sorted = (xs: { licence: string; year: number; minutes: number }[]) => [...xs].sort((a, b) => a.licence.localeCompare(b.licence) || a.year - b.year);
    // 700001: 2023 (the whole 540 minutes) and 2024 (480 attended, on a list that named Turkistan); 700002 taught
    // (not attended); 700003's is revoked; 2025's own Foundations course is not "before".
    expect(sorted(await members.foundationsBefore("aktobe", 2025))).toEqual([
      { licence: "700001", year: 2023, minutes: 540 },
      { licence: "700001", year: 2024, minutes: 480 },
    ]);
    expect(sorted(await members.foundationsBefore("aktobe", 2026))).toEqual([
      { licence: "700001", year: 2023, minutes: 540 },
      { licence: "700001", year: 2024, minutes: 480 },
      { licence: "700002", year: 2025, minutes: 540 },
    ]);
    expect(await members.foundationsBefore("aktobe", 2024)).toEqual([{ licence: "700001", year: 2023, minutes: 540 }]);
    expect(await members.foundationsBefore("turkistan", 2025)).toEqual([{ licence: "700004", year: 2023, minutes: 540 }]);
    expect(await members.foundationsBefore("aktobe", 2023)).toEqual([]);
  });

  it("3.2: the analysis counts the year's unrevoked certificates by the bar the list named, whoever is a member", async () => {
    const groups = (xs: Awaited<ReturnType<KyselyAnalysisStore["trainingGroups"]>>) => xs.map((g) => `${g.programme}/${g.form}/${g.deliveryMode}:${g.certificates}:${g.minutes}`).sort();
    expect(groups(await analysis.trainingGroups(2025))).toEqual(["civil/seminar/in-person:4:285", "criminal/course/online:2:720", "foundations/seminar/in-person:1:540"]);
    expect(groups(await analysis.trainingGroups(2025, "aktobe"))).toEqual(["civil/seminar/in-person:3:195", "criminal/course/online:1:360", "foundations/seminar/in-person:1:540"]);
    expect(groups(await analysis.trainingGroups(2025, "turkistan"))).toEqual(["civil/seminar/in-person:1:90", "criminal/course/online:1:360"]);
    expect(groups(await analysis.trainingGroups(2026, "aktobe"))).toEqual(["topical/seminar/in-person:1:180"]);
    expect(await analysis.trainingGroups(2025, "almaty-city")).toEqual([]);

    expect(await analysis.distinctCounts(2025)).toEqual({ events: 3, providers: 2, advocates: 4 }); // 700003's only one is revoked
    expect(await analysis.distinctCounts(2025, "aktobe")).toEqual({ events: 3, providers: 2, advocates: 3 });
    expect(await analysis.distinctCounts(2025, "turkistan")).toEqual({ events: 2, providers: 2, advocates: 2 });
    expect(await analysis.distinctCounts(2022)).toEqual({ events: 0, providers: 0, advocates: 0 });

    const byBar = (await analysis.certificatesByBar(2025)).sort((a, b) => a.barId.localeCompare(b.barId));
    expect(byBar).toEqual([{ barId: "aktobe", certificates: 5, minutes: 1095 }, { barId: "turkistan", certificates: 2, minutes: 450 }]);
    expect(await analysis.certificatesByBar(2024)).toEqual([{ barId: "turkistan", certificates: 1, minutes: 480 }]);
  });
});
