/**
 * Issue 17: reading the audit log and signing its head. A checkpoint is a compact JWS (EdDSA) by the RBA's own did:web
 * key — the key that signs the trust list — over `{ iss, seq, hash, at }`: whoever holds one can later show that the
 * log up to `seq` is the one that existed then. Made on demand (POST /api/audit/checkpoints) and daily (the runtimes'
 * scheduled work). Format and the offline check: docs/audit.md.
 */
import { CompactSign } from "jose";
import { assertMayCheckpointAudit, assertMayReadAudit, type Principal } from "../domain/authz.js";
import { verifyChain } from "../lib/audit-chain.js";
import { EMPTY_HEAD, type AuditCheckpointClaims, type AuditEntry, type AuditHead } from "../domain/audit.js";
import { decodeCompactJws, isPlainObject, verifyCompactJws, type Signer } from "../credentials/jwt.js";

/** The JWS `typ` of a checkpoint: it is no credential, and no verifier of credentials may take it for one. */
export const AUDIT_CHECKPOINT_TYP = "senim-audit-checkpoint+jwt";
/** A day: the published checkpoint is never older than this while the log grows. */
const CHECKPOINT_EVERY_MS = 86_400_000;
export const AUDIT_PAGE_MAX = 1000;

export interface AuditCheckpoint extends AuditCheckpointClaims {
  jws: string;
}

/** What the audit log needs from storage (src/storage/audit-store.ts). */
export interface AuditStore {
  head(): Promise<AuditHead>;
  list(q: { after: number; limit: number; barId?: string }): Promise<AuditEntry[]>;
  putCheckpoint(c: AuditCheckpoint): Promise<void>;
  latestCheckpoint(): Promise<AuditCheckpoint | undefined>;
}

export async function signCheckpoint(claims: AuditCheckpointClaims, issuer: { did: string; signer: Signer }): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify({ iss: issuer.did, seq: claims.seq, hash: claims.hash, at: claims.at })))
    .setProtectedHeader({ alg: "EdDSA", typ: AUDIT_CHECKPOINT_TYP, kid: issuer.signer.kid })
    .sign(issuer.signer.privateKey);
}

export type CheckpointVerdict = { ok: true; claims: AuditCheckpointClaims & { iss: string }; kid: string } | { ok: false; reason: string };

/**
 * Checks a checkpoint's signature with the key `keyFor` finds for its `kid` (from the RBA's DID document, or the
 * database); the caller compares `claims` with the chain it recomputed.
 */
export async function verifyCheckpoint(jws: string, keyFor: (kid: string) => Promise<CryptoKey | undefined>): Promise<CheckpointVerdict> {
  const decoded = decodeCompactJws(jws);
  if (!decoded || decoded.header.typ !== AUDIT_CHECKPOINT_TYP || typeof decoded.header.kid !== "string") return { ok: false, reason: "not a Senim audit checkpoint" };
  const p = decoded.payload;
  if (!isPlainObject(p) || typeof p.iss !== "string" || !Number.isSafeInteger(p.seq) || typeof p.hash !== "string" || typeof p.at !== "string") return { ok: false, reason: "the checkpoint's claims are malformed" };
  if (!decoded.header.kid.startsWith(`${p.iss}#`)) return { ok: false, reason: `key ${decoded.header.kid} is not a key of ${p.iss}` };
  const key = await keyFor(decoded.header.kid);
  if (!key) return { ok: false, reason: `no public key ${decoded.header.kid}` };
  const signature = await verifyCompactJws(jws, key);
  if (!signature.ok) return { ok: false, reason: `the signature does not verify (${signature.reason})` };
  return { ok: true, kid: decoded.header.kid, claims: { iss: p.iss, seq: p.seq as number, hash: p.hash, at: p.at } };
}

export class AuditService {
  constructor(
    private readonly deps: {
      store: AuditStore;
      /** The RBA's did:web and its key (the trust list's). */
      rba: () => Promise<{ did: string; signer: Signer }>;
      now: () => string;
    },
  ) {}

