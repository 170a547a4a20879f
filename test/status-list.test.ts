/**
 * W3C Bitstring Status List v1.0: the encoding on its own, then the whole path through the app (issue, publish,
 * revoke, verify) over a real SQLite database and real Ed25519 keys.
 */
import { gzipSync } from "node:zlib";
import { compactVerify, decodeProtectedHeader } from "jose";
import { afterEach, describe, expect, it } from "vitest";
import {
  bitAt,
  decodeStatusList,
  encodeStatusList,
  MAX_STATUS_LIST_BYTES,
  STATUS_LIST_SIZE,
  statusIndexForCounter,
} from "../src/credentials/status-list.js";
import { StatusList } from "@sd-jwt/jwt-status-list";
import { decodeLst, encodeLst, statusAt, statusBytes } from "../src/credentials/token-status-list.js";
import { base64url } from "../src/lib/ids.js";
import { issued, PUBLIC_URL, startSenim, type TestSenim } from "./helpers.js";

describe("statusIndexForCounter", () => {
  it("the list has the spec's minimum of 131,072 entries", () => {
    expect(STATUS_LIST_SIZE).toBe(131_072);
  });

  it("is a bijection on [0, 131072): every counter gets its own index, and every index is used once", () => {
    const seen = new Uint8Array(STATUS_LIST_SIZE);
    for (let c = 0; c < STATUS_LIST_SIZE; c++) {
      const i = statusIndexForCounter(c);
      if (!Number.isInteger(i) || i < 0 || i >= STATUS_LIST_SIZE) throw new Error(`counter ${c} maps outside the list: ${i}`);
      if (seen[i]) throw new Error(`counter ${c} collides at index ${i}`);
      seen[i] = 1;
    }
    expect(seen.every((b) => b === 1)).toBe(true);
  });

  it("herd privacy: consecutive counters never land in the same byte of the list", () => {
    for (let c = 0; c + 1 < STATUS_LIST_SIZE; c++) {
      const a = statusIndexForCounter(c);
      const b = statusIndexForCounter(c + 1);
      if (a >> 3 === b >> 3) throw new Error(`counters ${c} and ${c + 1} share byte ${a >> 3}`);
    }
  });

  it("refuses counters outside the list", () => {
    for (const bad of [-1, STATUS_LIST_SIZE, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => statusIndexForCounter(bad)).toThrow(RangeError);
    }
  });
});

