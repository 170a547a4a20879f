/**
 * The hand-written shape checks of the verify hot path (src/credentials/schema.ts) against the zod schemas they stand
 * in for: `true` only where zod accepts, on real certificates and on every single-field mutation of them, so the
 * format check's verdicts and messages stay zod's (verify.ts asks zod whenever the fast check says `false`).
 */
import { describe, expect, it } from "vitest";
import { buildCertificateCredential } from "../src/credentials/certificate.js";
import { isSenimCertificateShape, isVerifiableCredentialShape, senimCertificateSchema, verifiableCredentialSchema } from "../src/credentials/schema.js";

async function certificates(): Promise<Record<string, unknown>[]> {
  return Promise.all(
    Array.from({ length: 6 }, (_, i) =>
      buildCertificateCredential({
        certificateUrl: `https://senim.test/c/c${i}`,
        issuedAt: "2026-06-01T09:00:00Z",
        validUntil: i % 3 === 0 ? "2031-06-01T00:00:00Z" : null,
        issuer: { did: "did:web:senim.test:parties:p1", name: "Орталық", kind: "centre" },
        coOrganiser: i % 2 ? { id: "https://senim.test/registry/almaty-city", name: "Almaty City Bar" } : null,
        event: { id: `e${i}`, topic: `Тақырып ${i}`, programme: (["foundations", "civil", "criminal", "topical"] as const)[i % 4]!, form: (["course", "seminar", "training", "master-class"] as const)[i % 4]!, deliveryMode: "online", place: "Алматы", startsAt: "2026-05-30T04:00:00Z", endsAt: "2026-05-30T10:00:00Z", durationMinutes: 45 * (i + 1), trainers: i % 2 ? [] : ["А. Б.", "В. Г."] },
        participant: { fullName: `Қатысушы ${i}`, licenceNumber: `${500 + i}`, barId: "almaty-city", role: i % 2 ? "attendee" : "teacher", walletDid: i % 2 ? "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2" : null, ...(i === 3 ? { minutes: 45 } : {}) },
        licenceSalt: `s${i}`,
        status: { entryId: `https://senim.test/status/l#${i}`, listUrl: "https://senim.test/status/l", index: i },
        barUrl: (b) => `https://senim.test/registry/${b}`,
      }),
    ),
  );
}

/** Values to put in place of any field: wrong types, edge numbers, bad strings, too long strings. */
const REPLACEMENTS: unknown[] = [
  undefined, null, true, 0, -1, 1.5, 45, 1e999, -0, "", " ", "x", "a".repeat(41), "a".repeat(301), "a".repeat(501), `https://x/${"a".repeat(2050)}`,
  "https://ok.example/x", "not a url", "2026-02-30T00:00:00Z", "2026-06-01T09:00:00Z", "2026-06-01T09:00:60Z", "2026-06-01", "999999999", "1234567890", "01",
  "attendee", "teacher", "criminal", "course", "online", "revocation", "suspension", "BitstringStatusListEntry", [], [""], ["x"], {}, { id: "https://x/y", name: "N" },
];

/** Every path of a JSON value (objects and arrays), with the value there. */
function paths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = at.length ? [at] : [];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...at, i])));
  else if (typeof v === "object" && v !== null) for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...at, k]));
  return out;
}

function withValue(doc: unknown, path: (string | number)[], value: unknown, remove: boolean): unknown {
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  let node = copy;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (remove) {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else node[last] = value;
  return copy;
}

describe("hand-written certificate shape check", () => {
  it("accepts every real certificate, as zod does (else it would speed nothing up)", async () => {
    for (const c of await certificates()) {
      expect(senimCertificateSchema.safeParse(c).success).toBe(true);
      expect(isSenimCertificateShape(c)).toBe(true);
      expect(isVerifiableCredentialShape(c)).toBe(true);
    }
  });

  it("says true only where zod accepts, for every field removed or replaced by a wrong value", async () => {
    let mutations = 0;
    let agreedFalse = 0;
    for (const c of await certificates()) {
      for (const path of paths(c)) {
        for (const [value, remove] of [[undefined, true] as const, ...REPLACEMENTS.map((r) => [r, false] as const)]) {
          const m = withValue(c, path, value, remove);
          mutations++;
          const zodCert = senimCertificateSchema.safeParse(m).success;
          const zodVc = verifiableCredentialSchema.safeParse(m).success;
          if (isSenimCertificateShape(m)) expect(zodCert, `${path.join(".")} = ${JSON.stringify(value)?.slice(0, 40)}${remove ? " (removed)" : ""}`).toBe(true);
          else if (!zodCert) agreedFalse++;
          if (isVerifiableCredentialShape(m)) expect(zodVc, `VC shape: ${path.join(".")}`).toBe(true);
        }
      }
    }
    expect(mutations).toBeGreaterThan(5_000);
    expect(agreedFalse).toBeGreaterThan(1_000);
  });

  it("is not a credential at all for non-objects", () => {
    for (const v of [null, 1, "x", [], [{}]]) {
      expect(isSenimCertificateShape(v)).toBe(false);
      expect(isVerifiableCredentialShape(v)).toBe(false);
    }
  });
});
