/** The pipeline's pure parts: the profile a credential claims, and the one certificate-URL parser. */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { certificateIdIn, certificateUrlFor } from "../src/credentials/certificate-url.js";
import { profileOf } from "../src/credentials/verify.js";
import { CLE_CONTEXT, OB3_CONTEXT, VC_V2_CONTEXT } from "../src/credentials/vocabulary.js";

const URL = "https://senim.test";
const generic = { "@context": [VC_V2_CONTEXT], type: ["VerifiableCredential"], id: "urn:uuid:1", issuer: "did:key:z6MkA", credentialSubject: { id: "did:example:a" } };

describe("the profile is what a credential claims, never whether it parses", () => {
  it("the CLE context, an academic-hours term in any JSON-LD form, or a certificate id make a certificate", () => {
    expect(profileOf(generic, URL)).toBe("generic");
    expect(profileOf({ ...generic, "@context": [VC_V2_CONTEXT, OB3_CONTEXT, CLE_CONTEXT] }, URL)).toBe("certificate");
    expect(profileOf({ ...generic, credentialSubject: { achievement: { academicHours: "100" } } }, URL)).toBe("certificate");
    expect(profileOf({ ...generic, credentialSubject: { "cle:academicHours": 1 } }, URL)).toBe("certificate");
    expect(profileOf({ ...generic, credentialSubject: { "https://w3id.org/senim/cle#durationMinutes": 45 } }, URL)).toBe("certificate");
    expect(profileOf({ ...generic, "@context": [VC_V2_CONTEXT, { hours: "https://w3id.org/senim/cle#academicHours" }] }, URL)).toBe("certificate");
    expect(profileOf({ ...generic, id: `${URL}/c/abc` }, URL)).toBe("certificate");
    expect(profileOf({ ...generic, id: `${URL}/c/../../x` }, URL)).toBe("certificate");
  });

  it("an Open Badges 3.0 badge with creditsEarned but no CLE claim stays generic", () => {
    const ob = JSON.parse(readFileSync(resolve(import.meta.dirname, "vectors/ob3/signed-openbadgecredential.json"), "utf8"));
    expect(profileOf(ob, URL)).toBe("generic");
    expect(profileOf({ ...generic, credentialSubject: { creditsEarned: 3 } }, URL)).toBe("generic");
  });
});

describe("certificate URLs (one parser)", () => {
  it("reads ids in this service's certificate space only", () => {
    expect(certificateIdIn(URL, certificateUrlFor(URL, "z8035vfs31npcqdw"))).toBe("z8035vfs31npcqdw");
    expect(certificateIdIn(URL, "https://elsewhere.test/c/z8035vfs31npcqdw")).toBeUndefined();
    expect(certificateIdIn(URL, "https://senim.test.evil/c/abc")).toBeUndefined();
    expect(certificateIdIn(URL, 42)).toBeUndefined();
    // In the space but no certificate id: named, so a claim on the space never passes as "outside" it.
    expect(certificateIdIn(URL, `${URL}/c/`)).toBeNull();
    expect(certificateIdIn(URL, `${URL}/c/ABC`)).toBeNull();
    expect(certificateIdIn(URL, `${URL}/c/abc/qr.png`)).toBeNull();
    expect(certificateIdIn(URL, `${URL}/c/${"a".repeat(41)}`)).toBeNull();
  });

  it("reads the link forms people paste when asked to", () => {
    for (const link of [`${URL}/c/abc/qr.png`, `${URL}/c/abc?lang=kk`, `${URL}/c/abc.pdf`, ` ${URL}/c/abc#x `]) expect(certificateIdIn(URL, link, { allowSubpath: true }), link).toBe("abc");
  });
});
