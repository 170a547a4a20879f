/**
 * Issue 12, attack 7: back-dating. Accreditation was checked on the day of signing, not on the days the training was
 * given (5.1(1), 7.1: training is given *by* accredited providers): a provider accredited in March could record an
 * event held in January and certify it, and participants of an event held before a withdrawal (9.2) could not be
 * certified after it. Real clock: accreditations and withdrawals are dated relative to today.
 */
import { expect, it } from "vitest";
import { kzDate, toInstant } from "../../src/domain/time.js";
import { accreditedProvider, participants, type HttpTarget } from "../helpers.js";
import type { TrustScenarios } from "./target.js";

const DAY = 86_400_000;

/** A Kazakhstan calendar date `days` from the target's today (negative: in the past), as decisions are dated. */
const kzDay = (s: HttpTarget, days: number) => kzDate(toInstant(s.clock.ms + days * DAY));

/** Records a course (six hours unless `lengthMs` says otherwise) that started `startMsAgo` before now. */
function recordEvent(s: HttpTarget, token: string, startMsAgo: number, lengthMs = 6 * 3_600_000) {
  const start = s.clock.ms - startMsAgo;
  return s.call("POST", "/api/events", {
    token,
    body: {
      topic: "Қылмыстық процестегі дәлелдемелер", programme: "criminal", form: "course", deliveryMode: "in-person", place: "Алматы",
      startsAt: toInstant(start), endsAt: toInstant(start + lengthMs), durationMinutes: Math.min(270, Math.floor(lengthMs / 60_000)), trainers: [{ name: "Сейтқали Ә.", field: "Қылмыстық процесс" }],
    },
  });
}

async function withParticipants(s: HttpTarget, token: string, eventId: string, n = 2) {
  const put = await s.call("PUT", `/api/events/${eventId}/participants`, { token, body: { participants: participants(n) } });
  expect(put.status).toBe(200);
}

/** The accrediting bar's admin (almaty-city, as accreditedProvider records it) withdraws from `decisionDate`. */
async function withdraw(s: HttpTarget, accreditationId: string, decisionDate: string) {
  const bar = await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: "almaty-city", label: "presidium office" } });
  expect(bar.status).toBe(201);
  const w = await s.call("POST", `/api/accreditations/${accreditationId}/withdrawal`, {
    token: bar.body.token,
    body: { ground: "non-compliance", decisionNumber: "44-П", decisionDate, reason: "No longer meets 9.1" },
  });
  expect(w.status).toBe(201);
  return w.body;
}

