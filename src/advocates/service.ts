/**
 * The advocate's own side of Senim (issue 13): sign-in at `/me` with the licence and a one-time code sent to the
 * e-mail on the bar's member record, and the advocate's record of a year.
 *
 * Codes: 6 digits, valid 10 minutes, at most 5 wrong tries. The database holds only the code's HMAC (purpose
 * `advocate-code`, bound to the code's id). The message carrying the code goes through the outbox, written in the
 * same atomic write as the code row; the sender needs the code itself, which the database must not hold, so the code
 * is derived from the row id under a second KEK-derived key (`advocate-code-derive`), as delivery derives survey
 * tokens: a copy of the database alone gives back no code, and a message re-sent after a crash carries the same code.
 *
 * No enumeration: asking for a code answers with a fresh challenge id whether or not the licence exists, has an
 * e-mail, or has asked too often; only a real code row ever matches it.
 *
 * Sessions are the console's idea (random token in an HttpOnly cookie, its SHA-256 stored, CSRF derived from the
 * token) but their own record: an advocate is a member of a bar, not an API principal.
 */
import { keyedError } from "../domain/errors.js";
import { ADVOCATE_DETAIL_TEMPLATES } from "./details.js";
import { kzYearRange } from "../domain/compliance.js";
import type { MessageLang } from "../domain/outbox.js";
import { normaliseLicence } from "../domain/people.js";
import { newId, newToken, sha256Hex } from "../lib/ids.js";
import type { Member, SelfRecordedHours } from "../compliance/model.js";
import type { ComplianceService, MemberReportRow, PolicyView } from "../compliance/service.js";
import { LICENCE_PATTERN } from "../compliance/service.js";
import type { Keyring } from "../registry/keyring.js";
import type { RegistryService } from "../registry/service.js";

export const CODE_TTL_MS = 10 * 60_000;
export const MAX_CODE_ATTEMPTS = 5;
/** Codes a member may ask for within `CODE_WINDOW_MS`: each gives 5 tries, so this bounds guessing to 25 an hour. */
export const MAX_CODES_PER_WINDOW = 5;
export const CODE_WINDOW_MS = 3_600_000;
/** A working day, as the console's. */
export const ADVOCATE_SESSION_TTL_MS = 8 * 3_600_000;
const TOKEN = /^[A-Za-z0-9_-]{20,100}$/;
const CHALLENGE = /^[A-Za-z0-9_-]{20,40}$/;
const CODE = /^[0-9]{6}$/;

export interface NewAdvocateCode {
  id: string;
  barId: string;
  licence: string;
  codeMac: string;
  createdAt: string;
  expiresAt: string;
}

export interface AdvocateSession {
  id: string;
  barId: string;
  licence: string;
  createdAt: string;
  expiresAt: string;
}

export type TryCodeOutcome = { outcome: "right"; barId: string; licence: string } | { outcome: "wrong"; failedAttempts: number };

/** What a member's issued or presented certificate shows on the record. */
export interface RecordCertificate {
  certificateId: string;
  organiser: string;
  topic: string;
  programme: string;
  form: string;
  role: "attendee" | "teacher";
  minutes: number;
  endedAt: string;
  revoked: boolean;
  provenBy: "issued" | "presented";
  /** The participant the certificate was issued to, as the provider listed them: whom "Add to wallet" serves. */
  issuedTo: { barId: string; licence: string };
}

export interface AdvocateStore {
  /** The code row and its outbox message (kind `advocate_code`, same id), in one atomic write. */
  insertCode(code: NewAdvocateCode, mail: { toAddress: string; lang: MessageLang }): Promise<void>;
  /**
   * Counts one more code asked for by the member and says whether it is within `max` for the window that opened
   * after `windowOpenedAfter` (a window opened at or before it has lapsed, and this request opens a new one at `now`).
   * One statement, so concurrent requests are granted exactly `max`.
   */
  takeCodeQuota(barId: string, licence: string, now: string, windowOpenedAfter: string, max: number): Promise<boolean>;
  /**
   * One try of a code: compares, counts a wrong one and checks the limit in a single statement (so a burst of
   * concurrent wrong codes counts exactly `maxAttempts`); `undefined` when the code is unknown, used, expired or spent.
   */
  tryCode(id: string, codeMac: string, now: string, maxAttempts: number): Promise<TryCodeOutcome | undefined>;
  insertSession(s: AdvocateSession): Promise<void>;
  findSession(id: string): Promise<AdvocateSession | undefined>;
  deleteSession(id: string): Promise<void>;
  pruneSessions(at: string): Promise<void>;
  /** Certificates issued here to the licence for events that ended in `year`, and those presented to the bar for it. */
  certificatesOf(barId: string, licence: string, year: number, range: { from: string; to: string }): Promise<RecordCertificate[]>;
}

export interface AdvocateRecord {
  barId: string;
  licence: string;
  fullName: string;
  year: number;
  policy: PolicyView;
  /** The compliance report's row for this member; `undefined` when not yet a member that year. */
  assessment: MemberReportRow | undefined;
  final: boolean;
  certificates: RecordCertificate[];
  selfRecorded: SelfRecordedHours[];
}

export class AdvocateService {
  constructor(
    private readonly deps: {
      store: AdvocateStore;
      registry: RegistryService;
      keyring: Keyring;
      compliance: ComplianceService;
      members: { getMember(barId: string, licence: string): Promise<Member | undefined>; listSelfRecorded(barId: string, year: number): Promise<SelfRecordedHours[]> };
    },
  ) {}

  private now(): string {
    return this.deps.registry.now();
  }

