/**
 * Issue 14, the Procedure's clauses that had no test naming them (docs/procedure-clauses.md), each asserted by what
 * Senim does, over real HTTP in process on SQLite, PostgreSQL and D1 (workerd):
 * 2.1(2) credit from a provider another bar accredited counts at the member's own bar; 2.2(1) the yearly quota is the
 * measure of the duty; 3.1(2) a territorial bar controls its own members' training; 3.1(3) it analyses and summarises
 * its year; 4.1(3) the RBA registers and runs its own centre, which a territorial bar accredits; 7.2(1)–(3) training
 * with the RBA's centre, a bar's centre, an organisation or a trainer counts once accredited, and not before;
 * 9.1(2)–(4) each criterion alone, with evidence, accredits; and 10.3, the bars' approval of the programmes'
 * indicative content: who may record it, what is refused with nothing stored, the history kept, and the public
 * registry page showing it in Kazakh and Russian.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { statusOf } from "../src/domain/compliance.js";
import { PROGRAMME_CONTENT_MAX } from "../src/domain/programme-content.js";
import { toInstant } from "../src/domain/time.js";
import { DATABASE_KINDS } from "./databases.js";
import { startSenim, type TestSenim } from "./helpers.js";

const ACCREDITED_FROM = "2026-01-01";

describe.each(DATABASE_KINDS)("the Procedure's clauses on %s", (kind) => {
  let s: TestSenim;
  const barTokens = new Map<string, string>();

  beforeAll(async () => {
    s = await startSenim({ database: kind, now: "2026-06-01T09:00:00Z" });
  }, 60_000);
  afterAll(async () => s?.close());

  /** A bar-admin API key of `barId` (one per bar). */
  async function barAdmin(barId: string): Promise<string> {
    const known = barTokens.get(barId);
    if (known) return known;
    const r = await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId, label: "office" } });
    if (r.status !== 201) throw new Error(`bar key: ${r.status} ${r.text}`);
    barTokens.set(barId, r.body.token);
    return r.body.token;
  }

  async function register(token: string, o: { kind: "centre" | "organisation" | "trainer"; barId: string; name: string }) {
    const r = await s.call("POST", "/api/parties", { token, body: o });
    if (r.status !== 201) throw new Error(`party: ${r.status} ${r.text}`);
    return r.body as { id: string; did: string; kind: string; barId: string };
  }

  const decision = (barId: string, criteria: { criterion: string; evidence: string }[]) => ({ barId, decisionNumber: "7-П", decisionDate: ACCREDITED_FROM, criteria, validFrom: ACCREDITED_FROM });
  const accredit = (token: string, partyId: string, barId: string, criteria: { criterion: string; evidence: string }[]) =>
    s.call("POST", `/api/parties/${partyId}/accreditations`, { token, body: decision(barId, criteria) });

  async function providerKey(partyId: string): Promise<string> {
    const r = await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "provider", partyId, label: "issuing" } });
    if (r.status !== 201) throw new Error(`provider key: ${r.status} ${r.text}`);
    return r.body.token;
  }

  /** An 8-academic-hour event (360 minutes) that ended yesterday, for members of `barId` with these licences. */
  const eventBody = (o: { form?: string; programme?: string } = {}) => {
    const end = s.clock.ms - 86_400_000;
    return {
      topic: "Адвокаттың кәсіби әдебі",
      programme: o.programme ?? "topical",
      form: o.form ?? "course",
      deliveryMode: "in-person",
      place: "Алматы",
      startsAt: toInstant(end - 8 * 3_600_000),
      endsAt: toInstant(end),
      durationMinutes: 360,
      trainers: [{ name: "Сейтқали Ә.", field: "адвокаттық қызмет, 15 жыл" }],
    };
  };

  /** Records the event, its participants and issues their certificates; returns the certificates' ids. */
  async function certify(providerToken: string, barId: string, licences: string[], o: { form?: string; programme?: string } = {}): Promise<string[]> {
    const ev = await s.call("POST", "/api/events", { token: providerToken, body: eventBody(o) });
    if (ev.status !== 201) throw new Error(`event: ${ev.status} ${ev.text}`);
    const participants = licences.map((licenceNumber) => ({ fullName: `Адвокат ${licenceNumber}`, licenceNumber, barId, role: "attendee" }));
    const put = await s.call("PUT", `/api/events/${ev.body.id}/participants`, { token: providerToken, body: { participants } });
    if (put.status !== 200) throw new Error(`participants: ${put.status} ${put.text}`);
    const issued = await s.call("POST", `/api/events/${ev.body.id}/certificates`, { token: providerToken });
    if (issued.status !== 201) throw new Error(`issue: ${issued.status} ${issued.text}`);
    return issued.body.certificates.map((c: { id: string }) => c.id);
  }

  async function members(barId: string, licences: string[]): Promise<void> {
    const token = await barAdmin(barId);
    for (const licence of licences) {
      const r = await s.call("POST", `/api/bars/${barId}/members`, { token, body: { licence, fullName: `Адвокат ${licence}`, admissionDate: "2015-03-01" } });
      if (r.status !== 201) throw new Error(`member: ${r.status} ${r.text}`);
    }
  }

  async function report(barId: string) {
    const r = await s.call("GET", `/api/bars/${barId}/compliance/2026`, { token: await barAdmin(barId) });
    if (r.status !== 200) throw new Error(`report: ${r.status} ${r.text}`);
    return Object.fromEntries(r.body.members.map((m: { licence: string }) => [m.licence, m])) as Record<string, Record<string, unknown>>;
  }

  const setQuota = async (barId: string, requiredAcademicHours: number) => {
    const r = await s.call("PUT", `/api/bars/${barId}/policies/2026`, { token: await barAdmin(barId), body: { requiredAcademicHours } });
    if (r.status !== 200) throw new Error(`policy: ${r.status} ${r.text}`);
  };

  // ---- 2.1, 2.2 ----------------------------------------------------------------------------------------------------

  it("2.1(2): a member's certificate from a provider another bar registered and accredited counts towards their own bar's report", async () => {
    const pavlodar = await barAdmin("pavlodar");
    const centre = await register(pavlodar, { kind: "centre", barId: "pavlodar", name: "Павлодар алқасының орталығы" });
    expect((await accredit(pavlodar, centre.id, "pavlodar", [{ criterion: "education-licence", evidence: "KZ-EDU-21" }])).status).toBe(201);
    await members("karaganda", ["210001", "210002"]);
    await setQuota("karaganda", 8);
    const [certificate] = await certify(await providerKey(centre.id), "karaganda", ["210001"]);
    const karaganda = await report("karaganda");
    expect(karaganda["210001"]).toMatchObject({ certificates: 1, verifiedHours: 8, status: "met" });
    expect(karaganda["210002"]).toMatchObject({ certificates: 0, verifiedHours: 0, status: "short" });
    // The accrediting bar gains no hold on the member's record: the certificate is Karaganda's member's, not Pavlodar's.
    expect((await report("pavlodar"))["210001"]).toBeUndefined();
    // Whoever checks the certificate finds its issuer accredited on the training's dates, by the bar that accredited it.
    const jwt = (await s.call("GET", `/api/certificates/${certificate}`)).body.jwt;
    const verified = await s.call("POST", "/api/verify", { body: { jwt } });
    expect(verified.body.verified).toBe(true);
    expect(verified.body.checks.find((c: { check: string }) => c.check === "accreditation")).toMatchObject({ outcome: "passed" });
  });

  it("2.2(1): the duty to keep improving is measured by the bar's yearly quota: a member below it is short, at it met", async () => {
    // The rule itself, to the minute.
    const year = { activeDays: 365, requiredMinutes: 360, foundationsRequired: false, foundationsDone: false };
    expect(statusOf({ ...year, verifiedMinutes: 360 })).toBe("met");
    expect(statusOf({ ...year, verifiedMinutes: 359 })).toBe("short");
    expect(statusOf({ ...year, requiredMinutes: null, verifiedMinutes: 0 })).toBe("no-policy");
    // Over HTTP: 8 academic hours against quotas of 8 and 9.
    const bar = await barAdmin("kostanay");
    const centre = await register(bar, { kind: "centre", barId: "kostanay", name: "Қостанай алқасының орталығы" });
    expect((await accredit(bar, centre.id, "kostanay", [{ criterion: "education-licence", evidence: "KZ-EDU-22" }])).status).toBe(201);
    await members("kostanay", ["220001", "220002"]);
    await certify(await providerKey(centre.id), "kostanay", ["220001"]);
    expect((await report("kostanay"))["220001"]).toMatchObject({ verifiedHours: 8, status: "no-policy" });
    await setQuota("kostanay", 8);
    const atQuota = await report("kostanay");
    expect(atQuota["220001"]).toMatchObject({ verifiedHours: 8, requiredHours: 8, status: "met" });
    expect(atQuota["220002"]).toMatchObject({ verifiedHours: 0, requiredHours: 8, status: "short" });
    await setQuota("kostanay", 9);
    expect((await report("kostanay"))["220001"]).toMatchObject({ verifiedHours: 8, requiredHours: 9, status: "short" });
  });

  // ---- 3.1 ---------------------------------------------------------------------------------------------------------

  it("3.1(2): a territorial bar controls its own members' training — it keeps their records, sets the quota and reads who is short; another bar, the RBA (records) and a provider may not", async () => {
    const aktobe = await barAdmin("aktobe");
    const atyrau = await barAdmin("atyrau");
    await members("aktobe", ["310001"]);
    await setQuota("aktobe", 4);
    expect((await report("aktobe"))["310001"]).toMatchObject({ status: "short" });
    const suspension = await s.call("POST", "/api/bars/aktobe/members/310001/suspensions", { token: aktobe, body: { from: "2026-01-01", until: "2026-12-31", reason: "2.3" } });
    expect(suspension.status).toBe(201);
    expect((await report("aktobe"))["310001"]).toMatchObject({ status: "exempt" });

    const member = { licence: "310002", fullName: "Бөгде Адвокат", admissionDate: "2015-03-01" };
    const centre = await register(aktobe, { kind: "centre", barId: "aktobe", name: "Ақтөбе алқасының орталығы" });
    const provider = await providerKey(centre.id);
    for (const token of [atyrau, s.adminToken, provider]) {
      expect((await s.call("POST", "/api/bars/aktobe/members", { token, body: member })).status).toBe(403);
      expect((await s.call("PUT", "/api/bars/aktobe/policies/2026", { token, body: { requiredAcademicHours: 1 } })).status).toBe(403);
    }
    for (const token of [atyrau, provider]) expect((await s.call("GET", "/api/bars/aktobe/compliance/2026", { token })).status).toBe(403);
    expect((await s.call("GET", "/api/bars/aktobe/compliance/2026")).status).toBe(401);
    // 12.1: the RBA controls nationally, so it reads the bar's report, but the records stay the bar's.
    expect((await s.call("GET", "/api/bars/aktobe/compliance/2026", { token: s.adminToken })).status).toBe(200);
    expect((await report("aktobe"))["310002"]).toBeUndefined();
    expect((await s.call("GET", "/api/bars/aktobe/policies/2026", { token: aktobe })).body.requiredAcademicHours).toBe(4);
  });

  it("3.1(3): a bar analyses and summarises its year — its members' certificates by programme and form, the providers and the advocates trained; another bar may not read it", async () => {
    const bar = await barAdmin("mangystau");
    const pavlodar = await barAdmin("pavlodar");
    const organisation = await register(pavlodar, { kind: "organisation", barId: "pavlodar", name: "Құқық институты" });
    expect((await accredit(pavlodar, organisation.id, "pavlodar", [{ criterion: "education-licence", evidence: "KZ-EDU-31" }])).status).toBe(201);
    await members("mangystau", ["330001", "330002"]);
    await certify(await providerKey(organisation.id), "mangystau", ["330001", "330002"], { programme: "civil" });
    const a = await s.call("GET", "/api/bars/mangystau/analysis/2026", { token: bar });
    expect(a.status, a.text).toBe(200);
    expect(a.body).toMatchObject({ barId: "mangystau", year: 2026, events: 1, certificates: 2, academicHours: 16, activeProviders: 1, advocatesTrained: 2 });
    expect(a.body.byProgramme.find((b: { code: string }) => b.code === "civil")).toMatchObject({ certificates: 2, academicHours: 16 });
    expect(a.body.byForm.find((b: { code: string }) => b.code === "course")).toMatchObject({ certificates: 2 });
    expect(a.body.members).toMatchObject({ total: 2 });
    expect((await s.call("GET", "/api/bars/mangystau/analysis/2026", { token: await barAdmin("atyrau") })).status).toBe(403);
  });

  // ---- 4.1(3) ------------------------------------------------------------------------------------------------------

  it("4.1(3): the RBA registers its own centre, a territorial bar accredits it (the RBA's admin may not: 4.1(4)), and it runs a seminar alone and certifies it", async () => {
    const almaty = await barAdmin("almaty-city");
    // Only the RBA creates the RBA's centre.
    expect((await s.call("POST", "/api/parties", { token: almaty, body: { kind: "centre", barId: "rba", name: "РАА орталығы" } })).status).toBe(403);
    const centre = await register(s.adminToken, { kind: "centre", barId: "rba", name: "Республикалық адвокаттар алқасының оқу орталығы" });
    expect(centre).toMatchObject({ kind: "centre", barId: "rba" });
    const byRba = await accredit(s.adminToken, centre.id, "rba", [{ criterion: "education-licence", evidence: "KZ-EDU-41" }]);
    expect(byRba.status).toBe(422);
    expect(byRba.body.detail).toContain("4.1(4)");
    const byBar = await accredit(almaty, centre.id, "almaty-city", [{ criterion: "education-licence", evidence: "KZ-EDU-41" }]);
    expect(byBar.status, byBar.text).toBe(201);
    // 5.1(2): as a centre it may run a seminar without a co-organising bar.
    const certificates = await certify(await providerKey(centre.id), "almaty-city", ["410001", "410002"], { form: "seminar" });
    expect(certificates).toHaveLength(2);
    const registry = (await s.call("GET", "/api/registry")).body;
    const rba = registry.bars.find((b: { id: string }) => b.id === "rba");
    expect(rba.centres.map((c: { id: string }) => c.id)).toContain(centre.id);
    const almatyEntry = registry.bars.find((b: { id: string }) => b.id === "almaty-city");
    expect(almatyEntry.providers.find((p: { id: string }) => p.id === centre.id).accreditations).toMatchObject([{ barId: "almaty-city", state: "active" }]);
  });

  // ---- 7.2 ---------------------------------------------------------------------------------------------------------

  /** The provider records nothing before its accreditation (422); once accredited, its certificate counts at the member's bar. */
  async function countsOnceAccredited(party: { id: string }, o: { accreditingBar: string; criterion: string; licence: string; form?: string }) {
    const provider = await providerKey(party.id);
    const before = await s.call("POST", "/api/events", { token: provider, body: eventBody({ form: o.form }) });
    expect(before.status).toBe(422);
    expect(before.body.code).toBe("not_accredited");
    const accredited = await accredit(await barAdmin(o.accreditingBar), party.id, o.accreditingBar, [{ criterion: o.criterion, evidence: "Шешімге негіз" }]);
    expect(accredited.status, accredited.text).toBe(201);
    await members("zhambyl", [o.licence]);
    await certify(provider, "zhambyl", [o.licence], { form: o.form });
    expect((await report("zhambyl"))[o.licence]).toMatchObject({ certificates: 1, verifiedHours: 8 });
  }

  it("7.2(1): training with the RBA's centre counts once the centre is accredited, and cannot be recorded before", async () => {
    const centre = await register(s.adminToken, { kind: "centre", barId: "rba", name: "РАА-ның оқу орталығы (7.2)" });
    await countsOnceAccredited(centre, { accreditingBar: "zhambyl", criterion: "education-licence", licence: "721001", form: "seminar" });
  });

  it("7.2(2): training with a territorial bar's centre counts once accredited, and cannot be recorded before", async () => {
    const centre = await register(await barAdmin("zhambyl"), { kind: "centre", barId: "zhambyl", name: "Жамбыл алқасының орталығы" });
    await countsOnceAccredited(centre, { accreditingBar: "zhambyl", criterion: "education-licence", licence: "722001", form: "training" });
  });

  it("7.2(3): training with an accredited organisation or trainer counts once accredited, and cannot be recorded before", async () => {
    const zhambyl = await barAdmin("zhambyl");
    const organisation = await register(zhambyl, { kind: "organisation", barId: "zhambyl", name: "Заң университеті" });
    await countsOnceAccredited(organisation, { accreditingBar: "zhambyl", criterion: "education-licence", licence: "723001" });
    const trainer = await register(zhambyl, { kind: "trainer", barId: "zhambyl", name: "Әлиев Б." });
    await countsOnceAccredited(trainer, { accreditingBar: "zhambyl", criterion: "advocacy-5-years", licence: "723002" });
  });

  // ---- 9.1(2)–(4) --------------------------------------------------------------------------------------------------

  for (const [clause, criterion] of [["9.1(2)", "academic-degree"], ["9.1(3)", "teaching-5-years"], ["9.1(4)", "advocacy-5-years"]] as const) {
    it(`${clause}: ${criterion} alone, with evidence, accredits a trainer and an organisation; the registry publishes the criterion, not the evidence; without evidence nothing is recorded`, async () => {
      const bar = await barAdmin("kyzylorda");
      for (const partyKind of ["trainer", "organisation"] as const) {
        const party = await register(bar, { kind: partyKind, barId: "kyzylorda", name: `${partyKind} ${clause}` });
        const noEvidence = await accredit(bar, party.id, "kyzylorda", [{ criterion, evidence: "   " }]);
        expect(noEvidence.status).toBe(400);
        expect((await s.call("GET", `/api/parties/${party.id}`)).body.accreditations).toEqual([]);
        const evidence = `${clause}: құжат № 5`;
        const ok = await accredit(bar, party.id, "kyzylorda", [{ criterion, evidence }]);
        expect(ok.status, ok.text).toBe(201);
        expect(ok.body.criteria).toEqual([{ criterion, evidence }]);
        // 8.3: the public sees which criterion was met; the evidence only the deciding bar (and the RBA).
        expect((await s.call("GET", `/api/parties/${party.id}`)).body.accreditations[0].criteria).toEqual([{ criterion }]);
        expect((await s.call("GET", `/api/parties/${party.id}`, { token: bar })).body.accreditations[0].criteria).toEqual([{ criterion, evidence }]);
      }
    });
  }

  it("9.1(1)–(4): a trainer is refused on the education licence (9.1(1)) but accredited on any of 9.1(2)–(4)", async () => {
    const bar = await barAdmin("kyzylorda");
    const trainer = await register(bar, { kind: "trainer", barId: "kyzylorda", name: "Оқытушы 9.1" });
    const refused = await accredit(bar, trainer.id, "kyzylorda", [{ criterion: "education-licence", evidence: "KZ-EDU-91" }]);
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toContain("9.1(1)");
    expect((await s.call("GET", `/api/parties/${trainer.id}`)).body.accreditations).toEqual([]);
    const all = await accredit(bar, trainer.id, "kyzylorda", [
      { criterion: "academic-degree", evidence: "заң ғылымдарының кандидаты" },
      { criterion: "teaching-5-years", evidence: "2012 жылдан бері оқытады" },
      { criterion: "advocacy-5-years", evidence: "2010 жылдан бері адвокат" },
    ]);
    expect(all.status).toBe(201);
  });

  // ---- 10.3 --------------------------------------------------------------------------------------------------------

  describe("10.3: the bars' presidiums approve the programmes' indicative content", () => {
    const path = "/api/bars/almaty-city/programmes/criminal/content";
    const first = {
      content: {
        kk: "1. Қылмыстық процестегі дәлелдемелер.\n2. Қорғаушының құқықтары <script>alert(1)</script>",
        ru: "1. Доказательства в уголовном процессе.\n2. Права защитника",
      },
      decisionNumber: "14-П",
      decisionDate: "2026-02-10",
    };
    const second = { content: { ru: "Обновлённое содержание: защита по делам о коррупции" }, decisionNumber: "20-П", decisionDate: "2026-05-04" };
    let firstId: string;

    it("10.3: the bar's own admin records an approval, read back by anyone, with no record of who keyed it in", async () => {
      const bar = await barAdmin("almaty-city");
      expect((await s.call("GET", path)).body).toEqual({ barId: "almaty-city", programme: "criminal", current: null, history: [] });
      const put = await s.call("PUT", path, { token: bar, body: first });
      expect(put.status, put.text).toBe(200);
      expect(put.body.current).toMatchObject({ barId: "almaty-city", programme: "criminal", content: { ...first.content, en: null }, decisionNumber: "14-П", decisionDate: "2026-02-10", supersededBy: null });
      expect(put.body.current.recordedBy).toBeUndefined();
      firstId = put.body.current.id;
      const read = await s.call("GET", path);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(put.body);
      expect(read.body.history).toHaveLength(1);
    });

    it("10.3: only that bar's admin records it (the RBA's admin for the RBA): another bar's admin and the RBA's admin 403, a provider 403, anonymous 401; nothing stored", async () => {
      const centre = await register(await barAdmin("almaty-city"), { kind: "centre", barId: "almaty-city", name: "Алматы орталығы (10.3)" });
      const provider = await providerKey(centre.id);
      for (const token of [await barAdmin("astana-city"), s.adminToken, provider]) {
        const r = await s.call("PUT", path, { token, body: second });
        expect(r.status).toBe(403);
        expect(r.body.detail).toContain("10.3");
      }
      expect((await s.call("PUT", path, { body: second })).status).toBe(401);
      expect((await s.call("GET", path)).body.history.map((a: { id: string }) => a.id)).toEqual([firstId]);
      // The RBA's admin records the RBA's own; a territorial bar's admin may not.
      const rbaPath = "/api/bars/rba/programmes/foundations/content";
      expect((await s.call("PUT", rbaPath, { token: await barAdmin("almaty-city"), body: first })).status).toBe(403);
      const rba = await s.call("PUT", rbaPath, { token: s.adminToken, body: { content: { kk: "Адвокат кәсібінің негіздері: мазмұны" }, decisionNumber: "3-П", decisionDate: "2026-03-01" } });
      expect(rba.status, rba.text).toBe(200);
      expect(rba.body.current).toMatchObject({ barId: "rba", programme: "foundations", decisionNumber: "3-П" });
    });

    it("10.3: bad input is 400 (or 422 for a date after today or before the approval in force, 404 for no such bar, 413 too large), and nothing is stored", async () => {
      const bar = await barAdmin("almaty-city");
      const cases: [unknown, number][] = [
        [{ ...second, content: {} }, 400],
        [{ ...second, content: { kk: "   ", ru: null } }, 400],
        [{ ...second, content: { ru: "x".repeat(PROGRAMME_CONTENT_MAX + 1) } }, 400],
        [{ ...second, content: { de: "Inhalt" } }, 400],
        [{ ...second, decisionNumber: "" }, 400],
        [{ ...second, decisionNumber: "x".repeat(101) }, 400],
        [{ ...second, decisionDate: "2026-02-30" }, 400],
        [{ ...second, decisionDate: "4 May 2026" }, 400],
        [{ ...second, approvedBy: "someone" }, 400],
        [{ content: second.content, decisionNumber: "20-П" }, 400],
        [{ ...second, decisionDate: "2026-06-02" }, 422],
        [{ ...second, decisionDate: "2026-02-09" }, 422],
      ];
      for (const [body, status] of cases) {
        const r = await s.call("PUT", path, { token: bar, body });
        expect(r.status, JSON.stringify(body).slice(0, 120)).toBe(status);
        expect(r.headers.get("content-type")).toContain("application/problem+json");
      }
      expect((await s.call("PUT", "/api/bars/almaty-city/programmes/tax/content", { token: bar, body: second })).status).toBe(400);
      expect((await s.call("PUT", "/api/bars/no-such-bar/programmes/criminal/content", { token: s.adminToken, body: second })).status).toBe(403);
      expect((await s.call("GET", "/api/bars/no-such-bar/programmes/criminal/content")).status).toBe(404);
      const huge = { ...second, content: { kk: "ә".repeat(PROGRAMME_CONTENT_MAX), ru: "я".repeat(PROGRAMME_CONTENT_MAX), en: "e".repeat(PROGRAMME_CONTENT_MAX) }, padding: "x".repeat(40_000) };
      expect((await s.call("PUT", path, { token: bar, body: huge })).status).toBe(413);
      const older = await s.call("PUT", path, { token: bar, body: { ...second, decisionDate: "2026-02-09" } });
      expect(older.body.errors).toMatchObject([{ path: "decisionDate", code: "decision-before-current" }]);
      expect((await s.call("GET", path)).body.history.map((a: { id: string }) => a.id)).toEqual([firstId]);
    });

    it("10.3: the public registry page shows the approved content with its programme and decision, in Kazakh and in Russian, escaped", async () => {
      const kk = await s.call("GET", "/registry/almaty-city?lang=kk");
      expect(kk.status).toBe(200);
      expect(kk.text).toContain("Бағдарламалар және олардың үлгілік мазмұны (10.3)");
      expect(kk.text).toContain("1. Қылмыстық процестегі дәлелдемелер.");
      expect(kk.text).toContain("Төралқаның 2026-02-10 № 14-П шешімімен бекітілген");
      expect(kk.text).toContain("&lt;script&gt;");
      expect(kk.text).not.toContain("<script>alert");
      expect(kk.text).toContain("Бекітілген мазмұн әлі тіркелмеген"); // the other programmes
      const ru = await s.call("GET", "/registry/almaty-city?lang=ru");
      expect(ru.text).toContain("Программы и их примерное содержание (10.3)");
      expect(ru.text).toContain("1. Доказательства в уголовном процессе.");
      expect(ru.text).toContain("Утверждено решением президиума № 14-П от 2026-02-10");
      expect(ru.text).not.toContain("Қылмыстық процестегі дәлелдемелер");
      // Another bar's page shows none of it.
      expect((await s.call("GET", "/registry/astana-city?lang=ru")).text).not.toContain("Доказательства в уголовном процессе");
    });

    it("10.3: a newer approval supersedes the one in force, the older stays in the history; the page shows the newer, in the language it was approved in", async () => {
      const put = await s.call("PUT", path, { token: await barAdmin("almaty-city"), body: second });
      expect(put.status, put.text).toBe(200);
      const { current, history } = (await s.call("GET", path)).body;
      expect(current).toMatchObject({ decisionNumber: "20-П", decisionDate: "2026-05-04", content: { kk: null, ru: second.content.ru, en: null }, supersededBy: null });
      expect(history.map((a: { decisionNumber: string }) => a.decisionNumber)).toEqual(["20-П", "14-П"]);
      expect(history[1]).toMatchObject({ id: firstId, supersededBy: current.id, content: { kk: first.content.kk } });
      const all = (await s.call("GET", "/api/bars/almaty-city/programmes")).body;
      expect(all.programmes.map((p: { programme: string }) => p.programme)).toEqual(["foundations", "civil", "criminal", "topical"]);
      expect(all.programmes.find((p: { programme: string }) => p.programme === "criminal").current.id).toBe(current.id);
      expect(all.programmes.filter((p: { current: unknown }) => p.current === null)).toHaveLength(3);
      // Kazakh readers get the Russian text, said to be so; the superseded content is gone from the page.
      const kk = await s.call("GET", "/registry/almaty-city?lang=kk");
      expect(kk.text).toContain(second.content.ru);
      expect(kk.text).toContain("(орыс тілінде бекітілген)");
      expect(kk.text).not.toContain("1. Қылмыстық процестегі дәлелдемелер.");
      const ru = await s.call("GET", "/registry/almaty-city?lang=ru");
      expect(ru.text).toContain(second.content.ru);
      expect(ru.text).not.toContain("(утверждено на русском языке)");
    });
  });
});
