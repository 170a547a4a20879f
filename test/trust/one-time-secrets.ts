/**
 * Issue 12, attacks 5 and 6: PINs and one-time links.
 *
 * 5. The wallet PIN (OpenID4VCI `tx_code`) allows five wrong tries. The limit is checked and a wrong PIN counted in
 *    one statement, so it is exactly five however many guesses race (it leaked to hundreds on PostgreSQL when the
 *    count came in a second statement), and the live offer is no longer printed on the public certificate page.
 * 6. One-time links belong to their holder. The survey (7.5) opens with the participant's own random token, never with
 *    the public certificate id; and a stranger's `error=access_denied` to a bar's presentation request (whose
 *    response URI is in the public QR code) is acknowledged (OpenID4VP 1.0 §8.2) without closing the bar's request.
 */
import { expect, it } from "vitest";
import { accreditedProvider, eventWithParticipants, issued, type HttpTarget } from "../helpers.js";
import type { TrustScenarios } from "./target.js";

const PRE_AUTH = "urn:ietf:params:oauth:grant-type:pre-authorized_code";
const MAX_PIN_ATTEMPTS = 5;

interface Offer {
  offer: string;
  credentialOfferUri: string;
  txCode: string;
}

async function makeOffer(s: HttpTarget, token: string, certificateId: string): Promise<Offer & { code: string }> {
  const res = await s.call("POST", `/api/certificates/${certificateId}/offers`, { token });
  if (res.status !== 201) throw new Error(`offer: ${res.status} ${res.text}`);
  const object = await s.call("GET", new URL(res.body.credentialOfferUri).pathname);
  return { ...res.body, code: object.body.grants[PRE_AUTH]["pre-authorized_code"] };
}

/** One try at the token endpoint, as a wallet (or an attacker) sends it. */
async function tryPin(s: HttpTarget, code: string, pin: string): Promise<{ status: number; body: { error?: string; error_description?: string; access_token?: string } }> {
  const res = await s.fetch("/oid4vci/token", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: PRE_AUTH, "pre-authorized_code": code, tx_code: pin }).toString(),
  });
  return { status: res.status, body: (await res.json()) as never };
}

const wrongPin = (right: string, i: number) => {
  const pin = String(i % 1_000_000).padStart(6, "0");
  return pin === right ? String((i + 1) % 1_000_000).padStart(6, "0") : pin;
};

/** Fires `n` wrong PINs at once, then asserts exactly five were checked and the rest found the offer dead. */
async function burst(s: HttpTarget, offer: Offer & { code: string }, n: number): Promise<void> {
  const answers = await Promise.all(Array.from({ length: n }, (_, i) => tryPin(s, offer.code, wrongPin(offer.txCode, i))));
  for (const a of answers) {
    expect(a.status, JSON.stringify(a.body)).toBe(400);
    expect(a.body.error).toBe("invalid_grant");
  }
  const checked = answers.filter((a) => a.body.error_description?.startsWith("Wrong PIN"));
  const dead = answers.filter((a) => a.body.error_description?.startsWith("Too many wrong PINs"));
  expect({ checked: checked.length, dead: dead.length }).toEqual({ checked: MAX_PIN_ATTEMPTS, dead: n - MAX_PIN_ATTEMPTS });
  // The five answers count down 4, 3, 2, 1, last: each wrong PIN was counted once.
  expect(checked.map((a) => a.body.error_description).sort()).toEqual(
    [
      "Wrong PIN (tx_code); 4 tries left.",
      "Wrong PIN (tx_code); 3 tries left.",
      "Wrong PIN (tx_code); 2 tries left.",
      "Wrong PIN (tx_code); 1 tries left.",
      "Wrong PIN (tx_code); that was the last try: the offer is no longer valid.",
    ].sort(),
  );
  // After five wrong, even the right PIN fails, and the offer is gone.
  const right = await tryPin(s, offer.code, offer.txCode);
  expect(right.status).toBe(400);
  expect(right.body.access_token).toBeUndefined();
  expect(right.body.error_description).toMatch(/^Too many wrong PINs/);
  expect((await s.call("GET", new URL(offer.credentialOfferUri).pathname)).status).toBe(404);
}

