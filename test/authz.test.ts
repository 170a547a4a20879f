/**
 * Issue 12, "Who administers a provider": every role × every action, as one table over src/domain/authz.ts.
 * P1 is registered by bar A and accredited by bar A and by bar B; bar C has nothing to do with it; P2 is another
 * provider. Administration follows registration (3.1, 4.1, 8.1); a bar acts only on its own decisions (9.1, 9.2).
 */
import { describe, expect, it } from "vitest";
import {
  administeredBar,
  assertMayAccredit,
  assertMayActOnAccreditation,
  assertMayManageApiKey,
  assertMayManagePartyKeys,
  assertMayRegisterParty,
  assertMayRevoke,
  assertMayUpdatePartyDetails,
  mayAdministerParty,
  mayManageApiKey,
  maySeeAccreditationEvidence,
  surveyReadScope,
  type ApiKeyRef,
  type Principal,
} from "../src/domain/authz.js";
import { RBA_ID } from "../src/domain/catalog.js";
import { SenimError } from "../src/domain/errors.js";
import { httpStatusOf } from "../src/http/problem.js";

const A = "almaty-city";
const B = "astana-city";
const C = "atyrau";

const ROLES = {
  rba: { role: "rba-admin", keyId: "k0" },
  "bar A (registered P1)": { role: "bar-admin", keyId: "ka", barId: A },
  "bar B (accredited P1)": { role: "bar-admin", keyId: "kb", barId: B },
  "bar C (unrelated)": { role: "bar-admin", keyId: "kc", barId: C },
  P1: { role: "provider", keyId: "k1", partyId: "p1" },
  P2: { role: "provider", keyId: "k2", partyId: "p2" },
} satisfies Record<string, Principal>;
type Who = keyof typeof ROLES;
const rba: Who = "rba";
const barA: Who = "bar A (registered P1)";
const barB: Who = "bar B (accredited P1)";
const P1: Who = "P1";

const party = { id: "p1", barId: A };
const p1Key: ApiKeyRef = { role: "provider", barId: null, partyId: "p1" };
const accreditationOfA = { barId: A };
const accreditationOfB = { barId: B };

/** Boolean rules become throwing ones so the table treats every action alike. */
const check = (allowed: boolean) => {
  if (!allowed) throw new SenimError("forbidden", "Refused.");
};

/** [action, what the principal attempts, who may]. */
const TABLE: [string, (p: Principal) => unknown, Who[]][] = [
  ["update P1's details", (p) => assertMayUpdatePartyDetails(p, party), [rba, barA]],
  ["add or retire P1's signing key", (p) => assertMayManagePartyKeys(p, party), [rba, barA, P1]],
  ["create or revoke a P1 provider API key", (p) => assertMayManageApiKey(p, p1Key, party), [rba, barA, P1]],
  ["list P1's provider API keys", (p) => check(mayManageApiKey(p, p1Key, party)), [rba, barA, P1]],
  ["create or revoke bar A's admin keys", (p) => assertMayManageApiKey(p, { role: "bar-admin", barId: A, partyId: null }, undefined), [rba, barA]],
  ["create or revoke rba-admin keys", (p) => assertMayManageApiKey(p, { role: "rba-admin", barId: null, partyId: null }, undefined), [rba]],
  ["register a party for bar A", (p) => assertMayRegisterParty(p, A), [rba, barA]],
  // 9.1: any bar records its own presidium's decision about any party, whoever registered it.
  ["record an accreditation for its own bar", (p) => assertMayAccredit(p, administeredBar(p) ?? A), [rba, barA, barB, "bar C (unrelated)"]],
  ["record an accreditation for bar B", (p) => assertMayAccredit(p, B), [rba, barB]],
  ["record a violation against bar A's accreditation", (p) => assertMayActOnAccreditation(p, accreditationOfA, "record a violation against"), [rba, barA]],
  ["record a violation against bar B's accreditation", (p) => assertMayActOnAccreditation(p, accreditationOfB, "record a violation against"), [rba, barB]],
  ["withdraw bar A's accreditation", (p) => assertMayActOnAccreditation(p, accreditationOfA, "withdraw"), [rba, barA]],
  ["withdraw bar B's accreditation", (p) => assertMayActOnAccreditation(p, accreditationOfB, "withdraw"), [rba, barB]],
  // A certificate stands on one decision: its bar (the RBA's admin for the RBA's) and the issuer revoke it.
  ["revoke P1's certificate issued under bar A's accreditation", (p) => assertMayRevoke(p, { partyId: "p1", accreditingBarId: A }), [barA, P1]],
  ["revoke P1's certificate issued under bar B's accreditation", (p) => assertMayRevoke(p, { partyId: "p1", accreditingBarId: B }), [barB, P1]],
  ["revoke P1's certificate issued under the RBA's accreditation", (p) => assertMayRevoke(p, { partyId: "p1", accreditingBarId: RBA_ID }), [rba, P1]],
  // 7.5: a provider reads its own; a bar what was answered under its own accreditations; the RBA everything.
  ["read P1's surveys", (p) => surveyReadScope(p, { partyId: "p1" }), [rba, P1]],
  ["read bar B's surveys", (p) => surveyReadScope(p, { barId: B }), [rba, barB]],
  ["read every survey", (p) => surveyReadScope(p, {}), [rba]],
  ["read the RBA's survey scope (every bar)", (p) => surveyReadScope(p, { barId: RBA_ID }), [rba]],
  // 8.3: the evidence behind a decision (possibly personal) stays with the RBA, the deciding bar and the registering bar.
  ["see the evidence behind bar B's decision", (p) => check(maySeeAccreditationEvidence(p, party, accreditationOfB)), [rba, barA, barB]],
  ["see the evidence behind bar A's decision", (p) => check(maySeeAccreditationEvidence(p, party, accreditationOfA)), [rba, barA]],
];

