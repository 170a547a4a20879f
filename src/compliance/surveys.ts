/**
 * 7.5: after the event every participant may rate its quality, effectiveness and usefulness; the results go to the
 * provider and to the bar that accredited it. One answer per certificate, and no answer can be tied to its
 * participant, not even in the database: the "already answered" marker is a MAC of the certificate's id in one table,
 * the answer sits in another with no shared key, a random id and no time (the year of a result is its event's).
 *
 * Who may answer: whoever holds the participant's survey token, a random secret made for that certificate and handed
 * only to the participant (the provider delivers it from the issuing response or the console; it is printed on the
 * participant's PDF). It cannot be derived from the certificate id, which is public (QR code, certificate page). The
 * database keeps only its HMAC under a KEK-derived key (`survey_links`).
 */
import { surveyReadScope, type Principal } from "../domain/authz.js";
import { keyedError } from "../domain/errors.js";
import { fieldProblem } from "../domain/field-problems.js";
import { base64url, sha256Hex } from "../lib/ids.js";
import type { IssuanceService } from "../issuance/service.js";
import type { Keyring } from "../registry/keyring.js";
import type { RegistryService } from "../registry/service.js";

export interface SurveyAnswer {
  quality: number;
  effectiveness: number;
  usefulness: number;
  comment?: string | null;
}

export interface StoredSurveyResponse {
  id: number;
  eventId: string;
  partyId: string;
  barId: string;
  quality: number;
  effectiveness: number;
  usefulness: number;
  comment: string | null;
}

export interface SurveyEventAggregate {
  eventId: string;
  topic: string;
  partyId: string;
  partyName: string;
  barId: string;
  responses: number;
  sums: { quality: number; effectiveness: number; usefulness: number };
  comments: string[];
}

export interface SurveyStore {
  /**
   * Spends the token and stores the response as one unit (both rows or neither): `already-answered` when the token
   * was spent before (by this or a concurrent answer), `id-taken` when the random id is (the caller draws another).
   */
  answer(tokenHash: string, r: StoredSurveyResponse): Promise<"recorded" | "already-answered" | "id-taken">;
  isSpent(tokenHash: string): Promise<boolean>;
  /**
   * Stores survey links (token MACs) in one unit: `first` only for certificates without one (the first issuing
   * response wins, a retry gets none), `replace` over any earlier link. Returns the certificate ids written.
   */
  putLinks(links: { certificateId: string; tokenMac: string }[], mode: "first" | "replace"): Promise<Set<string>>;
  /** The certificate whose current survey link has this token MAC. */
  certificateOfLink(tokenMac: string): Promise<string | undefined>;
  aggregate(filter: { partyId?: string; barId?: string; year?: number }): Promise<SurveyEventAggregate[]>;
}

/** 128 random bits: not guessable, and short enough to print and type. */
/**
 * The refusals of survey answers (7.5), in English with `{name}` values; `{rating}` is a text of its own
 * (`survey-rating-…`, the rated aspect). kk and ru: the catalogues' problemDetails.
 */
export const SURVEY_DETAIL_TEMPLATES = {
  "survey-link-unknown": "No survey has this link: use the link your provider gave you (it is printed on your certificate's PDF).",
  "survey-certificate-revoked": "This certificate was revoked; its survey is closed.",
  "survey-rating-invalid": "{rating} must be a whole number from 1 to 5.",
  "survey-rating-quality": "quality",
  "survey-rating-effectiveness": "effectiveness",
  "survey-rating-usefulness": "usefulness",
  "survey-already-answered": "The survey for this certificate has already been answered (one per certificate, 7.5).",
  "survey-answer-not-stored": "Could not store the answer.",
} as const;

const SURVEY_TOKEN_BYTES = 16;
const SURVEY_TOKEN = /^[A-Za-z0-9_-]{22}$/;

export interface SurveyLink {
  token: string;
  /** The survey page, for the participant only. */
  survey: string;
  /** The participant's PDF, with the survey link printed on it. */
  pdf: string;
}

export interface ParticipantSurveyLink {
  certificateId: string;
  participantId: string;
  licenceNumber: string;
  fullName: string;
  /** `answered` and `revoked` get no link. */
  state: "open" | "answered" | "revoked";
  survey: string | null;
  pdf: string | null;
}

/** Below this many answers an event's averages and comments stay hidden, so a few answers cannot be told apart. */
export const MIN_RESPONSES_SHOWN = 3;

const average = (sum: number, n: number) => (n === 0 ? null : Math.round((sum / n) * 100) / 100);

export interface RatingSummary {
  responses: number;
  quality: number | null;
  effectiveness: number | null;
  usefulness: number | null;
}

