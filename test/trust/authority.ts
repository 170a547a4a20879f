/**
 * Issue 12, attack 4: a bar takes over another bar's provider. Administration follows registration (3.1, 4.1, 8.1):
 * a party's details, signing keys and API keys belong to the bar that registered it and to the RBA (the provider
 * manages its own API keys and keys too). Another bar that accredits it records and acts on its own decisions only
 * (9.1, 9.2) and revokes only certificates issued under its own accreditation. Every refusal is a 403 `forbidden`
 * whose detail says, in plain English, who may do it instead, and leaves everything as it was.
 */
import { expect, it } from "vitest";
import { eventWithParticipants, type HttpTarget } from "../helpers.js";
import type { TrustScenarios } from "./target.js";

type Call = Awaited<ReturnType<HttpTarget["call"]>>;

/** Bar A registers, bar B accredits too, bar C is unrelated. Kazakhstan's territorial bars, as in the seed. */
const A = "almaty-city";
const B = "astana-city";
const C = "atyrau";

const decision = (barId: string, o: { programmes?: string[]; number?: string } = {}) => ({
  barId,
  decisionNumber: o.number ?? "7-П",
  decisionDate: "2026-01-01",
  // 9.1(4): a criterion any kind of provider may meet (9.1(1)'s licence is an organisation's, never a trainer's).
  criteria: [{ criterion: "advocacy-5-years", evidence: `Advocacy record checked by ${barId}` }],
  validFrom: "2026-01-01",
  ...(o.programmes ? { programmes: o.programmes } : {}),
});

function expectForbidden(res: Call, detail: RegExp): void {
  expect(res.status, res.text).toBe(403);
  expect(res.body.code).toBe("forbidden");
  expect(res.body.detail).toMatch(detail);
  // Clear English: a sentence, naming no internals (no stack, no principal syntax such as "bar-admin:x:key").
  expect(res.body.detail).toMatch(/^[A-Z].*\.$/);
  expect(res.body.detail).not.toMatch(/bar-admin:|provider:|Error|undefined/);
}

async function barAdmin(s: HttpTarget, barId: string): Promise<string> {
  const res = await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId, label: `${barId} office` } });
  if (res.status !== 201) throw new Error(`bar key: ${res.status} ${res.text}`);
  return res.body.token;
}

/**
 * The world of the attack: P1 registered by bar A (by A's own admin), accredited by A for criminal and by B for
 * civil, with a certificate issued under each; P2 another provider, registered and accredited by C.
 */
async function world(s: HttpTarget) {
  const [a, b, c] = [await barAdmin(s, A), await barAdmin(s, B), await barAdmin(s, C)];
  const p1 = await s.call("POST", "/api/parties", { token: a, body: { kind: "centre", name: "P1 centre of Almaty", barId: A } });
  expect(p1.status, p1.text).toBe(201);
  const byA = await s.call("POST", `/api/parties/${p1.body.id}/accreditations`, { token: a, body: decision(A, { programmes: ["criminal"] }) });
  expect(byA.status, byA.text).toBe(201);
  const p1Key = await s.call("POST", "/api/api-keys", { token: a, body: { role: "provider", partyId: p1.body.id, label: "P1 office" } });
  expect(p1Key.status, p1Key.text).toBe(201);
  const p1Token = p1Key.body.token as string;
  // 9.1: bar B may accredit a provider another bar registered; that is its own presidium's decision.
  const byB = await s.call("POST", `/api/parties/${p1.body.id}/accreditations`, { token: b, body: decision(B, { programmes: ["civil"], number: "12-П" }) });
  expect(byB.status, byB.text).toBe(201);

  const issue = async (programme: string) => {
    const ev = await eventWithParticipants(s, p1Token, { n: 1, programme });
    const res = await s.call("POST", `/api/events/${ev.id}/certificates`, { token: p1Token });
    expect(res.status, res.text).toBe(201);
    return { event: ev, certificate: res.body.certificates[0] as { id: string; url: string } };
  };
  const underA = await issue("criminal");
  const underB = await issue("civil");

  const p2 = await s.call("POST", "/api/parties", { token: c, body: { kind: "trainer", name: "P2 trainer", barId: C } });
  expect(p2.status, p2.text).toBe(201);
  expect((await s.call("POST", `/api/parties/${p2.body.id}/accreditations`, { token: c, body: decision(C) })).status).toBe(201);
  const p2Token = (await s.call("POST", "/api/api-keys", { token: c, body: { role: "provider", partyId: p2.body.id, label: "P2" } })).body.token as string;

  return {
    tokens: { rba: s.adminToken, a, b, c, p1: p1Token, p2: p2Token },
    p1: p1.body as { id: string; did: string },
    p1KeyId: p1Key.body.id as string,
    p2: p2.body as { id: string },
    accreditations: { a: byA.body.id as string, b: byB.body.id as string },
    underA,
    underB,
  };
}

