/**
 * Data Integrity (`eddsa-rdfc-2022`) issue/s and verify/s on one core, beside the plain library in the same run:
 *
 *   baseline   `@digitalbazaar/vc` `issue` with a DataIntegrityProof, jsonld.js as published (measured first, before
 *              anything in this process changes jsonld), one certificate after another;
 *   Senim      DataIntegrityIssuer.sign (what issuing with format=di and POST /credentials/issue run): the same
 *              proofs, with the proof configuration's hash computed once per key and `created`, and processed
 *              contexts reused across documents (src/credentials/jsonld-speedup.ts);
 *   verify     verifyDataIntegrity: every proof of the set or chain (Data Integrity 1.0 §4.5), each through the
 *              library's single-proof verifier with the Web Crypto Ed25519 verifier.
 *
 * Every run signs distinct, real certificates (buildCertificateCredential) and checks that Senim's proofs equal the
 * library's byte for byte before timing anything. Must run before anything else in the process installs the speed-up.
 */
import { Bench } from "tinybench";
import { buildCertificateCredential } from "../src/credentials/certificate.js";
import { createDocumentLoader } from "../src/credentials/contexts.js";
import { DataIntegrityIssuer, issueWithLibrary, verifyDataIntegrity } from "../src/credentials/data-integrity.js";
import { installJsonLdSpeedup } from "../src/credentials/jsonld-speedup.js";
import { didKeyFor, ed25519Multibase, resolveDidKey } from "../src/credentials/multikey.js";

export interface DataIntegrityBench {
  certificates: number;
  /** One at a time (tinybench mean latency → ops/s). */
  plainIssuePerSec: number;
  senimIssuePerSec: number;
  verifyPerSec: number;
  /** Issue rate with IN_FLIGHT signings under way at once, as issuing runs them (Web Crypto waits overlap). */
  inFlight: number;
  plainIssueThroughput: number;
  senimIssueThroughput: number;
  /** Senim issue/s ÷ plain library issue/s, one at a time, both measured in this run. */
  ratio: number;
  /** The same ratio with IN_FLIGHT at once. */
  throughputRatio: number;
  target: number;
  met: boolean;
}

const CERTIFICATES = 200;
const IN_FLIGHT = 16;
const THROUGHPUT_MS = 4_000;

/** Completions per second of `fn` kept `inFlight` deep for `ms` (after a 1 s warm-up). */
async function throughput(fn: () => Promise<unknown>, inFlight: number, ms: number): Promise<number> {
  const runFor = async (duration: number) => {
    let done = 0;
    const end = performance.now() + duration;
    await Promise.all(Array.from({ length: inFlight }, async () => {
      while (performance.now() < end) {
        await fn();
        done++;
      }
    }));
    return done;
  };
  await runFor(1_000);
  const start = performance.now();
  const done = await runFor(ms);
  return (done * 1_000) / (performance.now() - start);
}