export const backdatingScenarios: TrustScenarios = (target) => {
  it("5.1(1), 7.1: a provider accredited 30 days ago cannot record or certify training it gave 60 days ago (422)", async () => {
    const s = target();
    const { token } = await accreditedProvider(s, { validFrom: kzDay(s, -30), name: "Кеше аккредиттелген орталық" });
    const before = await recordEvent(s, token, 60 * DAY);
    expect(before.status).toBe(422);
    expect(before.body).toMatchObject({ code: "not_accredited", reason: "not-yet-valid" });
    expect(before.body.detail).toContain("5.1(1), 7.1");
    // A course that began before the accreditation and ended inside it: its first days were not covered.
    const straddling = await recordEvent(s, token, 32 * DAY, 4 * DAY);
    expect(straddling.status).toBe(422);
    expect(straddling.body).toMatchObject({ code: "not_accredited", reason: "not-yet-valid" });
    // From the accreditation's first day on, the same provider records and certifies.
    const inside = await recordEvent(s, token, 20 * DAY);
    expect(inside.status).toBe(201);
    await withParticipants(s, token, inside.body.id);
    expect((await s.call("POST", `/api/events/${inside.body.id}/certificates`, { token })).status).toBe(201);
  });

  it("5.1(1), 7.1, 9.2: issuing checks the training's dates again: an event a later-recorded withdrawal reaches back over is refused (422)", async () => {
    const s = target();
    const { token, accreditation } = await accreditedProvider(s, { validFrom: kzDay(s, -90) });
    const ev = await recordEvent(s, token, 3 * DAY); // recorded while covered
    expect(ev.status).toBe(201);
    await withParticipants(s, token, ev.body.id);
    await withdraw(s, accreditation.id, kzDay(s, -10)); // the decision took effect before the event was held
    const res = await s.call("POST", `/api/events/${ev.body.id}/certificates`, { token });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: "not_accredited", reason: "withdrawn", startsAt: ev.body.startsAt, endsAt: ev.body.endsAt });
    expect((await s.call("GET", `/api/events/${ev.body.id}/participants`, { token })).body.participants.every((p: { certificateId: string | null }) => p.certificateId === null)).toBe(true);
  });

  it("9.2: participants of an event held while accredited are certified after the withdrawal (201); training after it is refused", async () => {
    const s = target();
    const { token, accreditation } = await accreditedProvider(s, { validFrom: kzDay(s, -90), name: "Аккредиттеуі қайтарылған орталық" });
    const held = await recordEvent(s, token, 10 * DAY);
    expect(held.status).toBe(201);
    await withParticipants(s, token, held.body.id, 3);
    const withdrawn = await withdraw(s, accreditation.id, kzDay(s, -1)); // from the start of yesterday
    expect(Date.parse(withdrawn.withdrawal.effectiveFrom)).toBeGreaterThan(Date.parse(held.body.endsAt));

    const res = await s.call("POST", `/api/events/${held.body.id}/certificates`, { token });
    expect(res.status).toBe(201);
    expect(res.body.issued).toBe(3);
    const cert = (await s.call("GET", `/api/certificates/${res.body.certificates[0].id}`)).body;
    // Signed today, with today's key: the certificate's date is after the withdrawal, its training before it.
    expect(Date.parse(cert.credential.validFrom)).toBeGreaterThan(Date.parse(withdrawn.withdrawal.effectiveFrom));
    expect(cert.credential.credentialSubject.achievement).toMatchObject({ eventStart: held.body.startsAt, eventEnd: held.body.endsAt });
    // …and it verifies: the verifier checks accreditation on the training's days, the key on validFrom.
    const verified = await s.call("POST", "/api/verify", { body: { url: res.body.certificates[0].url } });
    expect(verified.status).toBe(200);
    expect(verified.body.checks.find((c: { check: string }) => c.check === "accreditation")).toMatchObject({ outcome: "passed" });

    // Training given after the withdrawal took effect is refused when recorded, so never certified.
    const after = await recordEvent(s, token, 3 * 3_600_000, 2 * 3_600_000);
    expect(after.status).toBe(422);
    expect(after.body).toMatchObject({ code: "not_accredited", reason: "withdrawn" });
    // So is a course that ran across the withdrawal.
    const across = await recordEvent(s, token, 3 * DAY, 2.5 * DAY);
    expect(across.status).toBe(422);
    expect(across.body).toMatchObject({ code: "not_accredited", reason: "withdrawn" });
  });

  it("events record when they were recorded; one recorded more than 30 days after it ended is marked, not refused", async () => {
    const s = target();
    const { token } = await accreditedProvider(s, { validFrom: kzDay(s, -120) });
    const before = Date.now();
    const late = await recordEvent(s, token, 45 * DAY);
    expect(late.status).toBe(201);
    expect(Date.parse(late.body.createdAt)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(late.body).toMatchObject({ recordedLate: true, recordedDaysAfterEnd: 44 });
    expect((await s.call("GET", `/api/events/${late.body.id}`, { token })).body).toMatchObject({ createdAt: late.body.createdAt, recordedLate: true, recordedDaysAfterEnd: 44 });
    const recent = await recordEvent(s, token, 2 * DAY);
    expect(recent.body).toMatchObject({ recordedLate: false, recordedDaysAfterEnd: 1 });
    await withParticipants(s, token, late.body.id, 1);
    expect((await s.call("POST", `/api/events/${late.body.id}/certificates`, { token })).status).toBe(201);
  });
};