/** What the attack must not have changed: P1's API keys, signing keys, certificate state. */
async function snapshot(s: HttpTarget, w: Awaited<ReturnType<typeof world>>) {
  const keys = (await s.call("GET", "/api/api-keys", { token: w.tokens.a })).body.apiKeys.filter((k: any) => k.partyId === w.p1.id);
  const party = (await s.call("GET", `/api/parties/${w.p1.id}`)).body;
  const certA = (await s.call("GET", `/api/certificates/${w.underA.certificate.id}`)).body.revoked;
  const certB = (await s.call("GET", `/api/certificates/${w.underB.certificate.id}`)).body.revoked;
  return { keys, signingKeys: party.keys, certA, certB };
}

export const authorityScenarios: TrustScenarios = (target) => {
  it("attack 4 (3.1, 9.1): bar B accredits bar A's provider but cannot mint its keys, revoke under A's accreditation, or revoke its keys", async () => {
    const s = target();
    const w = await world(s);
    const before = await snapshot(s, w);
    expect(before.keys).toHaveLength(1);

    // Step 2 of the attack: a provider API key for P1, made by bar B.
    const mint = await s.call("POST", "/api/api-keys", { token: w.tokens.b, body: { role: "provider", partyId: w.p1.id, label: "takeover" } });
    expectForbidden(mint, new RegExp(`registered by bar ${A}`));
    // Bar B does not see P1's keys either (it would learn the ids to revoke).
    const listed = await s.call("GET", "/api/api-keys", { token: w.tokens.b });
    expect(listed.status).toBe(200);
    expect(listed.body.apiKeys.filter((k: any) => k.partyId === w.p1.id)).toEqual([]);

    // Step 3: revoke a certificate P1 issued under bar A's accreditation.
    const revokeCert = await s.call("POST", `/api/certificates/${w.underA.certificate.id}/revocation`, { token: w.tokens.b, body: { reason: "takeover" } });
    expectForbidden(revokeCert, new RegExp(`under the accreditation of bar ${A}`));

    // Step 4: revoke one of P1's keys: its API key, and its signing key (rotation retires the active one).
    const revokeKey = await s.call("POST", `/api/api-keys/${w.p1KeyId}/revocation`, { token: w.tokens.b });
    expectForbidden(revokeKey, new RegExp(`registered by bar ${A}`));
    const rotate = await s.call("POST", `/api/parties/${w.p1.id}/keys/rotate`, { token: w.tokens.b });
    expectForbidden(rotate, new RegExp(`registered by bar ${A}`));

    // Nor may bar B act on bar A's decision.
    const violation = await s.call("POST", `/api/accreditations/${w.accreditations.a}/violations`, { token: w.tokens.b, body: { occurredOn: "2026-03-01", description: "x" } });
    expectForbidden(violation, new RegExp(`bar ${A}`));
    const withdrawal = await s.call("POST", `/api/accreditations/${w.accreditations.a}/withdrawal`, { token: w.tokens.b, body: { ground: "non-compliance", decisionNumber: "1", decisionDate: "2026-05-02", reason: "x" } });
    expectForbidden(withdrawal, new RegExp(`bar ${A}`));

    // Nothing changed: the same single API key, the same signing keys, the certificate unrevoked and genuine, P1's token works.
    expect(await snapshot(s, w)).toEqual(before);
    const verify = await s.call("POST", "/api/verify", { body: { url: w.underA.certificate.url } });
    expect(verify.status, verify.text).toBe(200);
    expect((await s.call("GET", `/api/events/${w.underA.event.id}`, { token: w.tokens.p1 })).status).toBe(200);
    const history = (await s.call("GET", `/api/parties/${w.p1.id}`)).body.accreditations;
    expect(history.find((x: any) => x.id === w.accreditations.a)).toMatchObject({ state: "active", violationCount: 0, withdrawal: null });
  });

  it("9.2, 3.1: bar B keeps every right over its own decision, and bar A and P1 keep theirs over P1", async () => {
    const s = target();
    const w = await world(s);
    const { a, b, p1 } = w.tokens;

    // Bar B: revokes what was issued under its own accreditation, records a violation and withdraws its own decision.
    const revokedB = await s.call("POST", `/api/certificates/${w.underB.certificate.id}/revocation`, { token: b, body: { reason: "9.2: training not held as certified" } });
    expect(revokedB.status, revokedB.text).toBe(201);
    expect((await s.call("POST", `/api/accreditations/${w.accreditations.b}/violations`, { token: b, body: { occurredOn: "2026-03-01", description: "Late list" } })).status).toBe(201);
    const withdrawn = await s.call("POST", `/api/accreditations/${w.accreditations.b}/withdrawal`, { token: b, body: { ground: "non-compliance", decisionNumber: "13-П", decisionDate: "2026-05-02", reason: "No longer meets 9.1" } });
    expect(withdrawn.status, withdrawn.text).toBe(201);
    // The evidence behind a decision is seen by the bar that made it, not by a bar that did not (8.3).
    const seenByB = (await s.call("GET", `/api/parties/${w.p1.id}`, { token: b })).body.accreditations;
    expect(seenByB.find((x: any) => x.id === w.accreditations.b).criteria[0].evidence).toBe(`Advocacy record checked by ${B}`);
    expect(seenByB.find((x: any) => x.id === w.accreditations.a).criteria[0].evidence).toBeUndefined();
    const seenByC = (await s.call("GET", `/api/parties/${w.p1.id}`, { token: w.tokens.c })).body.accreditations;
    expect(JSON.stringify(seenByC)).not.toContain("Advocacy record checked by");

    // Bar A, which registered P1: its details and keys; but a certificate under B's decision is B's to revoke.
    const seenByA = (await s.call("GET", `/api/parties/${w.p1.id}`, { token: a })).body.accreditations;
    expect(seenByA.map((x: any) => x.criteria[0].evidence).sort()).toEqual([`Advocacy record checked by ${A}`, `Advocacy record checked by ${B}`]);
    const extra = await s.call("POST", "/api/api-keys", { token: a, body: { role: "provider", partyId: w.p1.id, label: "second desk" } });
    expect(extra.status, extra.text).toBe(201);
    expect((await s.call("POST", `/api/api-keys/${extra.body.id}/revocation`, { token: a })).status).toBe(201);
    const rotated = await s.call("POST", `/api/parties/${w.p1.id}/keys/rotate`, { token: a });
    expect(rotated.status, rotated.text).toBe(200);
    const underBAgain = await s.call("POST", `/api/certificates/${w.underB.certificate.id}/revocation`, { token: a, body: { reason: "x" } });
    expect(underBAgain.status).toBe(403); // already revoked by B, but it was never A's to revoke: authority is checked first
    expect(underBAgain.body.code).toBe("forbidden");

    // P1 itself: its own API keys, its own signing key, its own certificates.
    const own = await s.call("POST", "/api/api-keys", { token: p1, body: { role: "provider", partyId: w.p1.id, label: "laptop" } });
    expect(own.status, own.text).toBe(201);
    expect((await s.call("POST", `/api/api-keys/${own.body.id}/revocation`, { token: p1 })).status).toBe(201);
    expect((await s.call("POST", `/api/parties/${w.p1.id}/keys/rotate`, { token: p1 })).status).toBe(200);
    const revokedOwn = await s.call("POST", `/api/certificates/${w.underA.certificate.id}/revocation`, { token: p1, body: { reason: "Issued in error" } });
    expect(revokedOwn.status, revokedOwn.text).toBe(201);
  });

  it("3.1, 4.1: an unrelated bar and another provider touch nothing of P1; the RBA may", async () => {
    const s = target();
    const w = await world(s);
    const before = await snapshot(s, w);
    for (const [who, token] of [["bar C", w.tokens.c], ["P2", w.tokens.p2]] as const) {
      const tries: [string, Promise<Call>][] = [
        ["mint", s.call("POST", "/api/api-keys", { token, body: { role: "provider", partyId: w.p1.id, label: "x" } })],
        ["revoke key", s.call("POST", `/api/api-keys/${w.p1KeyId}/revocation`, { token })],
        ["rotate", s.call("POST", `/api/parties/${w.p1.id}/keys/rotate`, { token })],
        ["revoke under A", s.call("POST", `/api/certificates/${w.underA.certificate.id}/revocation`, { token, body: { reason: "x" } })],
        ["revoke under B", s.call("POST", `/api/certificates/${w.underB.certificate.id}/revocation`, { token, body: { reason: "x" } })],
        ["violation", s.call("POST", `/api/accreditations/${w.accreditations.a}/violations`, { token, body: { occurredOn: "2026-03-01", description: "x" } })],
        ["accredit for A", s.call("POST", `/api/parties/${w.p1.id}/accreditations`, { token, body: decision(A, { number: "99" }) })],
        ["P1's surveys", s.call("GET", `/api/parties/${w.p1.id}/surveys`, { token })],
        ["A's surveys", s.call("GET", `/api/bars/${A}/surveys`, { token })],
      ];
      for (const [what, res] of tries) {
        const r = await res;
        expect(r.status, `${who} ${what}: ${r.text}`).toBe(403);
        expect(r.body.code, `${who} ${what}`).toBe("forbidden");
        expect(r.body.detail, `${who} ${what}`).toMatch(/^[A-Z].*\.$/);
      }
    }
    expect(await snapshot(s, w)).toEqual(before);

    // Surveys (7.5): each reads its own scope.
    expect((await s.call("GET", `/api/bars/${B}/surveys`, { token: w.tokens.b })).status).toBe(200);
    expect((await s.call("GET", `/api/bars/${A}/surveys`, { token: w.tokens.b })).status).toBe(403);
    expect((await s.call("GET", `/api/parties/${w.p1.id}/surveys`, { token: w.tokens.b })).status).toBe(403);
    expect((await s.call("GET", `/api/parties/${w.p1.id}/surveys`, { token: w.tokens.p1 })).status).toBe(200);
    expect((await s.call("GET", `/api/parties/${w.p1.id}/surveys`, { token: w.tokens.rba })).status).toBe(200);

    // The RBA's admin, the registry's operator, administers every party.
    const byRba = await s.call("POST", "/api/api-keys", { token: w.tokens.rba, body: { role: "provider", partyId: w.p1.id, label: "rba desk" } });
    expect(byRba.status, byRba.text).toBe(201);
    expect((await s.call("POST", `/api/api-keys/${byRba.body.id}/revocation`, { token: w.tokens.rba })).status).toBe(201);
    expect((await s.call("POST", `/api/parties/${w.p1.id}/keys/rotate`, { token: w.tokens.rba })).status).toBe(200);
  });
};