export async function runDataIntegrity(log: (line: string) => void): Promise<DataIntegrityBench> {
  log("data integrity: eddsa-rdfc-2022 issue and verify, plain @digitalbazaar/vc first (tinybench)…");
  const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const raw = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
  const did = didKeyFor(raw);
  const signer = { verificationMethod: `${did}#${ed25519Multibase(raw)}`, privateKey: pair.privateKey };
  const documentLoader = createDocumentLoader({ resolveDid: async (url) => resolveDidKey(url) });
  const created = "2026-06-01T09:00:00Z";
  const certificates = await Promise.all(
    Array.from({ length: CERTIFICATES }, (_, i) =>
      buildCertificateCredential({
        certificateUrl: `https://senim.bench/c/c${i}`,
        issuedAt: created,
        validUntil: null,
        issuer: { did, name: "Біліктілікті арттыру орталығы", kind: "centre" },
        coOrganiser: i % 2 ? { id: "almaty-city", name: "Almaty City Bar" } : null,
        event: { id: "ev1", topic: "Қылмыстық процестегі дәлелдемелер", programme: "criminal", form: "course", deliveryMode: "in-person", place: "Алматы", startsAt: "2026-05-30T04:00:00Z", endsAt: "2026-05-30T10:00:00Z", durationMinutes: 360, trainers: ["Сейтқали Ә."] },
        participant: { fullName: `Қатысушы ${i + 1}`, licenceNumber: String(100000 + i), barId: "almaty-city", role: i === 0 ? "teacher" : "attendee", walletDid: null },
        licenceSalt: `salt${i}`,
        status: { entryId: `https://senim.bench/status/l1#${i}`, listUrl: "https://senim.bench/status/l1", index: i },
        barUrl: (b) => `https://senim.bench/registry/${b}`,
      }),
    ),
  );
  const issuer = new DataIntegrityIssuer(signer, documentLoader);
  const next = (() => {
    let i = 0;
    return () => certificates[i++ % certificates.length]!;
  })();
  const plain = () => issueWithLibrary(next(), signer, { created, documentLoader });

  // The library as published first: nothing of Senim's has touched jsonld yet in this process.
  const opts = { time: 4_000, warmupTime: 1_000 };
  const baseline = new Bench(opts).add("plain", plain);
  await baseline.run();
  const plainIssueThroughput = await throughput(plain, IN_FLIGHT, THROUGHPUT_MS);
  const reference = await Promise.all(certificates.slice(0, 5).map((c) => issueWithLibrary(c, signer, { created, documentLoader })));

  if (!(await installJsonLdSpeedup())) throw new Error("the jsonld speed-up did not install");
  // Same bytes before timing: the fast path must sign exactly what the library signed.
  for (const [i, expected] of reference.entries()) {
    if (JSON.stringify(await issuer.sign(certificates[i]!, created)) !== JSON.stringify(expected)) throw new Error("DataIntegrityIssuer and @digitalbazaar/vc disagree on a certificate's proof");
  }
  const signed = await Promise.all(certificates.map((c) => issuer.sign(c, created)));
  let v = 0;
  const bench = new Bench(opts)
    .add("senim", () => issuer.sign(next(), created))
    .add("verify", async () => {
      const outcome = await verifyDataIntegrity(signed[v++ % signed.length]!, { documentLoader });
      if (!outcome.ok) throw new Error(`verify failed: ${outcome.detail}`);
    });
  await bench.run();
  const senimIssueThroughput = await throughput(() => issuer.sign(next(), created), IN_FLIGHT, THROUGHPUT_MS);

  const rate = (b: Bench, name: string) => {
    const r = b.getTask(name)?.result;
    if (!r || r.state !== "completed") throw new Error(`tinybench task ${name}: ${r?.state ?? "missing"}`);
    return 1_000 / r.latency.mean;
  };
  const plainIssuePerSec = rate(baseline, "plain");
  const senimIssuePerSec = rate(bench, "senim");
  const result: DataIntegrityBench = {
    certificates: CERTIFICATES,
    plainIssuePerSec,
    senimIssuePerSec,
    verifyPerSec: rate(bench, "verify"),
    inFlight: IN_FLIGHT,
    plainIssueThroughput,
    senimIssueThroughput,
    ratio: senimIssuePerSec / plainIssuePerSec,
    throughputRatio: senimIssueThroughput / plainIssueThroughput,
    target: 2,
    met: senimIssueThroughput / plainIssueThroughput >= 2 && senimIssuePerSec / plainIssuePerSec >= 2,
  };
  log(`data integrity: plain ${result.plainIssuePerSec.toFixed(0)}/s, Senim ${result.senimIssuePerSec.toFixed(0)}/s (×${result.ratio.toFixed(2)}); ${IN_FLIGHT} in flight: plain ${plainIssueThroughput.toFixed(0)}/s, Senim ${senimIssueThroughput.toFixed(0)}/s (×${result.throughputRatio.toFixed(2)}); verify ${result.verifyPerSec.toFixed(0)}/s`);
  return result;
}
