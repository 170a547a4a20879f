/**
 * The bar's signed annual attestation (12.1, 12.2): once a year is closed, the bar issues to each member the frozen
 * report counts as `met` one credential, signed with the bar's own did:web key (the key of its OpenID4VP verifier:
 * one key per bar), stating the bar, the member (the licence as a salted hash, as on certificates), the year, and the
 * required and verified academic hours exactly as frozen. Issuing is idempotent: one attestation per member for the
 * year's closing (a unique index), so issuing again, or concurrently, adds only what is missing. An attestation
 * stands while the closing it states stands and the bar has not revoked it; /api/verify checks both.
 */
import { assertMayCloseYear, describePrincipal, type Principal } from "../domain/authz.js";
import { RBA_ID } from "../domain/catalog.js";
import { keyedError } from "../domain/errors.js";
import { fieldProblem } from "../domain/field-problems.js";
import type { AuditedWrite } from "../domain/audit.js";
import { audited } from "../lib/audit-chain.js";
import { normaliseLicence } from "../domain/people.js";
import { newId } from "../lib/ids.js";
import { buildAttestationCredential } from "../credentials/attestation.js";
import { decodeCompactJws, signVcJwt, type Signer } from "../credentials/jwt.js";
import type { AttestationRecord } from "../credentials/verify.js";
import type { Bar } from "../registry/model.js";
import type { ClosingStore } from "./closing.js";
import type { ComplianceReport } from "./service.js";
import { ATTESTATION_DETAIL_TEMPLATES, CLOSING_DETAIL_TEMPLATES, COMPLIANCE_DETAIL_TEMPLATES } from "./details.js";

export interface Attestation {
  id: string;
  barId: string;
  licence: string;
  year: number;
  closingId: string;
  /** The vc+jwt exactly as signed. */
  jwt: string;
  issuedAt: string;
  revokedAt: string | null;
  reason: string | null;
}

export interface AttestationStore {
  /** Inserts those not yet issued for their (closing, licence); the others are left as they are. */
  insertMissing(attestations: Attestation[], audit?: AuditedWrite): Promise<void>;
  byId(id: string): Promise<Attestation | undefined>;
  forClosing(closingId: string): Promise<Attestation[]>;
  forLicence(licence: string): Promise<Attestation[]>;
  /** Marks it revoked in the one statement that finds it not revoked; `false` when it was revoked already or absent. */
  revoke(id: string, at: string, reason: string, audit?: AuditedWrite): Promise<boolean>;
}

/** What the API answers for one attestation. */
export interface AttestationView {
  id: string;
  barId: string;
  licence: string;
  year: number;
  closingId: string;
  url: string;
  jwtUrl: string;
  qrUrl: string;
  issuedAt: string;
  revokedAt: string | null;
  reason: string | null;
}

export interface IssuedAttestations {
  barId: string;
  year: number;
  closingId: string;
  /** How many this call issued (0 when every member `met` holds one already). */
  issued: number;
  attestations: AttestationView[];
}

export const ATTESTATION_REASON_MAX = 2000;

export class AttestationService {
  constructor(
    private readonly deps: {
      store: AttestationStore;
      closings: Pick<ClosingStore, "openClosing" | "closings" | "snapshotOf">;
      registry: { now(): string; publicUrl: string; bar(id: string): Promise<Bar | undefined>; barUrl(id: string): string };
      /** The bar's did:web and its signer: the key of the bar's OpenID4VP verifier. */
      bars: { barDid(barId: string): string; barSigner(barId: string): Promise<Signer> };
    },
  ) {}

  url(id: string): string {
    return `${this.deps.registry.publicUrl}/a/${id}`;
  }

  private view(a: Attestation): AttestationView {
    const url = this.url(a.id);
    return { id: a.id, barId: a.barId, licence: a.licence, year: a.year, closingId: a.closingId, url, jwtUrl: `${url}.jwt`, qrUrl: `${url}/qr.svg`, issuedAt: a.issuedAt, revokedAt: a.revokedAt, reason: a.reason };
  }

  /**
   * 12.1, 12.2: issues the year's attestations, one to each member `met` in the closed report (the snapshot), signed
   * with the bar's key. Refused (409) while the year is not closed; the bar's own admin or the RBA's only.
   */
  async issue(p: Principal, barId: string, year: number): Promise<IssuedAttestations> {
    assertMayCloseYear(p, barId);
    const bar = await this.deps.registry.bar(barId);
    if (!bar || bar.id === RBA_ID) throw keyedError("not_found", COMPLIANCE_DETAIL_TEMPLATES, "compliance-bar-unknown", { id: JSON.stringify(barId) });
    const closing = await this.deps.closings.openClosing(barId, year);
    if (!closing) throw keyedError("conflict", ATTESTATION_DETAIL_TEMPLATES, "attestation-year-open", { year, bar: barId });
    const text = await this.deps.closings.snapshotOf(closing.id);
    if (text === undefined) throw keyedError("internal", CLOSING_DETAIL_TEMPLATES, "closing-snapshot-missing", { id: closing.id });
    const snapshot = JSON.parse(text) as ComplianceReport;
    const have = new Set((await this.deps.store.forClosing(closing.id)).map((a) => a.licence));
    const due = snapshot.members.filter((m) => m.status === "met" && m.requiredHours !== null && !have.has(m.licence));
    const now = this.deps.registry.now();
    const signer = due.length > 0 ? await this.deps.bars.barSigner(barId) : undefined;
    const did = this.deps.bars.barDid(barId);
    const fresh: Attestation[] = [];
    for (const m of due) {
      const id = newId(20);
      const credential = await buildAttestationCredential({
        url: this.url(id),
        issuedAt: now,
        bar: { did, name: bar.names.en, url: this.deps.registry.barUrl(barId) },
        member: { fullName: m.fullName, licence: m.licence },
        licenceSalt: newId(16),
        year,
        requiredHours: m.requiredHours!,
        verifiedHours: m.verifiedHours,
        closing: { closedOn: closing.closedOn, digest: closing.digest },
      });
      fresh.push({ id, barId, licence: m.licence, year, closingId: closing.id, jwt: await signVcJwt(credential, signer!), issuedAt: now, revokedAt: null, reason: null });
    }
    if (fresh.length > 0) {
      // One entry per issuing call: the closing, and the digest of the sorted ids of what this call issued.
      const attestationIds = fresh.map((a) => a.id).sort();
      const audit = await audited({ at: now, principal: p, action: "attestations.issued", barId, subjects: [closing.id], content: { closingId: closing.id, attestationIds } });
      await this.deps.store.insertMissing(fresh, audit);
    }
    const all = await this.deps.store.forClosing(closing.id);
    const mine = new Set(fresh.map((a) => a.id));
    return { barId, year, closingId: closing.id, issued: all.filter((a) => mine.has(a.id)).length, attestations: all.map((a) => this.view(a)) };
  }