  private at(ms: number): string {
    return new Date(Date.parse(this.now()) + ms).toISOString();
  }

  /** The member's bar and licence as typed, checked for form only (never for existence: see the file comment). */
  private async member(barId: string, licence: string): Promise<{ barId: string; licence: string }> {
    const l = normaliseLicence(licence);
    const bar = await this.deps.registry.bar(barId);
    const problems = [...(!bar || bar.kind !== "territorial" ? ["bar"] : []), ...(!LICENCE_PATTERN.test(l) ? ["licence"] : [])];
    if (problems.length) throw keyedError("invalid_request", ADVOCATE_DETAIL_TEMPLATES, problems.length === 2 ? "advocate-sign-in-bar-licence" : problems[0] === "bar" ? "advocate-sign-in-bar" : "advocate-sign-in-licence", undefined, { extra: { fields: problems } });
    return { barId, licence: l };
  }

  /**
   * Asks for a sign-in code. Always answers with a challenge id to send back with the code; a code is queued only
   * for a member of the bar with an e-mail who has not asked too often.
   */
  async requestCode(barId: string, licence: string, lang: MessageLang): Promise<{ challenge: string }> {
    const m = await this.member(barId, licence);
    const id = newId(24);
    const member = await this.deps.members.getMember(m.barId, m.licence);
    if (!member?.email) return { challenge: id };
    if (!(await this.deps.store.takeCodeQuota(m.barId, m.licence, this.now(), this.at(-CODE_WINDOW_MS), MAX_CODES_PER_WINDOW))) return { challenge: id };
    const code = await this.codeFor(id);
    const createdAt = this.now();
    await this.deps.store.insertCode(
      { id, barId: m.barId, licence: m.licence, codeMac: await this.codeMac(id, code), createdAt, expiresAt: this.at(CODE_TTL_MS) },
      { toAddress: member.email, lang },
    );
    return { challenge: id };
  }

  /** The code of a code row (for its message): six digits from the row id's HMAC under the derivation key. */
  async codeFor(id: string): Promise<string> {
    const mac = await this.deps.keyring.mac("advocate-code-derive", id);
    const bytes = atob(mac.slice(0, 8).replace(/-/g, "+").replace(/_/g, "/"));
    let n = 0;
    for (let i = 0; i < bytes.length; i++) n = n * 256 + bytes.charCodeAt(i);
    // 48 bits reduced mod 10^6: the bias is below 10^-8.
    return String(n % 1_000_000).padStart(6, "0");
  }

  private codeMac(id: string, code: string): Promise<string> {
    return this.deps.keyring.mac("advocate-code", `${id}.${code}`);
  }

  /** A correct code opens a session; `undefined` for anything else (wrong, unknown, expired, used, out of tries). */
  async signIn(challenge: string, code: string): Promise<{ token: string; session: AdvocateSession } | undefined> {
    const c = code.replace(/\s/g, "");
    if (!CHALLENGE.test(challenge) || !CODE.test(c)) return undefined;
    const now = this.now();
    const r = await this.deps.store.tryCode(challenge, await this.codeMac(challenge, c), now, MAX_CODE_ATTEMPTS);
    if (r?.outcome !== "right") return undefined;
    await this.deps.store.pruneSessions(now);
    const token = newToken();
    const session: AdvocateSession = { id: await sha256Hex(token), barId: r.barId, licence: r.licence, createdAt: now, expiresAt: this.at(ADVOCATE_SESSION_TTL_MS) };
    await this.deps.store.insertSession(session);
    return { token, session };
  }

  async session(token: string | undefined): Promise<AdvocateSession | undefined> {
    if (!token || !TOKEN.test(token)) return undefined;
    const s = await this.deps.store.findSession(await sha256Hex(token));
    if (!s || Date.parse(s.expiresAt) <= Date.parse(this.now())) return undefined;
    // A member the bar has removed from its list is signed out at once, as a console session ends with its key.
    return (await this.deps.members.getMember(s.barId, s.licence)) ? s : undefined;
  }

  async signOut(token: string | undefined): Promise<void> {
    if (token && TOKEN.test(token)) await this.deps.store.deleteSession(await sha256Hex(token));
  }

  /** The CSRF token of the session's forms: only the holder of the HttpOnly cookie can compute it. */
  csrfToken(token: string): Promise<string> {
    return sha256Hex(`senim-me-csrf:${token}`);
  }

  /** The signed-in member's year: the compliance report's assessment of them, and what it was made of. */
  async record(s: Pick<AdvocateSession, "barId" | "licence">, year: number): Promise<AdvocateRecord> {
    if (!Number.isInteger(year) || year < 2000 || year > 2100) throw keyedError("invalid_request", ADVOCATE_DETAIL_TEMPLATES, "advocate-year-out-of-range");
    // The report's own assessment, so the record and the bar's report never disagree (it reads the whole bar; one
    // member's query would be cheaper, and is the next step if bars grow past a few thousand members).
    const [report, member, certificates, self] = await Promise.all([
      this.deps.compliance.buildReport(s.barId, year),
      this.deps.members.getMember(s.barId, s.licence),
      this.deps.store.certificatesOf(s.barId, s.licence, year, kzYearRange(year)),
      this.deps.members.listSelfRecorded(s.barId, year),
    ]);
    return {
      barId: s.barId,
      licence: s.licence,
      fullName: member?.fullName ?? "",
      year,
      policy: report.policy,
      assessment: report.members.find((m) => m.licence === s.licence),
      final: report.final,
      certificates,
      selfRecorded: self.filter((r) => r.licence === s.licence),
    };
  }
}
