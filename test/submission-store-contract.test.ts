/**
 * The store contract for outside and paper certificates (2.2(2), 7.5), on every store Senim runs on (SQLite,
 * PostgreSQL, D1 in workerd): attachments put/get/delete by id, including one of ~9 MB (chunked under D1's row
 * limit), the submission lifecycle, and concurrent decisions of which exactly one wins.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Submission } from "../src/compliance/submissions.js";
import { newId } from "../src/lib/ids.js";
import { KyselyAttachmentStore } from "../src/storage/attachment-store.js";
import { KyselyMemberStore } from "../src/storage/member-store.js";
import { KyselySubmissionStore } from "../src/storage/submission-store.js";
import { DATABASE_KINDS, openTestDatabase, type TestDatabase } from "./databases.js";

const T0 = "2026-06-01T09:00:00.000Z";

describe.each(DATABASE_KINDS)("store contract: submissions on %s", (kind) => {
  let t: TestDatabase;
  let attachments: KyselyAttachmentStore;
  let submissions: KyselySubmissionStore;

  beforeAll(async () => {
    t = await openTestDatabase(kind);
    attachments = new KyselyAttachmentStore(t);
    submissions = new KyselySubmissionStore(t);
    await new KyselyMemberStore(t).upsertMembers(
      ["100000", "100001"].map((licence) => ({ barId: "almaty-city", licence, fullName: `Адвокат ${licence}`, admissionDate: "2015-01-01", email: null, createdAt: T0, updatedAt: T0 })),
    );
  }, 60_000);
  afterAll(async () => t?.close());

  const sample = (o: Partial<Submission> = {}): Submission => ({
    id: newId(16), barId: "almaty-city", licence: "100000", year: 2026, organiser: "Шетелдік орталық", topic: "Дәлелдемелер", programme: "criminal", form: "seminar",
    completedOn: "2026-04-10", claimedHours: 8.5, attachment: null, credential: null, submittedAt: T0, submittedBy: "advocate:almaty-city:100000", onBehalf: false,
    status: "pending", creditedHours: null, reason: null, decidedAt: null, decidedBy: null, ...o,
  });

  it("puts, gets and deletes an attachment by id; a ~9 MB one comes back byte for byte", async () => {
    const small = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    await attachments.put({ id: "a-small", mediaType: "image/png", bytes: small, createdAt: T0 });
    expect(await attachments.get("a-small")).toEqual({ id: "a-small", mediaType: "image/png", size: small.length, bytes: small });

    const big = new Uint8Array(9 * 1024 * 1024 + 17);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31 + (i >> 11)) & 255;
    big.set([0x25, 0x50, 0x44, 0x46, 0x2d], 0);
    await attachments.put({ id: "a-big", mediaType: "application/pdf", bytes: big, createdAt: T0 });
    const back = await attachments.get("a-big");
    expect(back?.size).toBe(big.length);
    expect(Buffer.from(back!.bytes).equals(Buffer.from(big))).toBe(true);

    expect(await attachments.delete("a-big")).toBe(true);
    expect(await attachments.get("a-big")).toBeUndefined();
    expect(await attachments.delete("a-big")).toBe(false);
    expect(await attachments.get("nothing")).toBeUndefined();
  }, 120_000);

  it("an attachment is stored whole or not at all (a repeated id leaves the first intact)", async () => {
    const bytes = new Uint8Array(600 * 1024).fill(7);
    await attachments.put({ id: "a-once", mediaType: "image/jpeg", bytes, createdAt: T0 });
    await expect(attachments.put({ id: "a-once", mediaType: "image/jpeg", bytes: new Uint8Array(10), createdAt: T0 })).rejects.toThrow();
    expect((await attachments.get("a-once"))?.size).toBe(bytes.length);
  });

  it("a submission's lifecycle: pending first in the list, decided once, counted when accepted by a member's bar", async () => {
    const credential = { text: "eyJ.x.y", credentialId: "urn:uuid:1", issuer: "did:key:z6Mk", verified: false, profile: "generic", failed: ["unknown-key"] };
    const a = sample({ submittedAt: "2026-06-01T10:00:00.000Z", attachment: { id: "a-small", mediaType: "image/png", size: 11, name: "scan.pdf" }, credential });
    const b = sample({ submittedAt: "2026-06-01T11:00:00.000Z", licence: "100001", onBehalf: true, submittedBy: "bar-admin:almaty-city:k1" });
    const other = sample({ barId: "astana-city" });
    for (const s of [a, b, other]) await submissions.insert(s);
    expect(await submissions.get("almaty-city", a.id)).toEqual(a);
    expect(await submissions.get("astana-city", a.id)).toBeUndefined(); // scoped by bar

    const accepted = await submissions.decide("almaty-city", b.id, { status: "accepted", creditedHours: 6.5 }, "2026-06-02T09:00:00.000Z", "bar-admin:almaty-city:k2");
    expect(accepted).toMatchObject({ status: "accepted", creditedHours: 6.5, decidedBy: "bar-admin:almaty-city:k2", decidedAt: "2026-06-02T09:00:00.000Z", reason: null });
    expect(await submissions.decide("almaty-city", b.id, { status: "rejected", reason: "x" }, T0, "other")).toBeUndefined(); // final
    expect(await submissions.decide("astana-city", a.id, { status: "rejected", reason: "x" }, T0, "other")).toBeUndefined(); // another bar's

    expect((await submissions.list("almaty-city")).map((s) => s.id)).toEqual([a.id, b.id]); // pending first
    expect((await submissions.list("almaty-city", { status: "pending" })).map((s) => s.id)).toEqual([a.id]);
    expect((await submissions.listForMember("almaty-city", "100001")).map((s) => s.id)).toEqual([b.id]);
    expect((await submissions.acceptedInYear("almaty-city", 2026)).map((s) => s.id)).toEqual([b.id]);
    expect(await submissions.acceptedInYear("almaty-city", 2025)).toEqual([]);

    const rejected = await submissions.decide("almaty-city", a.id, { status: "rejected", reason: "Сертификат оқылмайды" }, "2026-06-03T09:00:00.000Z", "rba-admin:r1");
    expect(rejected).toMatchObject({ status: "rejected", reason: "Сертификат оқылмайды", creditedHours: null, credential });
  });

  it("concurrent decisions on one submission: exactly one wins", async () => {
    const s = sample();
    await submissions.insert(s);
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        submissions.decide("almaty-city", s.id, i % 2 ? { status: "rejected", reason: `r${i}` } : { status: "accepted", creditedHours: 1 }, `2026-06-02T09:00:${String(i).padStart(2, "0")}.000Z`, `admin-${i}`),
      ),
    );
    const winners = results.filter((r) => r !== undefined);
    expect(winners).toHaveLength(1);
    expect(await submissions.get("almaty-city", s.id)).toEqual(winners[0]);
  });
});