  /** Revokes an attestation (the bar's own admin or the RBA's), with a reason that stays on record. */
  async revoke(p: Principal, id: string, input: { reason: string }): Promise<AttestationView> {
    const a = await this.deps.store.byId(id);
    if (!a) throw keyedError("not_found", ATTESTATION_DETAIL_TEMPLATES, "attestation-unknown");
    assertMayCloseYear(p, a.barId);
    const reason = (input.reason ?? "").trim();
    if (reason.length < 1 || reason.length > ATTESTATION_REASON_MAX) {
      throw keyedError("invalid_request", ATTESTATION_DETAIL_TEMPLATES, "attestation-reason-invalid", { max: ATTESTATION_REASON_MAX }, { problems: [fieldProblem("reason", "reason-invalid", { max: ATTESTATION_REASON_MAX })] });
    }
    if (a.revokedAt) throw keyedError("conflict", ATTESTATION_DETAIL_TEMPLATES, "attestation-already-revoked");
    const at = this.deps.registry.now();
    const audit = await audited({ at, principal: p, action: "attestation.revoked", barId: a.barId, subjects: [a.id], content: { attestationId: a.id, reason, revokedAt: at }, onceKey: `attestation.revoked:${a.id}` });
    if (!(await this.deps.store.revoke(id, at, `${reason} (${describePrincipal(p)})`, audit))) throw keyedError("conflict", ATTESTATION_DETAIL_TEMPLATES, "attestation-already-revoked");
    return this.view((await this.deps.store.byId(id))!);
  }

  /** The attestation as stored (public: its QR code leads to its page), or `undefined`. */
  async get(id: string): Promise<Attestation | undefined> {
    if (!/^[0-9a-z]{20}$/.test(id)) return undefined;
    return this.deps.store.byId(id);
  }

  /**
   * The attestations of the year's open closing, for the bar's console beside the issuing button (12.1, 12.2); none
   * while the year is not closed. The same roles as issuing: the bar's own admin and the RBA's.
   */
  async ofClosedYear(p: Principal, barId: string, year: number): Promise<AttestationView[]> {
    assertMayCloseYear(p, barId);
    const closing = await this.deps.closings.openClosing(barId, year);
    return closing ? (await this.deps.store.forClosing(closing.id)).map((a) => this.view(a)) : [];
  }

  /**
   * The member's own attestations from their bar (their record, /me), newest year first, with the hours they state
   * and whether the closing they state still stands (12.2: a reopened year withdraws them).
   */
  async ofMember(barId: string, licence: string): Promise<(AttestationView & { requiredHours: number; verifiedHours: number; closingStands: boolean })[]> {
    const mine = (await this.deps.store.forLicence(normaliseLicence(licence))).filter((a) => a.barId === barId);
    const open = new Map<number, string | undefined>();
    for (const year of new Set(mine.map((a) => a.year))) open.set(year, (await this.deps.closings.openClosing(barId, year))?.id);
    return mine.map((a) => {
      const subject = (decodeCompactJws(a.jwt)?.payload as { credentialSubject?: { requiredHours?: unknown; verifiedHours?: unknown } } | undefined)?.credentialSubject;
      return { ...this.view(a), requiredHours: Number(subject?.requiredHours ?? 0), verifiedHours: Number(subject?.verifiedHours ?? 0), closingStands: open.get(a.year) === a.closingId };
    });
  }

  /** The attestation as stored, with whether the closing it states is still the year's open one (the wallet's offer). */
  async standing(id: string): Promise<(Attestation & { closingStands: boolean }) | undefined> {
    const a = await this.get(id);
    if (!a) return undefined;
    const open = await this.deps.closings.openClosing(a.barId, a.year);
    return { ...a, closingStands: open?.id === a.closingId };
  }

  /** For the verification pipeline: the record, whether its closing still stands, whether it is revoked. */
  async record(id: string): Promise<AttestationRecord | undefined> {
    const a = await this.standing(id);
    if (!a) return undefined;
    const decoded = decodeCompactJws(a.jwt);
    if (!decoded || typeof decoded.payload !== "object" || decoded.payload === null) return undefined;
    return { jwt: a.jwt, credential: decoded.payload as Record<string, unknown>, closingStands: a.closingStands, revoked: a.revokedAt !== null };
  }
}
