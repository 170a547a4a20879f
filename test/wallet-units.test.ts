/** The pure parts of the wallet: holder DID resolution (did:key, did:jwk) and the ledger's arithmetic (10.6, 12.2). */
import { describe, expect, it } from "vitest";
import { ledgerTotals, ledgerYearOf } from "../src/domain/ledger.js";
import { didJwkFor, resolveHolderDid, verifyWithHolderKey } from "../src/credentials/holder-key.js";
import { newHolder } from "./wallet-helpers.js";

describe("holder DIDs", () => {
  it("resolves the did:key examples of the did:key spec (Ed25519 and P-256)", async () => {
    expect(await resolveHolderDid("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK")).toEqual({
      kty: "OKP", crv: "Ed25519", x: "Lm_M42cB3HkUiODQsXRcweM6TByfzEHGO9ND274JcOY",
    });
    const p256 = await resolveHolderDid("did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169");
    expect(p256).toMatchObject({ kty: "EC", crv: "P-256", x: "fyNYMN0976ci7xqiSdag3buk-ZCwgXU4kz9XNkBlNUI", y: "hW2ojTNfH7Jbi8--CJUo3OCbH3y5n91g-IMA9MLMbTU" });
  });

  it("round-trips did:jwk and verifies a signature made by the wallet's key", async () => {
    for (const kind of ["did:key", "did:jwk", "did:jwk:p256"] as const) {
      const h = await newHolder(kind);
      const jwk = (await resolveHolderDid(h.kid))!;
      expect(jwk.x).toBe(h.publicJwk.x);
      if (kind !== "did:key") expect(didJwkFor(jwk)).toBe(h.did);
      const jws = await h.sign({ typ: "JWT" }, { hello: "world" });
      expect(await verifyWithHolderKey(jws, jwk)).toBeDefined();
      expect(await verifyWithHolderKey(jws.slice(0, -4) + "AAAA", jwk)).toBeUndefined();
    }
  });

  it("refuses what it cannot resolve offline or that carries a private key", async () => {
    for (const did of ["did:web:example.com", "did:key:zNotBase58!", "did:key:z6Mk", "did:jwk:not-base64!", "did:jwk:" + Buffer.from('{"kty":"OKP","crv":"Ed25519","x":"a","d":"b"}').toString("base64url"), "did:key:z".padEnd(5000, "a")]) {
      expect(await resolveHolderDid(did)).toBeUndefined();
    }
  });
});

describe("the ledger's arithmetic", () => {
  it("12.2: a certificate counts in the Kazakhstan calendar year its event ended", () => {
    expect(ledgerYearOf("2025-12-31T18:59:59Z")).toBe(2025);
    expect(ledgerYearOf("2025-12-31T19:00:00Z")).toBe(2026); // midnight in Almaty
  });

  it("10.6: totals are summed in minutes, then turned into 45-minute academic hours once", () => {
    const totals = ledgerTotals([
      { programme: "criminal", form: "course", durationMinutes: 100 },
      { programme: "criminal", form: "seminar", durationMinutes: 35 },
      { programme: "civil", form: "course", durationMinutes: 45 },
    ]);
    expect(totals.total).toEqual({ certificates: 3, durationMinutes: 180, academicHours: 4 });
    expect(totals.byProgramme.criminal).toEqual({ certificates: 2, durationMinutes: 135, academicHours: 3 }); // not 2.2 + 0.8
    expect(totals.byForm).toEqual({
      course: { certificates: 2, durationMinutes: 145, academicHours: 3.2 },
      seminar: { certificates: 1, durationMinutes: 35, academicHours: 0.8 },
    });
    expect(ledgerTotals([]).total).toEqual({ certificates: 0, durationMinutes: 0, academicHours: 0 });
  });
});

describe("on an https deployment", () => {
  it("serves metadata and offers without relaxing the libraries' https rule", async () => {
    const { startSenim, issued } = await import("./helpers.js");
    const s = await startSenim(); // https://senim.test, served in-process
    try {
      const meta = await s.call("GET", "/.well-known/openid-credential-issuer");
      expect(meta.status).toBe(200);
      expect(meta.body.credential_endpoint).toBe("https://senim.test/oid4vci/credential");
      const { getGlobalConfig } = await import("@openid4vc/utils");
      expect(getGlobalConfig().allowInsecureUrls).toBe(false);
      const i = await issued(s, 1);
      const offer = await s.call("POST", `/api/certificates/${i.certificates[0]!.id}/offers`, { token: i.provider.token });
      expect(offer.status).toBe(201);
      expect(offer.body.offer).toBe(`openid-credential-offer://?credential_offer_uri=${encodeURIComponent(offer.body.credentialOfferUri)}`);
    } finally {
      await s.close();
    }
  });
});
