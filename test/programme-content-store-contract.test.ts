/**
 * The store contract of the programmes' approved indicative content (10.3; migration 0020), on every store Senim runs
 * on (SQLite, PostgreSQL, D1 in workerd): approvals are only added, never replaced; a bar's are read back newest first
 * (by the decision's date, then by when recorded), of one programme or of all, and never another bar's; the text in
 * each language comes back exactly, Cyrillic, line breaks and absent languages included; an approval names a bar and
 * a programme that exist.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProgrammeApproval } from "../src/domain/programme-content.js";
import { newId } from "../src/lib/ids.js";
import { KyselyProgrammeContentStore } from "../src/storage/programme-content-store.js";
import { DATABASE_KINDS, openTestDatabase, type TestDatabase } from "./databases.js";

const approval = (o: Partial<ProgrammeApproval> = {}): ProgrammeApproval => ({
  id: newId(20),
  barId: "almaty-city",
  programme: "criminal",
  content: { kk: "1. Қылмыстық процестегі дәлелдемелер.\n2. Қорғаушының «құқықтары».", ru: "1. Доказательства в уголовном процессе.", en: null },
  decisionNumber: "14-П",
  decisionDate: "2026-02-10",
  recordedAt: "2026-02-11T05:00:00Z",
  recordedBy: "bar-admin:almaty-city:k1",
  ...o,
});

describe.each(DATABASE_KINDS)("store contract: programme content (10.3) on %s", (kind) => {
  let t: TestDatabase;
  let store: KyselyProgrammeContentStore;

  beforeAll(async () => {
    t = await openTestDatabase(kind);
    store = new KyselyProgrammeContentStore(t);
  }, 60_000);
  afterAll(async () => t?.close());

  it("10.3: an approval is stored and read back exactly; a second one is added beside it, the first kept", async () => {
    const first = approval({ barId: "astana-city" });
    await store.insertApproval(first);
    expect(await store.approvals("astana-city", "criminal")).toEqual([first]);
    const second = approval({ barId: "astana-city", decisionNumber: "20-П", decisionDate: "2026-05-04", recordedAt: "2026-05-05T05:00:00Z", content: { kk: null, ru: null, en: "Evidence; defence rights." } });
    await store.insertApproval(second);
    expect(await store.approvals("astana-city", "criminal")).toEqual([second, first]);
    // Never replaced: the same id again is refused, and what was stored stays.
    await expect(store.insertApproval({ ...first, decisionNumber: "changed" })).rejects.toThrow();
    expect(await store.approvals("astana-city", "criminal")).toEqual([second, first]);
  });

  it("10.3: newest first by decision date, then by when recorded; one programme or all; never another bar's", async () => {
    const bar = "shymkent-city";
    const older = approval({ barId: bar, decisionDate: "2026-01-15", recordedAt: "2026-03-01T05:00:00Z" });
    const sameDayEarlier = approval({ barId: bar, decisionDate: "2026-02-01", recordedAt: "2026-02-01T05:00:00Z" });
    const sameDayLater = approval({ barId: bar, decisionDate: "2026-02-01", recordedAt: "2026-02-01T06:00:00Z" });
    const civil = approval({ barId: bar, programme: "civil", decisionDate: "2026-04-01" });
    const elsewhere = approval({ barId: "almaty-region", decisionDate: "2026-05-01" });
    for (const a of [sameDayEarlier, civil, older, elsewhere, sameDayLater]) await store.insertApproval(a);
    expect(await store.approvals(bar, "criminal")).toEqual([sameDayLater, sameDayEarlier, older]);
    expect(await store.approvals(bar)).toEqual([civil, sameDayLater, sameDayEarlier, older]);
    expect(await store.approvals(bar, "topical")).toEqual([]);
    expect(await store.approvals("almaty-region")).toEqual([elsewhere]);
  });

  it("10.3: an approval names a bar and a programme that exist", async () => {
    await expect(store.insertApproval(approval({ barId: "no-such-bar" }))).rejects.toThrow();
    await expect(store.insertApproval(approval({ programme: "no-such-programme" as never }))).rejects.toThrow();
    expect(await store.approvals("no-such-bar")).toEqual([]);
  });
});