describe("encodeStatusList / decodeStatusList", () => {
  it("round-trips bits 0, 7, 8 and 131071, MSB first (bit 0 is the most significant bit of byte 0)", async () => {
    const encoded = await encodeStatusList([0, 7, 8, 131_071]);
    expect(encoded.startsWith("u")).toBe(true);
    expect(encoded.slice(1)).toMatch(/^[A-Za-z0-9_-]+$/); // multibase base64url, no padding
    const bits = await decodeStatusList(encoded);
    expect(bits.length).toBe(16_384);
    expect(bits[0]).toBe(0b1000_0001); // bits 0 and 7
    expect(bits[1]).toBe(0b1000_0000); // bit 8
    expect(bits[16_383]).toBe(0b0000_0001); // bit 131071
    for (const i of [0, 7, 8, 131_071]) expect(bitAt(bits, i)).toBe(true);
    for (const i of [1, 6, 9, 15, 16, 65_536, 131_070]) expect(bitAt(bits, i)).toBe(false);
    let set = 0;
    for (let i = 0; i < STATUS_LIST_SIZE; i++) if (bitAt(bits, i)) set++;
    expect(set).toBe(4);
    expect(bits.slice(2, 16_383).every((b) => b === 0)).toBe(true);
  });

  it("an empty list is 16 KB of zeros and compresses to a few dozen bytes", async () => {
    const encoded = await encodeStatusList([]);
    expect(encoded.length).toBeLessThan(200);
    const bits = await decodeStatusList(encoded);
    expect(bits.length).toBe(16_384);
    expect(bits.every((b) => b === 0)).toBe(true);
  });

  it("is real GZIP: node:zlib's gzip of a hand-made bitstring decodes the same way", async () => {
    const raw = new Uint8Array(16_384);
    raw[0] = 0x80;
    raw[100] = 0x01;
    const bits = await decodeStatusList("u" + base64url(gzipSync(raw)));
    expect(bitAt(bits, 0)).toBe(true);
    expect(bitAt(bits, 807)).toBe(true);
    expect(bitAt(bits, 1)).toBe(false);
  });

  it("refuses indexes outside the list when encoding", async () => {
    await expect(encodeStatusList([STATUS_LIST_SIZE])).rejects.toThrow(RangeError);
    await expect(encodeStatusList([-1])).rejects.toThrow(RangeError);
  });

  it("bitAt refuses an index past the end", async () => {
    const bits = await decodeStatusList(await encodeStatusList([]));
    expect(() => bitAt(bits, STATUS_LIST_SIZE)).toThrow(RangeError);
  });

  it("refuses an encodedList without the multibase u prefix, or not base64url", async () => {
    const encoded = await encodeStatusList([1]);
    await expect(decodeStatusList(encoded.slice(1))).rejects.toThrow(TypeError);
    await expect(decodeStatusList("z" + encoded.slice(1))).rejects.toThrow(TypeError);
    await expect(decodeStatusList("u+/+/")).rejects.toThrow();
  });

  it("refuses data that is not GZIP", async () => {
    await expect(decodeStatusList("u" + base64url(new TextEncoder().encode("definitely not gzip")))).rejects.toThrow();
  });

  it("a GZIP bomb (3 MB of zeros in a few KB) is refused before it is inflated past 2 MB", async () => {
    const bomb = gzipSync(new Uint8Array(3 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(10_000);
    expect(MAX_STATUS_LIST_BYTES).toBe(2 * 1024 * 1024);
    await expect(decodeStatusList("u" + base64url(bomb))).rejects.toThrow(RangeError);
  });

  it("a larger bomb (64 MB of zeros) is refused as well", async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
    await expect(decodeStatusList("u" + base64url(bomb))).rejects.toThrow(/too large/);
  });

  it("exactly 2 MB is still accepted (the limit is inclusive)", async () => {
    const bits = await decodeStatusList("u" + base64url(gzipSync(new Uint8Array(MAX_STATUS_LIST_BYTES))));
    expect(bits.length).toBe(MAX_STATUS_LIST_BYTES);
  });
});

describe("status lists through the app", () => {
  let s: TestSenim;
  afterEach(async () => s?.close());

  async function statusListOf(certificateId: string) {
    const cert = await s.call("GET", `/api/certificates/${certificateId}`);
    expect(cert.status).toBe(200);
    const status = cert.body.credential.credentialStatus;
    expect(status).toMatchObject({ type: "BitstringStatusListEntry", statusPurpose: "revocation" });
    expect(status.statusListCredential.startsWith(`${PUBLIC_URL}/status/`)).toBe(true);
    return { cert: cert.body, listUrl: status.statusListCredential as string, index: Number(status.statusListIndex) };
  }

  async function fetchList(listUrl: string, issuerDid: string, partyId: string) {
    const res = await s.app.request(listUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/vc\+jwt/);
    const jwt = await res.text();
    const header = decodeProtectedHeader(jwt);
    expect(header).toMatchObject({ alg: "EdDSA", typ: "vc+jwt" });
    expect(String(header.kid).startsWith(`${issuerDid}#`)).toBe(true);
    // The issuer's public key from its DID document, not from anything the list says about itself.
    const did = await s.call("GET", `/parties/${partyId}/did.json`);
    expect(did.status).toBe(200);
    expect(did.body.id).toBe(issuerDid);
    const method = did.body.verificationMethod.find((m: { id: string }) => m.id === header.kid);
    expect(method).toBeDefined();
    expect(did.body.assertionMethod).toContain(header.kid);
    const key = await crypto.subtle.importKey("jwk", method.publicKeyJwk, { name: "Ed25519" }, true, ["verify"]);
    const { payload } = await compactVerify(jwt, key, { algorithms: ["EdDSA"] });
    const credential = JSON.parse(new TextDecoder().decode(payload));
    const bits = await decodeStatusList(credential.credentialSubject.encodedList);
    return { credential, bits };
  }

  it("7.5: the status list is a BitstringStatusListCredential signed by the issuer's key, with at least 131,072 entries", async () => {
    s = await startSenim();
    const { provider, certificates } = await issued(s, 3);
    const { cert, listUrl } = await statusListOf(certificates[0]!.id);
    const issuerDid = cert.credential.issuer.id;
    expect(issuerDid).toBe(provider.party.did);
    const { credential, bits } = await fetchList(listUrl, issuerDid, provider.party.id);
    expect(credential["@context"][0]).toBe("https://www.w3.org/ns/credentials/v2");
    expect(credential.type).toEqual(expect.arrayContaining(["VerifiableCredential", "BitstringStatusListCredential"]));
    expect(credential.id).toBe(listUrl);
    expect(credential.issuer).toBe(issuerDid);
    expect(credential.credentialSubject).toMatchObject({ type: "BitstringStatusList", statusPurpose: "revocation" });
    expect(bits.length * 8).toBeGreaterThanOrEqual(131_072);
    expect(bits.every((b) => b === 0)).toBe(true);
  });

  it("an unknown status list is a 404", async () => {
    s = await startSenim();
    const res = await s.call("GET", "/status/nosuchlist");
    expect(res.status).toBe(404);
  });

  it("revocation sets exactly the revoked certificate's bit, and the revoked certificate fails verification with status revoked", async () => {
    s = await startSenim();
    const { provider, certificates } = await issued(s, 3);
    const entries = await Promise.all(certificates.map((c) => statusListOf(c.id)));
    // All three share one list and have distinct indexes.
    expect(new Set(entries.map((e) => e.listUrl)).size).toBe(1);
    expect(new Set(entries.map((e) => e.index)).size).toBe(3);
    const { listUrl } = entries[0]!;
    const issuerDid = entries[0]!.cert.credential.issuer.id;

    // Fetch once before revoking, so a stale cached list would show up below.
    const before = await fetchList(listUrl, issuerDid, provider.party.id);
    for (const e of entries) expect(bitAt(before.bits, e.index)).toBe(false);

    const revokedId = certificates[1]!.id;
    const revoke = await s.call("POST", `/api/certificates/${revokedId}/revocation`, { token: provider.token, body: { reason: "Issued by mistake" } });
    expect(revoke.status).toBe(201);
    expect(revoke.body.statusList).toBe(listUrl);

    const after = await fetchList(listUrl, issuerDid, provider.party.id);
    const revokedIndex = entries[1]!.index;
    expect(bitAt(after.bits, revokedIndex)).toBe(true);
    let set = 0;
    for (let i = 0; i < after.bits.length * 8; i++) if (bitAt(after.bits, i)) set++;
    expect(set).toBe(1);
    expect(bitAt(after.bits, entries[0]!.index)).toBe(false);
    expect(bitAt(after.bits, entries[2]!.index)).toBe(false);

    const verify = await s.call("POST", "/api/verify", { body: { url: certificates[1]!.url } });
    expect(verify.status).toBe(422);
    expect(verify.body.verified).toBe(false);
    expect(verify.body.checks.find((c: { check: string }) => c.check === "status")).toMatchObject({ outcome: "failed", code: "revoked" });
    // Everything else about it is still true: only the status fails.
    expect(verify.body.checks.filter((c: { outcome: string }) => c.outcome !== "passed").map((c: { check: string }) => c.check)).toEqual(["status"]);

    // The neighbours still verify.
    for (const c of [certificates[0]!, certificates[2]!]) {
      const ok = await s.call("POST", "/api/verify", { body: { url: c.url } });
      expect(ok.status).toBe(200);
    }

    const cert = await s.call("GET", `/api/certificates/${revokedId}`);
    expect(cert.body.revoked).toMatchObject({ reason: "Issued by mistake" });
  });

  it("a certificate cannot be revoked twice (409), nor by another provider (403)", async () => {
    s = await startSenim();
    const { provider, certificates } = await issued(s, 2);
    const other = await issued(s, 1);
    const id = certificates[0]!.id;
    const foreign = await s.call("POST", `/api/certificates/${id}/revocation`, { token: other.provider.token, body: { reason: "not mine" } });
    expect(foreign.status).toBe(403);
    expect(foreign.body.code).toBe("forbidden");
    expect((await s.call("POST", `/api/certificates/${id}/revocation`, { token: provider.token, body: { reason: "mistake" } })).status).toBe(201);
    const again = await s.call("POST", `/api/certificates/${id}/revocation`, { token: provider.token, body: { reason: "mistake" } });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("already_revoked");
  });
});

describe("issue 15: the same list as an IETF Token Status List (draft-ietf-oauth-status-list §4), read back by @sd-jwt/jwt-status-list", () => {
  it("a revocation list: one bit per entry, index 0 in the least significant bit, DEFLATE in the ZLIB format", async () => {
    const set = [0, 9, 4_242, STATUS_LIST_SIZE - 1];
    const lst = await encodeLst(statusBytes(set, STATUS_LIST_SIZE, "revocation"));
    const read = StatusList.decompressStatusList(lst, 1);
    for (const i of [...set, 1, 8, 4_241, 4_243]) expect(read.getStatus(i), `index ${i}`).toBe(set.includes(i) ? 1 : 0);
    // The byte layout the draft's §4.1 example gives: index 0 and 9 set → 0x01, 0x02.
    expect([...statusBytes([0, 9], 16, "revocation")]).toEqual([0x01, 0x02]);
    expect([...(await decodeLst(lst))]).toEqual([...statusBytes(set, STATUS_LIST_SIZE, "revocation")]);
  });

  it("a suspension list: two bits per entry, a set entry reads SUSPENDED (0x02), never INVALID", async () => {
    const bytes = statusBytes([3, 5], 16, "suspension");
    expect(bytes.length).toBe(4);
    const read = StatusList.decompressStatusList(await encodeLst(bytes), 2);
    expect([3, 5].map((i) => read.getStatus(i))).toEqual([2, 2]);
    expect([0, 4, 6, 15].map((i) => statusAt(bytes, i, 2))).toEqual([0, 0, 0, 0]);
    expect(() => statusBytes([16], 16, "suspension")).toThrow(RangeError);
  });
});