export function summariseRatings(list: { responses: number; sums: SurveyEventAggregate["sums"] }[]): RatingSummary {
  const n = list.reduce((a, e) => a + e.responses, 0);
  const sum = (k: keyof SurveyEventAggregate["sums"]) => list.reduce((a, e) => a + e.sums[k], 0);
  return { responses: n, quality: average(sum("quality"), n), effectiveness: average(sum("effectiveness"), n), usefulness: average(sum("usefulness"), n) };
}

export interface SurveyResults {
  scope: { partyId?: string; barId?: string };
  overall: RatingSummary;
  byProvider: (RatingSummary & { partyId: string; partyName: string })[];
  byEvent: (RatingSummary & { eventId: string; topic: string; partyId: string; comments: string[] | null })[];
  minResponsesShown: number;
}

export class SurveyService {
  constructor(private readonly deps: { store: SurveyStore; registry: RegistryService; issuance: IssuanceService; keyring: Pick<Keyring, "mac"> }) {}

  /** The participant's survey page: the token is the whole secret, so the URL names no certificate. */
  surveyUrl(token: string): string {
    return `${this.deps.registry.publicUrl}/survey/${token}`;
  }

  /** The participant's printable certificate, with the survey link printed on it (GET /c/{id}.pdf without it has none). */
  participantPdfUrl(certificateId: string, token: string): string {
    return `${this.deps.registry.publicUrl}/c/${certificateId}.pdf?survey=${token}`;
  }

  /** Before migration 0008 the token was the certificate id and the marker its bare hash; those answers still count. */
  private legacySpentMarker(certificateId: string): Promise<string> {
    return sha256Hex(`senim-survey-v1:${certificateId}`);
  }

  /** One marker per certificate, whatever link was used: a new link never buys a second answer. */
  private spentMarker(certificateId: string): Promise<string> {
    return this.deps.keyring.mac("survey-spent", certificateId);
  }

  async isAnswered(certificateId: string): Promise<boolean> {
    const [now, before] = await Promise.all([this.spentMarker(certificateId), this.legacySpentMarker(certificateId)]);
    return (await this.deps.store.isSpent(now)) || (await this.deps.store.isSpent(before));
  }

  /** The certificate a survey token opens, or `undefined` for a token that is malformed, unknown or replaced. */
  async certificateForToken(token: string): Promise<string | undefined> {
    if (!SURVEY_TOKEN.test(token)) return undefined;
    return this.deps.store.certificateOfLink(await this.deps.keyring.mac("survey-token", token));
  }

  /**
   * Survey links for the certificates of an issuing response that have none yet: the response that first lists a
   * certificate carries its link, later ones (retries, re-issuing) do not, so a link delivered stays valid.
   */
  async firstLinks(principal: Principal, outcome: { eventId: string; certificates: { id: string }[] }): Promise<Map<string, SurveyLink>> {
    await this.deps.issuance.listParticipants(principal, outcome.eventId); // the event is the caller's (or not_found)
    const own = new Set((await this.deps.issuance.certificatesOf(outcome.eventId)).filter((c) => !c.revokedAt).map((c) => c.id));
    return this.makeLinks(outcome.certificates.map((c) => c.id).filter((id) => own.has(id)), "first");
  }

  /**
   * 7.5, for delivery: a fresh link for every participant of the event whose certificate is neither revoked nor
   * answered. Each replaces the participant's earlier link (a lost or leaked one stops working); the answer already
   * given, if any, still counts once.
   */
  async renewLinks(principal: Principal, eventId: string): Promise<ParticipantSurveyLink[]> {
    const participants = await this.deps.issuance.listParticipants(principal, eventId); // the caller's event, or not_found
    const certificates = await this.deps.issuance.certificatesOf(eventId);
    const byId = new Map(certificates.map((c) => [c.id, c]));
    const rows: ParticipantSurveyLink[] = [];
    for (const p of participants) {
      const cert = p.certificateId ? byId.get(p.certificateId) : undefined;
      if (!cert) continue;
      const state = cert.revokedAt ? "revoked" : (await this.isAnswered(cert.id)) ? "answered" : "open";
      rows.push({ certificateId: cert.id, participantId: p.id, licenceNumber: p.licenceNumber, fullName: p.fullName, state, survey: null, pdf: null });
    }
    const links = await this.makeLinks(rows.filter((r) => r.state === "open").map((r) => r.certificateId), "replace");
    return rows.map((r) => ({ ...r, survey: links.get(r.certificateId)?.survey ?? null, pdf: links.get(r.certificateId)?.pdf ?? null }));
  }

