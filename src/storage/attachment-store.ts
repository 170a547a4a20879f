/**
 * Attachments in the database (migration 0010), behind the AttachmentStore interface an object store could implement
 * instead. Bytes are kept as base64 text in chunks of {@link CHUNK_BYTES}: a row stays well under D1's limit of about
 * 2 MB, and text binds and reads the same way on every dialect. A put is one atomic write (head and every chunk).
 */
import type { AttachmentStore, StoredAttachment } from "../compliance/submissions.js";
import type { AttachmentType } from "../domain/submission.js";
import { chunks, type StoreDb } from "./atomic.js";

/** 512 KiB of bytes a row: about 700 KB of base64 text, far from D1's ≈ 2 MB row (and value) limit. */
export const CHUNK_BYTES = 512 * 1024;

export class KyselyAttachmentStore implements AttachmentStore {
  constructor(private readonly store: StoreDb) {}

  private get db() {
    return this.store.db;
  }

  async put(a: { id: string; mediaType: AttachmentType; bytes: Uint8Array; createdAt: string }): Promise<void> {
    const parts: string[] = [];
    for (let at = 0; at < a.bytes.length; at += CHUNK_BYTES) parts.push(toBase64(a.bytes.subarray(at, at + CHUNK_BYTES)));
    const head = this.db.insertInto("attachments").values({ id: a.id, media_type: a.mediaType, size: a.bytes.length, chunks: parts.length, created_at: a.createdAt }).compile();
    // One chunk a statement: a statement's bound values stay under the per-row limit too.
    const rows = [...chunks(parts.map((data, seq) => ({ attachment_id: a.id, seq, data })), 1)].map((r) => this.db.insertInto("attachment_chunks").values(r).compile());
    await this.store.atomic([head, ...rows]);
  }

  async get(id: string): Promise<StoredAttachment | undefined> {
    const head = await this.db.selectFrom("attachments").selectAll().where("id", "=", id).executeTakeFirst();
    if (!head) return undefined;
    const bytes = new Uint8Array(Number(head.size));
    let at = 0;
    // Chunk by chunk, so no single result holds the whole file as text.
    for (let seq = 0; seq < Number(head.chunks); seq++) {
      const row = await this.db.selectFrom("attachment_chunks").select("data").where("attachment_id", "=", id).where("seq", "=", seq).executeTakeFirst();
      if (!row) throw new Error(`attachment ${id}: chunk ${seq} is missing`);
      const part = fromBase64(row.data);
      bytes.set(part, at);
      at += part.length;
    }
    if (at !== bytes.length) throw new Error(`attachment ${id}: ${at} bytes stored, ${bytes.length} recorded`);
    return { id: head.id, mediaType: head.media_type as AttachmentType, size: Number(head.size), bytes };
  }

  async delete(id: string): Promise<boolean> {
    const results = await this.store.atomic([
      this.db.deleteFrom("attachment_chunks").where("attachment_id", "=", id).compile(),
      this.db.deleteFrom("attachments").where("id", "=", id).compile(),
    ]);
    return Number(results[1]?.numAffectedRows ?? 0) === 1;
  }
}

function toBase64(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

function fromBase64(text: string): Uint8Array {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