function refusal(fn: () => unknown): SenimError | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(SenimError);
    return e as SenimError;
  }
}

describe("who administers a provider: every role × action (3.1, 4.1, 8.1, 9.1, 9.2, 7.5)", () => {
  for (const [action, attempt, allowed] of TABLE) {
    for (const [who, principal] of Object.entries(ROLES) as [Who, Principal][]) {
      const may = allowed.includes(who);
      it(`${who} ${may ? "may" : "may not"} ${action}`, () => {
        const e = refusal(() => attempt(principal));
        if (may) {
          expect(e?.message).toBeUndefined();
          return;
        }
        expect(e, "should be refused").toBeDefined();
        expect(e!.code).toBe("forbidden");
        expect(httpStatusOf(e!)).toBe(403);
        // Clear English for a person: one or two sentences, no principal syntax or internals.
        expect(e!.message).toMatch(/^[A-Z][^\n]*\.$/);
        expect(e!.message).not.toMatch(/bar-admin:|provider:|rba-admin:|undefined|null/);
      });
    }
  }
});

describe("refusals say who may, in plain English", () => {
  const refused = (fn: () => unknown) => refusal(fn)!.message;

  it("a bar that only accredited P1 is told which bar administers it and what it may do instead", () => {
    const detail = refused(() => assertMayManageApiKey(ROLES[barB], p1Key, party));
    expect(detail).toBe(
      "Provider p1 was registered by bar almaty-city: only the provider itself, the admin of bar almaty-city or the RBA's admin may create or revoke its API keys. Your bar (astana-city) may record, and act on, only its own accreditation decisions about it.",
    );
    expect(refused(() => assertMayManagePartyKeys(ROLES[barB], party))).toMatch(/^Party p1 was registered by bar almaty-city: only the party itself, the admin of bar almaty-city or the RBA's admin may add or retire its signing keys\. Your bar/);
    expect(refused(() => assertMayUpdatePartyDetails(ROLES[barB], party))).toMatch(/^Party p1 was registered by bar almaty-city: only the admin of bar almaty-city or the RBA's admin may change its details\./);
  });

  it("another provider gets no hint about bars", () => {
    expect(refused(() => assertMayManageApiKey(ROLES.P2, p1Key, party))).not.toMatch(/Your bar/);
  });

  it("revocation names the decision the certificate was issued under", () => {
    expect(refused(() => assertMayRevoke(ROLES[barB], { partyId: "p1", accreditingBarId: A }))).toBe(
      "This certificate was issued under the accreditation of bar almaty-city: only the provider that issued it or the admin of bar almaty-city may revoke it.",
    );
    expect(refused(() => assertMayRevoke(ROLES[barA], { partyId: "p1", accreditingBarId: RBA_ID }))).toBe(
      "This certificate was issued under the accreditation of the RBA: only the provider that issued it or the RBA's admin may revoke it.",
    );
  });

  it("acting on another bar's accreditation names that bar", () => {
    expect(refused(() => assertMayActOnAccreditation(ROLES[barB], accreditationOfA, "withdraw"))).toBe(
      "This accreditation is a decision of bar almaty-city: only the admin of bar almaty-city or the RBA's admin may withdraw it.",
    );
    expect(refused(() => assertMayAccredit(ROLES[barB], A))).toBe("Only the admin of bar almaty-city or the RBA's admin may record the decisions of bar almaty-city; your bar is astana-city.");
    expect(refused(() => assertMayAccredit(ROLES[barB], RBA_ID))).toBe("Only the RBA's admin may record the decisions of the RBA; your bar is astana-city.");
  });
});

describe("authorisation edge cases", () => {
  it("administration follows registration, not accreditation", () => {
    expect(mayAdministerParty(ROLES[rba], party)).toBe(true);
    expect(mayAdministerParty(ROLES[barA], party)).toBe(true);
    expect(mayAdministerParty(ROLES[barB], party)).toBe(false);
    expect(mayAdministerParty(ROLES.P1, party)).toBe(false); // its own keys yes (above), its registration no
  });

  it("a provider key is judged against its own party: a mismatched or unknown party is refused", () => {
    expect(mayManageApiKey(ROLES[barA], { role: "provider", barId: null, partyId: "p9" }, party)).toBe(false);
    expect(mayManageApiKey(ROLES[barA], p1Key, undefined)).toBe(false);
    expect(mayManageApiKey(ROLES.P1, p1Key, undefined)).toBe(false);
    expect(mayManageApiKey(ROLES[rba], p1Key, undefined)).toBe(true);
    expect(refusal(() => assertMayManageApiKey(ROLES[barA], p1Key, undefined))!.message).toMatch(/not in the registry/);
    // A bar-admin key with no bar matches nobody's bar.
    expect(mayManageApiKey(ROLES[barA], { role: "bar-admin", barId: null, partyId: null }, undefined)).toBe(false);
  });

  it("the survey scope read is the one allowed: the RBA's own bar scope is every bar", () => {
    expect(surveyReadScope(ROLES[rba], { barId: RBA_ID })).toEqual({});
    expect(surveyReadScope(ROLES[rba], { barId: B })).toEqual({ barId: B });
    expect(surveyReadScope(ROLES[barB], { barId: B })).toEqual({ barId: B });
    expect(surveyReadScope(ROLES.P1, { partyId: "p1" })).toEqual({ partyId: "p1" });
    expect(surveyReadScope(ROLES[rba], {})).toEqual({});
  });

  it("an anonymous caller sees no evidence", () => {
    expect(maySeeAccreditationEvidence(undefined, party, accreditationOfA)).toBe(false);
  });
});
