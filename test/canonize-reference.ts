/**
 * Reference canonicalisation for test/jsonld-speedup.test.ts, run in its own process so jsonld.js is exactly as
 * published (nothing of Senim's speed-up loaded): reads a JSON array of documents on stdin, writes their RDFC-1.0
 * N-Quads (or the error) as a JSON array on stdout.
 */
import { cryptosuite } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import { createDocumentLoader } from "../src/credentials/contexts.js";

const EXAMPLES_V2 = new Map([["https://www.w3.org/ns/credentials/examples/v2", { "@context": { "@vocab": "https://www.w3.org/ns/credentials/examples#" } }]]);
const loader = createDocumentLoader({ extraContexts: EXAMPLES_V2 });
let input = "";
for await (const chunk of process.stdin) input += chunk;
const out: string[] = [];
for (const doc of JSON.parse(input) as unknown[]) {
  try {
    out.push(await cryptosuite.canonize(doc, { documentLoader: loader, base: null, safe: true }));
  } catch (e) {
    out.push(`error: ${(e as Error).name}`);
  }
}
process.stdout.write(JSON.stringify(out));
