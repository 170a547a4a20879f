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

describe("the pipeline's shared rules (issue and verification alike)", () => {
  it("each credential subject makes a claim", async () => {
    const { credentialProblems } = await import("../src/credentials/verify.js");
    expect(credentialProblems(generic)).toEqual([]);
    expect(credentialProblems({ ...generic, credentialSubject: {} })).toEqual([{ path: "credentialSubject/0", code: "subject-makes-no-claim", message: expect.stringContaining("claim") }]);
    expect(credentialProblems({ ...generic, credentialSubject: [{ id: "did:example:a" }, {}] }).map((p) => p.path)).toEqual(["credentialSubject/1"]);
  });

  it("a status entry on a list's Data Integrity URL names the list itself; other URLs are left as they are", async () => {
    const { statusListUrlOf } = await import("../src/credentials/status-list.js");
    expect(statusListUrlOf(URL, `${URL}/status/abc?format=di`)).toBe(`${URL}/status/abc`);
    expect(statusListUrlOf(URL, `${URL}/status/abc`)).toBe(`${URL}/status/abc`);
    expect(statusListUrlOf(URL, "https://elsewhere.test/status/abc?format=di")).toBe("https://elsewhere.test/status/abc?format=di");
  });

  it("relatedResource digests: SRI and every multibase of a SHA-2 multihash read alike; malformed ones are named; unheld ones unchecked", async () => {
    const { checkRelatedResources } = await import("../src/credentials/related-resources.js");
    const { EXAMPLES_V2_CONTEXT, PUBLISHED_TEXT } = await import("../src/credentials/contexts.js");
    const text = new TextEncoder().encode(PUBLISHED_TEXT.get(EXAMPLES_V2_CONTEXT)!);
    const digest = async (alg: string) => Buffer.from(await crypto.subtle.digest(alg, text));
    const mh = (code: number, d: Buffer) => Buffer.concat([Buffer.from([code, d.length]), d]);
    const sha256 = mh(0x12, await digest("SHA-256"));
    const base32 = (b: Buffer) => {
      let bits = "";
      for (const x of b) bits += x.toString(2).padStart(8, "0");
      return (bits.match(/.{1,5}/g) ?? []).map((c) => "abcdefghijklmnopqrstuvwxyz234567"[parseInt(c.padEnd(5, "0"), 2)]).join("");
    };
    const { base58btc } = await import("../src/lib/base58.js");
    const forms = [
      { digestSRI: `sha256-${(await digest("SHA-256")).toString("base64")}` },
      { digestSRI: `sha384-${(await digest("SHA-384")).toString("base64")}` },
      { digestSRI: `sha512-${(await digest("SHA-512")).toString("base64")}` },
      { digestMultibase: `z${base58btc(sha256)}` },
      { digestMultibase: `u${sha256.toString("base64url")}` },
      { digestMultibase: `M${sha256.toString("base64")}` },
      { digestMultibase: `f${sha256.toString("hex")}` },
      { digestMultibase: `b${base32(sha256)}` },
      { digestMultibase: `u${mh(0x20, await digest("SHA-384")).toString("base64url")}` },
      { digestMultibase: `u${mh(0x13, await digest("SHA-512")).toString("base64url")}` },
    ];
    for (const form of forms) {
      expect(await checkRelatedResources({ relatedResource: { id: EXAMPLES_V2_CONTEXT, ...form } }), JSON.stringify(form)).toEqual({ malformed: [], mismatched: [], matched: [EXAMPLES_V2_CONTEXT], unchecked: [] });
    }
    const other = mh(0x12, Buffer.alloc(32, 7));
    expect((await checkRelatedResources({ relatedResource: [{ id: EXAMPLES_V2_CONTEXT, digestMultibase: `u${other.toString("base64url")}` }] })).mismatched).toEqual([EXAMPLES_V2_CONTEXT]);
    // Both digests are checked: one right and one wrong is a mismatch.
    expect((await checkRelatedResources({ relatedResource: [{ id: EXAMPLES_V2_CONTEXT, ...forms[0], digestMultibase: `u${other.toString("base64url")}` }] })).mismatched).toEqual([EXAMPLES_V2_CONTEXT]);
    const malformed = await checkRelatedResources({
      relatedResource: [
        { id: "https://a.test/1", digestSRI: "sha256-AAAA" },
        { id: "https://a.test/2", digestMultibase: `u${Buffer.from([0x12, 0x20, 1, 2]).toString("base64url")}` },
        { id: "https://a.test/3", digestMultibase: `u${mh(0x11, Buffer.alloc(20)).toString("base64url")}` },
        { id: "https://a.test/4", digestMultibase: "zIOl0" },
      ],
    });
    expect(malformed.malformed.map((p) => p.path)).toEqual(["relatedResource/0/digestSRI", "relatedResource/1/digestMultibase", "relatedResource/2/digestMultibase", "relatedResource/3/digestMultibase"]);
    expect((await checkRelatedResources({ relatedResource: { id: "https://a.test/held-nowhere", ...forms[1] } })).unchecked).toEqual(["https://a.test/held-nowhere"]);
  });
});