async function barAdmin(s: HttpTarget, barId = "almaty-city"): Promise<string> {
  const res = await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId, label: `${barId} desk` } });
  if (res.status !== 201) throw new Error(`bar key: ${res.status} ${res.text}`);
  return res.body.token;
}

/** The calendar year (Almaty, UTC+5) the helpers' events end in: a day before the target's clock. */
const eventYear = (s: HttpTarget) => new Date(s.clock.ms - 86_400_000 + 5 * 3_600_000).getUTCFullYear();

export const oneTimeSecretScenarios: TrustScenarios = (target) => {
  it("2.2.3, attack 5: concurrent wrong PINs check exactly five; then the right PIN is refused", async () => {
    const s = target();
    const { provider, certificates } = await issued(s, 1);
    await burst(s, await makeOffer(s, provider.token, certificates[0]!.id), 12);
  });

  it("2.2.3, attack 5 on PostgreSQL: 1,000 concurrent wrong PINs over HTTP check exactly five", async (ctx) => {
    const s = target();
    if (s.runtime !== "postgres") ctx.skip(); // the race needs a pool of connections; SQLite and D1 have one writer
    const { provider, certificates } = await issued(s, 1);
    const started = Date.now();
    await burst(s, await makeOffer(s, provider.token, certificates[0]!.id), 1_000);
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 30_000);

  it("2.2.3, 7.5: the public certificate page shows no live wallet offer and no survey link; the provider's responses carry them", async () => {
    const s = target();
    const provider = await accreditedProvider(s);
    const event = await eventWithParticipants(s, provider.token, { n: 2 });
    // The issuing response (the provider's) carries each participant's survey link and their PDF with it.
    const first = await s.call("POST", `/api/events/${event.id}/certificates`, { token: provider.token });
    expect(first.status, first.text).toBe(201);
    const id = first.body.certificates[0].id as string;
    const survey = first.body.certificates[0].survey as string;
    expect(survey).toMatch(/\/survey\/[A-Za-z0-9_-]{22}$/);
    const token = survey.split("/survey/")[1]!;
    expect(first.body.certificates[0].participantPdf).toBe(`${s.baseUrl}/c/${id}.pdf?survey=${token}`);
    expect(new Set(first.body.certificates.map((c: { survey: string }) => c.survey)).size).toBe(2); // one each
    // A retry lists no link: they were handed out once, and are kept nowhere in clear.
    const again = await s.call("POST", `/api/events/${event.id}/certificates`, { token: provider.token });
    expect(again.status).toBe(200);
    for (const c of again.body.certificates) expect(c.survey).toBeNull();
    const offer = await makeOffer(s, provider.token, id);
    for (const lang of ["kk", "ru", "en"]) {
      const page = await s.call("GET", `/c/${id}?lang=${lang}`);
      expect(page.status).toBe(200);
      for (const secret of [offer.credentialOfferUri, encodeURIComponent(offer.credentialOfferUri), offer.code, offer.txCode, "openid-credential-offer://", token, "/survey"]) {
        expect(page.text, secret).not.toContain(secret);
      }
    }
    const api = await s.call("GET", `/api/certificates/${id}`);
    expect(api.status).toBe(200);
    expect(api.text).not.toContain(token);
    expect(api.body.survey).toBeUndefined();
    // The offer itself still works for the participant who has it and the PIN.
    const redeemed = await tryPin(s, offer.code, offer.txCode);
    expect(redeemed.status, JSON.stringify(redeemed.body)).toBe(200);
  });

  it("7.5, attack 6: the certificate id opens no survey; the participant's token does, once", async () => {
    const s = target();
    const { provider, event } = await issued(s, 2);
    const id = (await s.call("GET", `/api/events/${event.id}/participants`, { token: provider.token })).body.participants[0].certificateId as string;
    const answer = { quality: 5, effectiveness: 4, usefulness: 5, comment: "Пайдалы болды" };
    // What anyone who scanned the QR code knows: the certificate id. It opens nothing.
    expect((await s.call("POST", `/c/${id}/survey`, { body: answer })).status).toBe(404);
    expect((await s.call("GET", `/c/${id}/survey`)).status).toBe(404);
    const byId = await s.call("POST", `/survey/${id}`, { body: answer });
    expect(byId.status, byId.text).toBe(404);
    expect(byId.body.code).toBe("not_found");
    expect((await s.call("GET", `/survey/${id}?lang=en`)).status).toBe(404);
    // The participant's link, from the provider.
    const links = await s.call("POST", `/api/events/${event.id}/survey-links`, { token: provider.token });
    const survey = links.body.links.find((l: { certificateId: string }) => l.certificateId === id).survey as string;
    const path = new URL(survey).pathname;
    const form = await s.call("GET", `${path}?lang=kk`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('<form method="post"');
    expect(form.headers.get("referrer-policy")).toBe("no-referrer");
    // Two answers at once: one counts.
    const [a, b] = await Promise.all([1, 2].map(() => s.call("POST", path, { body: answer })));
    expect([a!.status, b!.status].sort()).toEqual([201, 409]);
    const third = await s.call("POST", path, { body: answer });
    expect(third.status).toBe(409);
    expect(third.body.code).toBe("survey_already_answered");
    // A fresh link for an answered certificate is not given: one answer per participant.
    const after = await s.call("POST", `/api/events/${event.id}/survey-links`, { token: provider.token });
    expect(after.body.links.find((l: { certificateId: string }) => l.certificateId === id)).toMatchObject({ state: "answered", survey: null });
    // Another provider cannot make the links of this event.
    const stranger = await issued(s, 1);
    expect((await s.call("POST", `/api/events/${event.id}/survey-links`, { token: stranger.provider.token })).status).toBe(404);
    const own = await s.call("GET", `/api/parties/${provider.party.id}/surveys`, { token: provider.token });
    expect(own.body.overall.responses).toBe(1);
  });

  it("2.2.4, attack 6: a stranger's error=access_denied is acknowledged and recorded, and the bar still uploads", async () => {
    const s = target();
    const { certificates } = await issued(s, 1); // licence 100000, Almaty City
    const bar = await barAdmin(s);
    const req = await s.call("POST", "/api/presentation-requests", { token: bar, body: { year: eventYear(s) } });
    expect(req.status, req.text).toBe(201);
    const id = req.body.id as string;
    // All the stranger needs is the request id, which is in the QR code on the bar's desk.
    const declined = await s.fetch(`/oid4vp/responses/${id}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ error: "access_denied", error_description: "The user declined", state: id }).toString(),
    });
    expect(declined.status).toBe(200); // OpenID4VP 1.0 §8.2: processed, so 200 with a JSON object
    expect(declined.headers.get("content-type")).toContain("application/json");
    expect(await declined.json()).toEqual({});
    const status = await s.call("GET", `/api/presentation-requests/${id}`, { token: bar });
    expect(status.body).toMatchObject({ answeredAt: null, outcome: null, walletError: { error: "access_denied", description: "The user declined" } });
    // The request is still open: the desk page shows its QR code, and the request object is served.
    expect((await s.call("GET", `/oid4vp/requests/${id}`)).status).toBe(200);
    // A malformed error response is refused and changes nothing.
    const bad = await s.fetch(`/oid4vp/responses/${id}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `error=${"x".repeat(100)}` });
    expect(bad.status).toBe(400);
    // The bar's own upload still answers the request.
    const jwt = await (await s.fetch(`/c/${certificates[0]!.id}/credential.jwt`)).text();
    const upload = await s.call("POST", `/api/presentation-requests/${id}/uploads`, { token: bar, body: { licence: "100000", credentials: [jwt] } });
    expect(upload.status, upload.text).toBe(201);
    expect(upload.body.credited.map((e: { certificateId: string }) => e.certificateId)).toEqual([certificates[0]!.id]);
    // Once answered, a late error response is acknowledged but recorded nowhere.
    const late = await s.fetch(`/oid4vp/responses/${id}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "error=access_denied" });
    expect(late.status).toBe(200);
    expect((await s.call("GET", `/api/presentation-requests/${id}`, { token: bar })).body.walletError).toMatchObject({ description: "The user declined" });
  });
};