  private async makeLinks(certificateIds: string[], mode: "first" | "replace"): Promise<Map<string, SurveyLink>> {
    const drawn = await Promise.all(
      certificateIds.map(async (certificateId) => {
        const token = base64url(crypto.getRandomValues(new Uint8Array(SURVEY_TOKEN_BYTES)));
        return { certificateId, token, tokenMac: await this.deps.keyring.mac("survey-token", token) };
      }),
    );
    const written = await this.deps.store.putLinks(drawn.map(({ certificateId, tokenMac }) => ({ certificateId, tokenMac })), mode);
    const links = new Map<string, SurveyLink>();
    for (const d of drawn) {
      if (written.has(d.certificateId)) links.set(d.certificateId, { token: d.token, survey: this.surveyUrl(d.token), pdf: this.participantPdfUrl(d.certificateId, d.token) });
    }
    return links;
  }

  /** Answers the survey the token opens, once per certificate (7.5). */
  async answer(token: string, a: SurveyAnswer): Promise<void> {
    const certificateId = await this.certificateForToken(token);
    if (!certificateId) throw keyedError("not_found", SURVEY_DETAIL_TEMPLATES, "survey-link-unknown");
    const cert = await this.deps.issuance.requireCertificate(certificateId);
    if (cert.revokedAt) throw keyedError("rule_violated", SURVEY_DETAIL_TEMPLATES, "survey-certificate-revoked");
    for (const k of ["quality", "effectiveness", "usefulness"] as const) {
      if (!Number.isInteger(a[k]) || a[k] < 1 || a[k] > 5) throw keyedError("invalid_request", SURVEY_DETAIL_TEMPLATES, "survey-rating-invalid", undefined, { parts: { rating: `survey-rating-${k}` }, problems: [fieldProblem(k, "rating-out-of-range", { min: 1, max: 5 })] });
    }
    const comment = a.comment?.trim().slice(0, 2000) || null;
    const accreditation = await this.deps.registry.requireAccreditation(cert.accreditationId);
    // Legacy markers are never written again, so reading one first leaves no race.
    if (await this.deps.store.isSpent(await this.legacySpentMarker(cert.id))) {
      throw keyedError("survey_already_answered", SURVEY_DETAIL_TEMPLATES, "survey-already-answered");
    }
    const tokenHash = await this.spentMarker(cert.id);
    // The spent token and the answer are written together: never two answers for one certificate, and never a spent
    // token without its answer.
    for (let attempt = 0; attempt < 10; attempt++) {
      const id = crypto.getRandomValues(new Uint32Array(1))[0]! & 0x7fffffff || 1;
      const outcome = await this.deps.store.answer(tokenHash, {
        id, eventId: cert.eventId, partyId: cert.partyId, barId: accreditation.barId,
        quality: a.quality, effectiveness: a.effectiveness, usefulness: a.usefulness, comment,
      });
      if (outcome === "recorded") return;
      if (outcome === "already-answered") {
        throw keyedError("survey_already_answered", SURVEY_DETAIL_TEMPLATES, "survey-already-answered");
      }
    }
    throw keyedError("internal", SURVEY_DETAIL_TEMPLATES, "survey-answer-not-stored");
  }

  /** 7.5: a provider sees its own events; a bar those of the providers it accredited; the RBA all. */
  async results(p: Principal, scope: { partyId?: string; barId?: string }): Promise<SurveyResults> {
    return this.resultsFor(surveyReadScope(p, scope)); // who reads which scope: domain/authz.ts
  }

  async resultsFor(filter: { partyId?: string; barId?: string; year?: number }): Promise<SurveyResults> {
    const events = await this.deps.store.aggregate(filter);
    const providers = new Map<string, { partyId: string; partyName: string; list: SurveyEventAggregate[] }>();
    for (const e of events) {
      const entry = providers.get(e.partyId) ?? { partyId: e.partyId, partyName: e.partyName, list: [] };
      entry.list.push(e);
      providers.set(e.partyId, entry);
    }
    // Averages over fewer than MIN_RESPONSES_SHOWN answers would show single answers: only the count is given.
    const shown = (r: RatingSummary): RatingSummary => (r.responses >= MIN_RESPONSES_SHOWN ? r : { responses: r.responses, quality: null, effectiveness: null, usefulness: null });
    return {
      scope: { partyId: filter.partyId, barId: filter.barId },
      overall: shown(summariseRatings(events)),
      byProvider: [...providers.values()].map((v) => ({ partyId: v.partyId, partyName: v.partyName, ...shown(summariseRatings(v.list)) })),
      byEvent: events.map((e) => ({
        eventId: e.eventId, topic: e.topic, partyId: e.partyId, ...shown(summariseRatings([e])),
        comments: e.responses >= MIN_RESPONSES_SHOWN ? e.comments : null,
      })),
      minResponsesShown: MIN_RESPONSES_SHOWN,
    };
  }
}