  /** A page of the log after `after`: every entry for the RBA's admin, its own bar's for a bar's admin. */
  async list(p: Principal, q: { after: number; limit: number }): Promise<{ entries: AuditEntry[]; head: AuditHead }> {
    const scope = assertMayReadAudit(p);
    const limit = Math.min(Math.max(1, Math.trunc(q.limit)), AUDIT_PAGE_MAX);
    const [entries, head] = await Promise.all([this.deps.store.list({ after: Math.max(0, Math.trunc(q.after)), limit, ...scope }), this.deps.store.head()]);
    return { entries, head };
  }

  /** Signs the current head now (RBA's admin only). */
  async checkpoint(p: Principal): Promise<AuditCheckpoint> {
    assertMayCheckpointAudit(p);
    return this.signHead();
  }

  /** The daily checkpoint: signs the head when the last checkpoint is a day old or the log has none yet. */
  async checkpointIfDue(): Promise<AuditCheckpoint | undefined> {
    const latest = await this.deps.store.latestCheckpoint();
    if (latest && Date.parse(this.deps.now()) - Date.parse(latest.at) < CHECKPOINT_EVERY_MS) return undefined;
    const head = await this.deps.store.head();
    if (latest && latest.seq === head.seq) return undefined; // nothing new to pin
    return this.signHead();
  }

  latestCheckpoint(): Promise<AuditCheckpoint | undefined> {
    return this.deps.store.latestCheckpoint();
  }

  private async signHead(): Promise<AuditCheckpoint> {
    const head = await this.deps.store.head();
    const claims = { seq: head.seq, hash: head.hash, at: this.deps.now() };
    const checkpoint = { ...claims, jws: await signCheckpoint(claims, await this.deps.rba()) };
    await this.deps.store.putCheckpoint(checkpoint);
    return (await this.deps.store.latestCheckpoint()) ?? checkpoint;
  }
}

export type LogVerdict =
  | { ok: true; count: number; head: AuditHead; checkpoint: AuditCheckpointClaims | undefined }
  | { ok: false; seq: number | undefined; detail: string };

/**
 * What `npm run audit:verify` checks: the whole chain recomputed from the genesis (a page at a time), then the latest
 * checkpoint — its signature with the RBA's public key, and its head against the recomputed chain (an entry deleted
 * from the end leaves an unbroken but shorter chain, which only the checkpoint shows).
 */
export async function verifyAuditLog(deps: {
  pages: AsyncIterable<AuditEntry[]>;
  latestCheckpoint: () => Promise<AuditCheckpoint | undefined>;
  keyFor: (kid: string) => Promise<CryptoKey | undefined>;
}): Promise<LogVerdict> {
  let head = EMPTY_HEAD;
  let count = 0;
  const hashAt = new Map<number, string>([[0, EMPTY_HEAD.hash]]);
  const checkpoint = await deps.latestCheckpoint();
  for await (const page of deps.pages) {
    const verdict = await verifyChain(page, head);
    if (!verdict.ok) return { ok: false, seq: verdict.seq, detail: verdict.detail };
    head = verdict.head;
    count += verdict.count;
    if (checkpoint) for (const e of page) if (e.seq === checkpoint.seq) hashAt.set(e.seq, e.hash);
  }
  if (!checkpoint) return { ok: true, count, head, checkpoint: undefined };
  const signed = await verifyCheckpoint(checkpoint.jws, deps.keyFor);
  if (!signed.ok) return { ok: false, seq: undefined, detail: `the latest checkpoint does not verify: ${signed.reason}` };
  const claims = signed.claims;
  if (claims.seq > head.seq) return { ok: false, seq: head.seq + 1, detail: `the checkpoint of ${claims.at} signed entry ${claims.seq}, but the log ends at entry ${head.seq}: entries ${head.seq + 1}–${claims.seq} are missing` };
  if (hashAt.get(claims.seq) !== claims.hash) return { ok: false, seq: claims.seq, detail: `entry ${claims.seq}'s hash is not the one the checkpoint of ${claims.at} signed (${claims.hash}): the log was rewritten` };
  return { ok: true, count, head, checkpoint: { seq: claims.seq, hash: claims.hash, at: claims.at } };
}
