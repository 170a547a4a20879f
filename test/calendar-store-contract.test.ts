/**
 * The store contract of the calendar of accredited events (7.3, 6.1–6.2), on every store Senim runs on (SQLite,
 * PostgreSQL, D1 in workerd): an announcement is one row per event, replaced whole, deleted once; the calendar's
 * read lists announced events still to come, by their start, narrowed by programme, form, delivery, dates, provider
 * and "costs the advocate nothing".
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Announcement } from "../src/domain/announcement.js";
import type { CleEvent } from "../src/issuance/model.js";
import { newId } from "../src/lib/ids.js";
import type { Party } from "../src/registry/model.js";
import { KyselyIssuanceStore } from "../src/storage/issuance-store.js";
import { KyselyRegistryStore } from "../src/storage/registry-store.js";
import { DATABASE_KINDS, openTestDatabase, type TestDatabase } from "./databases.js";

const T0 = "2026-06-01T09:00:00Z";
const jwk = { kty: "OKP" as const, crv: "Ed25519" as const, x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo" };

describe.each(DATABASE_KINDS)("store contract: the calendar (7.3) on %s", (kind) => {
  let t: TestDatabase;
  let registry: KyselyRegistryStore;
  let issuance: KyselyIssuanceStore;

  beforeAll(async () => {
    t = await openTestDatabase(kind);
    registry = new KyselyRegistryStore(t);
    issuance = new KyselyIssuanceStore(t);
  }, 60_000);
  afterAll(async () => t?.close());

  async function newParty(): Promise<Party> {
    const id = newId(16);
    const p: Party = { id, kind: "centre", name: `Орталық ${id}`, barId: "almaty-city", did: `did:web:senim.test:parties:${id}`, website: null, city: null, address: null, createdAt: T0 };
    await registry.insertParty(p, { id: `${p.did}#key-1`, partyId: id, publicJwk: jwk, privateKeyEnc: "v1.iv.sealed", validFrom: T0, validUntil: null });
    return p;
  }

  async function newEvent(partyId: string, o: Partial<CleEvent> = {}): Promise<CleEvent> {
    const e: CleEvent = {
      id: newId(16), partyId, topic: "Дәлелдемелер", programme: "criminal", form: "course", deliveryMode: "in-person",
      coOrganiserBarId: null, place: "Алматы", startsAt: "2026-07-01T05:00:00Z", endsAt: "2026-07-01T11:00:00Z",
      durationMinutes: 270, trainers: [{ name: "Сейтқали Ә." }], certificatesValidUntil: null, createdAt: T0, ...o,
    };
    await issuance.insertEvent(e);
    return e;
  }

  const announcement = (eventId: string, o: Partial<Announcement> = {}): Announcement => ({
    eventId, announcedAt: T0, updatedAt: T0, description: "Сипаттама,\nекі жол; «тырнақша»", city: "Алматы", venue: "Абай даңғылы 10", link: null,
    fee: { kind: "free" }, seats: 40, ...o,
  });

  it("7.3: an announcement is stored, replaced whole by a second put (one row per event), read back and deleted once", async () => {
    const p = await newParty();
    const e = await newEvent(p.id);
    expect(await issuance.getAnnouncement(e.id)).toBeUndefined();
    const first = announcement(e.id);
    await issuance.putAnnouncement(first);
    expect(await issuance.getAnnouncement(e.id)).toEqual(first);
    // 6.1–6.2: every fee kind comes back as it went in; the announcement's first date stays as the caller keeps it.
    const paid = announcement(e.id, { updatedAt: "2026-06-02T09:00:00Z", fee: { kind: "paid", amountTenge: 15_000 }, seats: null, city: null, venue: null, link: "https://meet.example.kz/room" });
    await issuance.putAnnouncement(paid);
    expect(await issuance.getAnnouncement(e.id)).toEqual(paid);
    const sponsored = announcement(e.id, { fee: { kind: "sponsored", sponsor: "grant" } });
    await issuance.putAnnouncement(sponsored);
    expect(await issuance.getAnnouncement(e.id)).toEqual(sponsored);
    const listed = await issuance.listAnnounced({ endsAfter: T0, partyId: p.id, limit: 10 });
    expect(listed).toEqual([{ event: e, announcement: sponsored }]);
    expect(await issuance.deleteAnnouncement(e.id)).toBe(true);
    expect(await issuance.deleteAnnouncement(e.id)).toBe(false);
    expect(await issuance.getAnnouncement(e.id)).toBeUndefined();
    expect(await issuance.listAnnounced({ endsAfter: T0, partyId: p.id, limit: 10 })).toEqual([]);
  });

  it("7.3: an announcement names an event that exists", async () => {
    await expect(issuance.putAnnouncement(announcement("no-such-event"))).rejects.toThrow();
  });

  it("7.3, 6.1–6.2: the calendar lists announced events still to come by their start, narrowed by programme, form, delivery, dates, provider and free-only", async () => {
    const p = await newParty();
    const other = await newParty();
    const at = (day: string, hours = 6) => ({ startsAt: `2026-${day}T05:00:00Z`, endsAt: `2026-${day}T${String(5 + hours).padStart(2, "0")}:00:00Z` });
    const civil = await newEvent(p.id, { programme: "civil", form: "seminar", deliveryMode: "online", ...at("07-10") });
    const criminal = await newEvent(p.id, { programme: "criminal", form: "course", deliveryMode: "in-person", ...at("07-01") });
    const sponsored = await newEvent(p.id, { programme: "topical", form: "training", deliveryMode: "distance", ...at("08-20") });
    const ended = await newEvent(p.id, { ...at("05-20") });
    const unannounced = await newEvent(p.id, { ...at("07-05") });
    const othersEvent = await newEvent(other.id, { ...at("07-02") });
    await issuance.putAnnouncement(announcement(civil.id, { fee: { kind: "paid", amountTenge: 20_000 } }));
    await issuance.putAnnouncement(announcement(criminal.id));
    await issuance.putAnnouncement(announcement(sponsored.id, { fee: { kind: "sponsored", sponsor: "bar" } }));
    await issuance.putAnnouncement(announcement(ended.id));
    await issuance.putAnnouncement(announcement(othersEvent.id));
    void unannounced;

    const ids = async (q: Partial<Parameters<KyselyIssuanceStore["listAnnounced"]>[0]> = {}) =>
      (await issuance.listAnnounced({ endsAfter: T0, partyId: p.id, limit: 100, ...q })).map((x) => x.event.id);
    expect(await ids()).toEqual([criminal.id, civil.id, sponsored.id]);
    expect(await ids({ programme: "civil" })).toEqual([civil.id]);
    expect(await ids({ form: "course" })).toEqual([criminal.id]);
    expect(await ids({ deliveryMode: "distance" })).toEqual([sponsored.id]);
    expect(await ids({ freeOnly: true })).toEqual([criminal.id, sponsored.id]);
    expect(await ids({ endsAfter: "2026-07-05T00:00:00Z" })).toEqual([civil.id, sponsored.id]);
    expect(await ids({ startsBefore: "2026-07-10T05:00:00Z" })).toEqual([criminal.id]);
    expect(await ids({ endsAfter: "2026-07-01T10:59:59Z", startsBefore: "2026-07-01T19:00:00Z" })).toEqual([criminal.id]);
    expect(await ids({ limit: 2 })).toEqual([criminal.id, civil.id]);
    expect(await ids({ partyId: other.id })).toEqual([othersEvent.id]);
    // Without a provider: both providers' events, still by their start.
    const all = (await issuance.listAnnounced({ endsAfter: T0, limit: 1000 })).map((x) => x.event.id);
    expect(all.filter((id) => [criminal.id, othersEvent.id, civil.id].includes(id))).toEqual([criminal.id, othersEvent.id, civil.id]);
    expect(all).not.toContain(ended.id);
    expect(all).not.toContain(unannounced.id);
  });
});
