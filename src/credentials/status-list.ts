/**
 * W3C Bitstring Status List v1.0: a list is a bitstring of at least 131,072 entries (16 KB), GZIP-compressed and
 * multibase base64url-encoded (prefix `u`); bit 0 is the most significant bit of the first byte.
 */
import { base64url, fromBase64url } from "../lib/ids.js";

/** The spec's minimum, and ours: 2^17 entries, so a list hides any one certificate among 131,072. */
export const STATUS_LIST_BITS = 17;
export const STATUS_LIST_SIZE = 1 << STATUS_LIST_BITS;

/**
 * Entries are handed out by a counter (0, 1, 2, … never reused), but the index written into a credential is a
 * bijection of it, so neighbouring certificates do not sit on neighbouring bits (the spec's herd-privacy advice) and
 * two counters can never map to the same index. Multiplying by an odd number modulo 2^k and XOR-ing a constant are
 * both bijections on [0, 2^k).
 */
export function statusIndexForCounter(counter: number): number {
  if (!Number.isInteger(counter) || counter < 0 || counter >= STATUS_LIST_SIZE) throw new RangeError("counter out of range");
  const mask = STATUS_LIST_SIZE - 1;
  return (Math.imul(counter, 0x9e37) & mask) ^ 0x0b5a3;
}

export async function encodeStatusList(setIndexes: Iterable<number>, size = STATUS_LIST_SIZE): Promise<string> {
  const bits = new Uint8Array(size / 8);
  for (const i of setIndexes) {
    if (i < 0 || i >= size) throw new RangeError(`status index ${i} outside the list`);
    bits[i >> 3]! |= 0x80 >> (i & 7);
  }
  return "u" + base64url(await gzip(bits));
}

/** Upper bound on a decoded list we accept from anywhere: 16 million entries (2 MB). */
export const MAX_STATUS_LIST_BYTES = 2 * 1024 * 1024;

export async function decodeStatusList(encodedList: string): Promise<Uint8Array> {
  if (!encodedList.startsWith("u")) throw new TypeError("encodedList must be multibase base64url (prefix u)");
  return gunzip(fromBase64url(encodedList.slice(1)), MAX_STATUS_LIST_BYTES);
}

export function bitAt(bits: Uint8Array, index: number): boolean {
  const byte = bits[index >> 3];
  if (byte === undefined) throw new RangeError(`status index ${index} outside the list`);
  return (byte & (0x80 >> (index & 7))) !== 0;
}

async function gzip(data: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const stream = new Blob([data]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Decompresses, refusing to inflate past `limit` bytes (a GZIP bomb stops here, not in memory). */
async function gunzip(data: Uint8Array<ArrayBuffer>, limit: number): Promise<Uint8Array> {
  const reader = new Blob([data]).stream().pipeThrough(new DecompressionStream("gzip")).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel();
      throw new RangeError("status list too large");
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

/**
 * A list of this service is one resource served in two securing forms at `{publicUrl}/status/{id}`: content
 * negotiation picks one, and `?format=di` names the Data Integrity form outright. Data Integrity credentials point
 * their entries at that URL, so a JSON-LD client that dereferences it gets the form it can read whatever it sends.
 */
export const DATA_INTEGRITY_FORM_QUERY = "?format=di";

/** The list URL a status entry names, without the form it asks for (the list is the same in both). */
export function statusListUrlOf(publicUrl: string, url: string): string {
  return url.startsWith(`${publicUrl}/status/`) && url.endsWith(DATA_INTEGRITY_FORM_QUERY) ? url.slice(0, -DATA_INTEGRITY_FORM_QUERY.length) : url;
}
