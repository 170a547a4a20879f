/**
 * The jsonld speed-up (src/credentials/jsonld-speedup.ts) must not change a single canonical N-Quad: a corpus of
 * credentials, presentations, proof configurations and odd context shapes is canonicalised here with it installed,
 * several times over in mixed order, and compared with jsonld.js as published, run in a separate process.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { buildCertificateCredential } from "../src/credentials/certificate.js";
import { createDocumentLoader } from "../src/credentials/contexts.js";
import { canonize, proofConfiguration } from "../src/credentials/data-integrity.js";
import { installJsonLdSpeedup } from "../src/credentials/jsonld-speedup.js";

const VECTORS = resolve(import.meta.dirname, "vectors");
const readJson = (rel: string): any => JSON.parse(readFileSync(resolve(VECTORS, rel), "utf8"));
const VC2 = "https://www.w3.org/ns/credentials/v2";
const OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
const EXAMPLES_V2 = new Map([["https://www.w3.org/ns/credentials/examples/v2", { "@context": { "@vocab": "https://www.w3.org/ns/credentials/examples#" } }]]);

async function corpus(): Promise<unknown[]> {
  const certs = await Promise.all(
    Array.from({ length: 8 }, (_, i) =>
      buildCertificateCredential({
        certificateUrl: `https://senim.test/c/c${i}`,
        issuedAt: "2026-06-01T09:00:00Z",
        validUntil: i % 3 === 0 ? "2031-06-01T00:00:00Z" : null,
        issuer: { did: "did:web:senim.test:parties:p1", name: "Орталық", kind: "centre" },
        coOrganiser: i % 2 ? { id: "almaty-city", name: "Almaty City Bar" } : null,
        event: { id: `e${i}`, topic: `Тақырып ${i}`, programme: (["foundations", "civil", "criminal", "topical"] as const)[i % 4]!, form: (["course", "seminar", "training", "master-class"] as const)[i % 4]!, deliveryMode: "online", place: "Алматы", startsAt: "2026-05-30T04:00:00Z", endsAt: "2026-05-30T10:00:00Z", durationMinutes: 45 * (i + 1), trainers: i % 2 ? [] : ["А. Б.", "В. Г."] },
        participant: { fullName: `Қатысушы ${i}`, licenceNumber: `${500 + i}`, barId: "almaty-city", role: i % 2 ? "attendee" : "teacher", walletDid: i % 2 ? "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2" : null },
        licenceSalt: `s${i}`,
        status: { entryId: `https://senim.test/status/l#${i}`, listUrl: "https://senim.test/status/l", index: i },
        barUrl: (b) => `https://senim.test/registry/${b}`,
      }),
    ),
  );
  const ob = readJson("ob3/signed-openbadgecredential.json");
  delete ob.proof;
  const alumni = readJson("vc-di-eddsa/unsigned.json");
  return [
    ...certs,
    ob,
    alumni,
    { "@context": alumni["@context"], ...proofConfiguration("did:key:z6Mk#z6Mk", "2026-01-01T00:00:00Z") },
    { "@context": certs[0]!["@context"], ...proofConfiguration("did:web:senim.test:parties:p1#key-1-multikey", "2026-06-01T09:00:00Z") },
    { "@context": [VC2], id: "https://senim.test/status/l", type: ["VerifiableCredential", "BitstringStatusListCredential"], issuer: "did:web:senim.test:parties:p1", validFrom: "2026-06-01T09:00:00Z", credentialSubject: { id: "https://senim.test/status/l#list", type: "BitstringStatusList", statusPurpose: "suspension", encodedList: "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA", ttl: 300000 } },
    { "@context": [VC2], type: ["VerifiablePresentation"], holder: "did:key:z6Mkh", verifiableCredential: [certs[1], alumni] },
    { "@context": [VC2, { "@vocab": "https://vocab.example/#", local: "https://vocab.example/#local" }], type: ["VerifiableCredential", "LocalThing"], issuer: { id: "did:key:z6Mki", name: "Local" }, credentialSubject: { local: "x", other: { nested: [1, 2, { deep: true }] } } },
    { "@context": [VC2, OB3], type: ["VerifiableCredential", "OpenBadgeCredential"], issuer: { id: "https://example.kz/i", type: ["Profile"], name: "I" }, validFrom: "2026-01-01T00:00:00Z", credentialSubject: { type: ["AchievementSubject"], achievement: { id: "https://example.kz/a", type: ["Achievement"], name: "A", criteria: { narrative: "n" }, description: "d" } }, relatedResource: [{ id: "https://example.kz/r.pdf", digestSRI: "sha384-AAAA" }], credentialSchema: [{ id: "https://example.kz/s.json", type: "JsonSchema" }] },
    { "@context": [VC2], type: ["VerifiableCredential"], issuer: "did:key:z6Mkj", credentialSubject: { id: "did:example:1" }, undefinedTerm: 1 },
  ];
}

describe("jsonld speed-up", () => {
  it("canonical N-Quads equal jsonld.js as published, for every document, in any order, repeatedly", async () => {
    const docs = await corpus();
    const reference = JSON.parse(
      execFileSync(process.execPath, ["--import", "tsx", resolve(import.meta.dirname, "canonize-reference.ts")], { input: JSON.stringify(docs), encoding: "utf8", timeout: 60_000 }),
    ) as string[];
    expect(reference).toHaveLength(docs.length);
    expect(reference.filter((r) => r.startsWith("error:"))).toHaveLength(1); // the undefined term, in safe mode
    expect(await installJsonLdSpeedup()).toBe(true);
    const loader = createDocumentLoader({ extraContexts: EXAMPLES_V2 });
    const ours = async (doc: unknown) => canonize(doc, loader).catch((e: Error) => `error: ${e.name}`);
    for (let round = 0; round < 3; round++) {
      const order = docs.map((_, i) => i);
      if (round === 1) order.reverse();
      if (round === 2) order.sort((a, b) => ((a * 7) % docs.length) - ((b * 7) % docs.length));
      for (const i of order) expect(await ours(docs[i]), `document ${i}, round ${round}`).toBe(reference[i]);
      // Concurrently too: jsonld yields between steps, so documents interleave.
      const together = await Promise.all(order.map((i) => ours(docs[i])));
      order.forEach((i, k) => expect(together[k], `document ${i} concurrently`).toBe(reference[i]));
    }
  });
});
