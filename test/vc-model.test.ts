/** The VC Data Model 2.0 rules generic libraries skip (src/domain/vc-model.ts), one rule at a time. */
import { describe, expect, it } from "vitest";
import { isDateTimeStamp, vcModelProblems } from "../src/domain/vc-model.js";

const VC2 = "https://www.w3.org/ns/credentials/v2";
const good = {
  "@context": [VC2, "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
  id: "https://senim.test/c/abc",
  type: ["VerifiableCredential", "OpenBadgeCredential"],
  issuer: { id: "did:web:senim.test:parties:p1", name: "Орталық" },
  validFrom: "2026-06-01T09:00:00Z",
  validUntil: "2031-06-01T09:00:00+05:00",
  credentialSubject: { id: "did:key:z6Mk", name: "x" },
  credentialSchema: [{ id: "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json", type: "1EdTechJsonSchemaValidator2019" }],
  credentialStatus: { id: "https://senim.test/status/l#1", type: "BitstringStatusListEntry", statusPurpose: "revocation", statusListIndex: "1", statusListCredential: "https://senim.test/status/l" },
  refreshService: { id: "https://senim.test/refresh", type: "VerifiableCredentialRefreshService2021" },
  relatedResource: [{ id: "https://senim.test/programme.pdf", digestSRI: "sha384-S57yQDg1MTzF56Oi9DbSQ14u7jBy0RDdx0YbeV7shwhCS88G8SCXeFq82PafhCrW" }, { id: "https://senim.test/logo.png", digestMultibase: "uEiBZlVztZpfWHgPyslVv6-UwirFoQoRvW1htfx963sknNA" }],
};
const paths = (doc: unknown, kind?: "credential" | "presentation") => vcModelProblems(doc, kind).map((p) => p.path);

describe("VC Data Model 2.0 rules", () => {
  it("a well-formed credential has no problems", () => {
    expect(vcModelProblems(good)).toEqual([]);
  });

  it("@context: an array whose first item is the VC 2.0 context, then URLs or objects, no repeats (§4.3)", () => {
    expect(paths({ ...good, "@context": VC2 })).toContain("@context");
    expect(paths({ ...good, "@context": ["https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json", VC2] })).toContain("@context/0");
    expect(paths({ ...good, "@context": [VC2, 42] })).toContain("@context/1");
    expect(paths({ ...good, "@context": [VC2, VC2] })).toContain("@context");
    expect(paths({ ...good, "@context": [VC2, { "@vocab": "https://x.example/#" }] })).toEqual([]);
  });

  it("id values are URLs (§4.4): the credential, the subject, status and schema entries", () => {
    expect(paths({ ...good, id: "abc" })).toEqual(["id"]);
    expect(paths({ ...good, credentialSubject: { id: "not a url" } })).toEqual(["credentialSubject/0/id"]);
    expect(paths({ ...good, credentialStatus: { ...good.credentialStatus, id: "#1" } })).toEqual(["credentialStatus/0/id"]);
  });

  it("type values (§4.5): present, strings without spaces, including VerifiableCredential / VerifiablePresentation", () => {
    expect(paths({ ...good, type: [] })).toEqual(["type"]);
    expect(paths({ ...good, type: ["OpenBadgeCredential"] })).toEqual(["type"]);
    expect(paths({ ...good, type: ["VerifiableCredential", "Open Badge"] })).toEqual(["type"]);
    expect(paths({ "@context": [VC2], type: ["VerifiableCredential"] }, "presentation")).toEqual(["type"]);
    expect(paths({ "@context": [VC2], type: "VerifiablePresentation", holder: "did:key:z6Mk" }, "presentation")).toEqual([]);
  });

  it("issuer is a URL or an object with a URL id (§4.7); credentialSubject is required (§4.8)", () => {
    expect(paths({ ...good, issuer: "Орталық" })).toEqual(["issuer"]);
    expect(paths({ ...good, issuer: { name: "x" } })).toEqual(["issuer"]);
    const { credentialSubject: _, ...noSubject } = good;
    expect(paths(noSubject)).toEqual(["credentialSubject"]);
  });

  it("validFrom / validUntil are dateTimeStamps with a time zone, and validUntil is not before validFrom (§4.9)", () => {
    expect(paths({ ...good, validFrom: "2026-06-01" })).toEqual(["validFrom"]);
    expect(paths({ ...good, validFrom: "2026-06-01T09:00:00" })).toEqual(["validFrom"]);
    expect(paths({ ...good, validUntil: "2026-02-30T00:00:00Z" })).toEqual(["validUntil"]);
    expect(paths({ ...good, validUntil: "2026-05-01T00:00:00Z" })).toEqual(["validUntil"]);
    expect(isDateTimeStamp("2026-06-01T09:00:00.123+05:00")).toBe(true);
    expect(isDateTimeStamp("2026-06-01T24:00:00Z")).toBe(false);
  });

  it("§4.9: a validUntil with second 60 is refused as a date-time, not read as never-expiring (Date.parse gives NaN)", () => {
    expect(Number.isNaN(Date.parse("2030-06-30T23:59:60Z"))).toBe(true);
    expect(isDateTimeStamp("2030-06-30T23:59:60Z")).toBe(false);
    expect(paths({ ...good, validUntil: "2030-06-30T23:59:60Z" })).toEqual(["validUntil"]);
    expect(paths({ ...good, validFrom: "2026-06-30T23:59:60+05:00", validUntil: undefined })).toEqual(["validFrom"]);
  });

  it("isDateTimeStamp: one strict RFC 3339 date-time check, every field in range, and never a value Date.parse cannot read", () => {
    const real = [
      "2026-06-01T09:00:00Z",
      "2026-06-01T09:00:00.5Z",
      "2026-06-01T23:59:59.999999+05:00",
      "2024-02-29T00:00:00Z", // leap year
      "2000-02-29T12:00:00Z", // divisible by 400
      "2026-12-31T23:59:59-12:00",
      "2026-01-01T00:00:00+14:00", // Kiribati, XML Schema's widest offset
      "0001-01-01T00:00:00Z",
    ];
    for (const v of real) {
      expect({ v, ok: isDateTimeStamp(v) }).toEqual({ v, ok: true });
      expect(Number.isFinite(Date.parse(v))).toBe(true);
    }
    const refused: unknown[] = [
      "2030-06-30T23:59:60Z", // leap second
      "2026-06-01T24:00:00Z",
      "2026-06-01T23:60:00Z",
      "2026-06-01T23:00:61Z",
      "2026-00-01T00:00:00Z",
      "2026-13-01T00:00:00Z",
      "2026-06-00T00:00:00Z",
      "2026-06-31T00:00:00Z",
      "2026-02-29T00:00:00Z", // not a leap year
      "1900-02-29T00:00:00Z", // divisible by 100, not by 400
      "2026-06-01T00:00:00+14:01",
      "2026-06-01T00:00:00+15:00",
      "2026-06-01T00:00:00-24:00",
      "2026-06-01T00:00:00+05:60",
      "2026-06-01T00:00:00+0500",
      "2026-06-01T00:00Z", // seconds are required
      "2026-06-01T00:00:00", // so is the zone
      "2026-06-01t00:00:00z",
      "2026-06-01 00:00:00Z",
      "10000-01-01T00:00:00Z", // Date.parse: NaN
      "-2026-06-01T00:00:00Z",
      "+002026-06-01T00:00:00Z",
      "2026-06-01T00:00:00.Z",
      " 2026-06-01T00:00:00Z",
      "2026-06-01T00:00:00Z\n",
      "",
      20260601,
      null,
      undefined,
      new Date("2026-06-01T00:00:00Z"),
    ];
    for (const v of refused) expect({ v, ok: isDateTimeStamp(v) }).toEqual({ v, ok: false });
  });

  it("credentialSchema, refreshService, credentialStatus, termsOfUse and evidence entries need a type; schemas a URL id (§4.10, §4.11, §5.4)", () => {
    expect(paths({ ...good, credentialSchema: [{ id: "https://x.example/s.json" }] })).toEqual(["credentialSchema/0/type"]);
    expect(paths({ ...good, credentialSchema: [{ type: "JsonSchema" }] })).toEqual(["credentialSchema/0/id"]);
    expect(paths({ ...good, refreshService: { id: "https://x.example/r" } })).toEqual(["refreshService/0/type"]);
    expect(paths({ ...good, evidence: ["a string"] })).toEqual(["evidence/0"]);
    expect(paths({ ...good, termsOfUse: { type: "" } })).toEqual(["termsOfUse/0/type"]);
  });

  it("relatedResource entries have distinct URL ids and an SRI or multibase digest (§5.3)", () => {
    expect(paths({ ...good, relatedResource: [{ id: "https://x.example/a" }] })).toEqual(["relatedResource/0"]);
    expect(paths({ ...good, relatedResource: [{ id: "a.pdf", digestSRI: "sha256-AAAA" }] })).toEqual(["relatedResource/0/id"]);
    expect(paths({ ...good, relatedResource: [{ id: "https://x.example/a", digestSRI: "md5-AAAA" }] })).toEqual(["relatedResource/0/digestSRI"]);
    expect(paths({ ...good, relatedResource: [{ id: "https://x.example/a", digestMultibase: "not multibase!" }] })).toEqual(["relatedResource/0/digestMultibase"]);
    const twice = { id: "https://x.example/a", digestSRI: "sha256-AAAA" };
    expect(paths({ ...good, relatedResource: [twice, twice] })).toEqual(["relatedResource/1/id"]);
  });

  it("non-objects are refused outright and problems are capped", () => {
    expect(paths("a string")).toEqual([""]);
    expect(paths([good])).toEqual([""]);
    expect(vcModelProblems({ ...good, evidence: Array(200).fill(1) }).length).toBeLessThanOrEqual(50);
  });
});
