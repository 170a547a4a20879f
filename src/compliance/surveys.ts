/**
 * 7.5: after the event every participant may rate its quality, effectiveness and usefulness; the results go to the
 * provider and to the bar that accredited it. One answer per certificate, and no answer can be tied to its
 * participant, not even in the database: the "already answered" marker is a hash of the certificate's survey token
 * in one table, the answer sits in another with no shared key, a random id and no time (the year of a result is its
 * event's).
 */
import { assertIsProvider, type Principal } from "../domain/authz.js";
import { RBA_ID } from "../domain/catalog.js";
import { SenimError } from "../domain/errors.js";
import { sha256Hex } from "../lib/ids.js";
import type { IssuanceService } from "../issuance/service.js";
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
  aggregate(filter: { partyId?: string; barId?: string; year?: number }): Promise<SurveyEventAggregate[]>;
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
  constructor(private readonly deps: { store: SurveyStore; registry: RegistryService; issuance: IssuanceService }) {}

  surveyUrl(certificateId: string): string {
    return `${this.deps.registry.publicUrl}/c/${certificateId}/survey`;
  }

  /** The one-time token is the certificate's own id (its holder has it); only a domain-separated hash is stored. */
  private tokenHash(certificateId: string): Promise<string> {
    return sha256Hex(`senim-survey-v1:${certificateId}`);
  }

  async isAnswered(certificateId: string): Promise<boolean> {
    return this.deps.store.isSpent(await this.tokenHash(certificateId));
  }

  async answer(certificateId: string, a: SurveyAnswer): Promise<void> {
    const cert = await this.deps.issuance.requireCertificate(certificateId);
    if (cert.revokedAt) throw new SenimError("rule_violated", "This certificate was revoked; its survey is closed.");
    for (const k of ["quality", "effectiveness", "usefulness"] as const) {
      if (!Number.isInteger(a[k]) || a[k] < 1 || a[k] > 5) throw new SenimError("invalid_request", `${k} must be a whole number from 1 to 5.`, { problems: [{ path: k, message: "1–5" }] });
    }
    const comment = a.comment?.trim().slice(0, 2000) || null;
    const accreditation = await this.deps.registry.requireAccreditation(cert.accreditationId);
    const tokenHash = await this.tokenHash(cert.id);
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
        throw new SenimError("survey_already_answered", "The survey for this certificate has already been answered (one per certificate, 7.5).");
      }
    }
    throw new SenimError("internal", "Could not store the answer.");
  }

  /** 7.5: a provider sees its own events; a bar those of the providers it accredited; the RBA all. */
  async results(p: Principal, scope: { partyId?: string; barId?: string }): Promise<SurveyResults> {
    if (scope.partyId !== undefined) {
      if (p.role === "provider") assertIsProvider(p, scope.partyId);
      else if (p.role !== "rba-admin") throw new SenimError("forbidden", "Your API key may not read this provider's surveys; read your bar's instead.");
    } else if (scope.barId !== undefined) {
      if (!(p.role === "rba-admin" || (p.role === "bar-admin" && p.barId === scope.barId))) throw new SenimError("forbidden", `Your API key may not read the surveys of bar ${scope.barId}.`);
    } else if (p.role !== "rba-admin") throw new SenimError("forbidden", "Only the RBA reads every survey.");
    const filter = scope.barId === RBA_ID ? {} : scope;
    return this.resultsFor(filter);
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
