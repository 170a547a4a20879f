/**
 * Events, participant lists and certificates (5.1, 7.5, 10.6, 12.3), and the status lists that revoke them.
 */
import { assertIsProvider, assertMayAnswerCoOrganisation, assertMayReadBarReports, assertMayRevoke, describePrincipal, lateEventScope, type Principal } from "../domain/authz.js";
import type { DeliveryMode, Form, ParticipantRole, Programme } from "../domain/catalog.js";
import { SenimError, type FieldProblem } from "../domain/errors.js";
import { fieldProblem } from "../domain/field-problems.js";
import { audited } from "../lib/audit-chain.js";
import {
  accreditingBars,
  assertCoOrganisationConfirmed,
  assertCoOrganisationPending,
  assertEventTimes,
  assertOrganiserMayRunForm,
  eventRuleError,
  parseTrainers,
  participantMinutes,
  recordingLag,
  requireAccreditationForEvent,
  resolveParticipantTime,
  type RecordingLag,
} from "../domain/event.js";
import { kzYearRange } from "../domain/compliance.js";
import { assertNotStarted, calendarSpan, cityKey, parseAnnouncement, type Announcement, type CalendarFilter } from "../domain/announcement.js";
import type { Accreditation } from "../domain/accreditation.js";
import { normaliseKazakh, normaliseLicence } from "../domain/people.js";
import { kzDate, requireInstant as instant } from "../domain/time.js";
import { buildCertificateCredential } from "../credentials/certificate.js";
import { decodeCompactJws, signVcJwt } from "../credentials/jwt.js";
import { signStatusListToken } from "../credentials/token-status-list.js";
import type { Metrics } from "../lib/metrics.js";
import { encodeStatusList, STATUS_LIST_SIZE, statusIndexForCounter } from "../credentials/status-list.js";
import { VC_V2_CONTEXT } from "../credentials/vocabulary.js";
import { TtlCache } from "../lib/cache.js";
import { newId } from "../lib/ids.js";
import type { RegistryService } from "../registry/service.js";
import type { AnnouncedEvent, BarParticipantList, CalendarEntry, CleEvent, IssuanceStore, Participant, StatusList, StoredCertificate } from "./model.js";
import { certificateUrlFor } from "../credentials/certificate-url.js";
import { certificateNumber } from "../domain/certificate-number.js";
import type { NewOutboxMessage } from "../domain/outbox.js";

/** The key of a member in the map `delivery.memberEmails` answers. */
export const memberKey = (barId: string, licence: string) => `${barId}\u0000${licence}`;

export interface NewEvent {
  topic: string;
  programme: Programme;
  form: Form;
  deliveryMode: DeliveryMode;
  coOrganiserBarId?: string | null;
  place: string;
  startsAt: string;
  endsAt: string;
  durationMinutes: number;
  /** 12.3, 11.1: at least one, each with a name and the field of their experience (checked by `parseTrainers`). */
  trainers: { name?: string; field?: string | null; partyId?: string | null }[];
  certificatesValidUntil?: string | null;
}

export interface NewParticipant {
  fullName: string;
  licenceNumber: string;
  barId: string;
  role: ParticipantRole;
  email?: string | null;
  walletDid?: string | null;
  /** Messages to the participant: Kazakh and Russian, or English when `en` (issue 13). */
  lang?: "kk" | "ru" | "en" | null;
  /** 12.3: an attendee's minutes present, when less than the whole event (default: all of it). */
  attendedMinutes?: number | null;
  /** 5.1(4): the minutes a teacher taught (default: the whole event). */
  taughtMinutes?: number | null;
}

export interface IssueOutcome {
  eventId: string;
  issued: number;
  alreadyIssued: number;
  /** Issue 18: participants still without a certificate after this call (an issuing call takes at most `limit`). */
  pending: number;
  certificates: { id: string; url: string; participantId: string; licenceNumber: string; fullName: string }[];
  /** The ids of the certificates this call stored (for work that follows it); not part of any response. */
  issuedIds: string[];
}

/** The most events one calendar page or feed lists: a year of a country's announced training, not an unbounded read. */
export const CALENDAR_LIMIT = 500;

/** Signing runs on the Web Crypto thread pool; this many in flight keeps both cores busy without piling up memory. */
const SIGNING_CONCURRENCY = 256;
/** How long a status list credential may be cached by verifiers (Bitstring Status List `ttl`, milliseconds). */
export const STATUS_LIST_TTL_MS = 5 * 60_000;

/**
 * Issue 16: at most this many certificates share a number's id prefix in a lookup (the prefix has 35 bits: more than
 * a handful would mean something other than chance, and no page lists hundreds).
 */
const NUMBER_LOOKUP_LIMIT = 20;

/** The calendar year in Kazakhstan in which a certificate was issued: its number's year. */
const issueYearOf = (c: StoredCertificate): number => Number(kzDate(c.issuedAt).slice(0, 4));

export class IssuanceService {
  private readonly statusBits = new TtlCache<Set<number>>(10_000, 1_000);
  /** A list's purpose and size never change once it exists. */
  private readonly statusListMeta = new TtlCache<StatusList | null>(3_600_000, 10_000);
  /** Signed lists by form (`jwt:` the vc+jwt, `tsl:` the Token Status List), re-signed only when the list changes. */
  private readonly statusCredentials = new TtlCache<string>(60_000, 1_000);

  constructor(
    private readonly deps: {
      store: IssuanceStore;
      registry: RegistryService;
      /**
       * Issue 13: when set, every certificate is issued with its delivery message queued in the same write. It
       * answers the member-record e-mail of each (bar, licence) asked for; the participant list's own e-mail wins.
       */
      delivery?: { memberEmails(members: { barId: string; licence: string }[]): Promise<Map<string, string>> };
      /** Issue 17: certificates issued (GET /metrics). */
      metrics?: Pick<Metrics, "certificatesIssued">;
    },
  ) {}

  /** Idempotency-Key replays are stored beside the issuing they protect. */
  get idempotencyStore(): Pick<IssuanceStore, "getIdempotentResponse" | "putIdempotentResponse"> {
    return this.deps.store;
  }

  private get publicUrl(): string {
    return this.deps.registry.publicUrl;
  }

  certificateUrl(id: string): string {
    return certificateUrlFor(this.publicUrl, id);
  }

  statusListUrl(listId: string): string {
    return `${this.publicUrl}/status/${listId}`;
  }

  // ---- events and participants ----------------------------------------------------------------------------------

  async createEvent(principal: Principal, input: NewEvent): Promise<CleEvent> {
    assertIsProvider(principal);
    const party = await this.deps.registry.requireParty(principal.partyId);
    // 12.3, 11.1: the trainers, each with the field of their experience, before any rule is looked at.
    const { trainers, problems } = parseTrainers(input.trainers);
    if (problems.length > 0) throw eventRuleError("invalid_request", "event-trainer-problems", { count: problems.length }, { problems });
    const startsAt = instant(input.startsAt, "startsAt");
    const endsAt = instant(input.endsAt, "endsAt");
    assertEventTimes(startsAt, endsAt, input.durationMinutes);
    const coOrganiser = input.coOrganiserBarId ?? null;
    if (coOrganiser !== null) await this.deps.registry.requireBar(coOrganiser);
    assertOrganiserMayRunForm(input.form, party.kind, coOrganiser); // 5.1.2–5.1.3
    // 5.1(1), 7.1: refused already here, so a provider learns at once that it cannot claim training on days it was not
    // accredited for (an event cannot be back-dated into a stretch no decision covers). Issuing checks again: a
    // withdrawal may be recorded between the two.
    const covering = requireAccreditationForEvent(await this.deps.registry.listAccreditations(party.id), { programme: input.programme, form: input.form, startsAt, endsAt }, "record");
    const e: CleEvent = {
      id: newId(16),
      partyId: party.id,
      topic: normaliseKazakh(input.topic.trim()),
      programme: input.programme,
      form: input.form,
      deliveryMode: input.deliveryMode,
      coOrganiserBarId: coOrganiser,
      // 5.1(3): the named bar has yet to confirm; certificates wait for it.
      ...(coOrganiser === null ? {} : { coOrganisation: { state: "pending" as const, decidedAt: null, decidedBy: null } }),
      place: normaliseKazakh(input.place.trim()),
      startsAt,
      endsAt,
      durationMinutes: input.durationMinutes,
      trainers,
      certificatesValidUntil: input.certificatesValidUntil ? instant(input.certificatesValidUntil, "certificatesValidUntil") : null,
      createdAt: this.deps.registry.now(),
    };
    // The accrediting bar's record: the decision that covers it is what lets the event be recorded.
    await this.deps.store.insertEvent(e, await audited({ at: e.createdAt, principal, action: "event.recorded", barId: covering.barId, subjects: [e.id, party.id], content: e }));
    return e;
  }

  async ownEvent(principal: Principal, eventId: string): Promise<CleEvent> {
    assertIsProvider(principal);
    const e = await this.deps.store.getEvent(eventId);
    // Another provider's event answers as absent: its existence is not the caller's business.
    if (!e || e.partyId !== principal.partyId) throw eventRuleError("not_found", "event-not-yours", { id: JSON.stringify(eventId) });
    return e;
  }

  /**
   * One page of the caller's own events, newest first, and how many there are (the provider console pages them):
   * `pageOf(total)` says which rows to read, so a page asked past the end shows the last one.
   */
  async pageOwnEvents(principal: Principal, search: string, pageOf: (total: number) => { offset: number; limit: number }): Promise<{ events: CleEvent[]; total: number }> {
    assertIsProvider(principal);
    const total = await this.deps.store.countEvents(principal.partyId, search);
    const events = total === 0 ? [] : await this.deps.store.pageEvents(principal.partyId, { ...pageOf(total), search });
    return { events, total };
  }

  /**
   * Events recorded more than LATE_RECORDING_DAYS after they ended, newest recording first, for a bar's console: the
   * events of the providers the bar registered or accredited (the RBA's admin: every provider's). Read per provider
   * (each provider's newest events, as its own console lists them).
   */
  async lateRecordedEvents(principal: Principal): Promise<(CleEvent & RecordingLag)[]> {
    const { barId } = lateEventScope(principal);
    const [accreditations, parties] = await Promise.all([this.deps.registry.listAccreditations(), this.deps.registry.listParties()]);
    const partyIds = new Set([
      ...accreditations.filter((a) => barId === undefined || a.barId === barId).map((a) => a.partyId),
      ...parties.filter((p) => barId === undefined || p.barId === barId).map((p) => p.id),
    ]);
    const late: (CleEvent & RecordingLag)[] = [];
    for (const partyId of partyIds) {
      for (const e of await this.deps.store.listEvents(partyId)) {
        const lag = recordingLag(e);
        if (lag.recordedLate) late.push({ ...e, ...lag });
      }
    }
    return late.sort((x, y) => y.createdAt.localeCompare(x.createdAt) || x.id.localeCompare(y.id));
  }

  /** The certificates issued for one of the caller's events. */
  async listEventCertificates(principal: Principal, eventId: string): Promise<StoredCertificate[]> {
    const e = await this.ownEvent(principal, eventId);
    return this.deps.store.listCertificates(e.id);
  }

  /** 12.3: the participant list, validated whole before anything is stored. */
  async setParticipants(principal: Principal, eventId: string, list: NewParticipant[]): Promise<Participant[]> {
    const e = await this.ownEvent(principal, eventId);
    const bars = new Set((await this.deps.registry.bars()).map((b) => b.id));
    const problems: FieldProblem[] = [];
    const seen = new Map<string, number>();
    const participants = list.map((p, i): Participant => {
      const licence = normaliseLicence(p.licenceNumber);
      if (!/^[0-9A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]{1,32}$/u.test(licence)) problems.push(fieldProblem(`participants/${i}/licenceNumber`, "licence-not-alphanumeric"));
      const first = seen.get(licence);
      if (first !== undefined) problems.push(fieldProblem(`participants/${i}/licenceNumber`, "licence-duplicate", { first }));
      else seen.set(licence, i);
      if (!bars.has(p.barId)) problems.push(fieldProblem(`participants/${i}/barId`, "bar-id-unknown"));
      // 12.3 partial attendance, 5.1(4) minutes taught (and teaching only on courses).
      const time = resolveParticipantTime(e, p, `participants/${i}`);
      problems.push(...time.problems);
      return {
        id: newId(16),
        eventId: e.id,
        licenceNumber: licence,
        fullName: normaliseKazakh(p.fullName.trim().replace(/\s+/g, " ")),
        barId: p.barId,
        role: p.role,
        email: p.email?.trim() || null,
        walletDid: p.walletDid?.trim() || null,
        position: i,
        lang: p.lang ?? null,
        attendedMinutes: time.attendedMinutes,
        taughtMinutes: time.taughtMinutes,
      };
    });
    if (problems.length > 0) throw eventRuleError("invalid_request", "participant-list-problems", { count: problems.length }, { problems });
    await this.deps.store.replaceParticipants(e.id, participants);
    return this.listParticipants(principal, e.id);
  }

  async listParticipants(principal: Principal, eventId: string) {
    const e = await this.ownEvent(principal, eventId);
    return this.deps.store.listParticipants(e.id);
  }

  // ---- participant lists as they reach the bars (12.3) -------------------------------------------------------------

  /**
   * 12.3: the participant lists a bar gets "for accounting purposes": the events that ended in `year` (Kazakhstan's
   * calendar year, 12.2) with at least one of its members, each with its members only. The bar's admin and the RBA's.
   */
  async participantListsForBar(principal: Principal, barId: string, year: number): Promise<BarParticipantList[]> {
    assertMayReadBarReports(principal, barId);
    await this.deps.registry.requireBar(barId);
    return this.deps.store.participantListsForBar(barId, kzYearRange(year));
  }

  /** 12.3: one event's list as it reaches the bar: absent (404) unless one of the bar's members took part. */
  async participantListForBar(principal: Principal, barId: string, eventId: string): Promise<BarParticipantList> {
    assertMayReadBarReports(principal, barId);
    await this.deps.registry.requireBar(barId);
    const [list] = await this.deps.store.participantListsForBar(barId, { eventId });
    if (!list) throw eventRuleError("not_found", "event-no-members-of-bar", { barId, id: JSON.stringify(eventId) });
    return list;
  }

  // ---- co-organisation (5.1(3)) -------------------------------------------------------------------------------------

  /** 5.1(3): the events naming `barId` as co-organiser, pending ones first, for that bar's admin to answer. */
  async coOrganisationRequests(principal: Principal, barId: string): Promise<CleEvent[]> {
    assertMayAnswerCoOrganisation(principal, barId);
    const events = await this.deps.store.listCoOrganisedEvents(barId);
    const pendingFirst = (e: CleEvent) => ((e.coOrganisation?.state ?? "pending") === "pending" ? 0 : 1);
    return events.sort((x, y) => pendingFirst(x) - pendingFirst(y));
  }

  /**
   * 5.1(3): the co-organising bar confirms or declines the co-organisation an event names. Only its own admin
   * (domain/authz.ts), only while pending: the first answer stands (certificates may already name the bar).
   */
  async decideCoOrganisation(principal: Principal, eventId: string, decision: "confirm" | "decline"): Promise<CleEvent> {
    const e = await this.deps.store.getEvent(eventId);
    if (!e) throw eventRuleError("not_found", "event-unknown", { id: JSON.stringify(eventId) });
    if (e.coOrganiserBarId === null) throw eventRuleError("not_found", "co-organisation-none");
    assertMayAnswerCoOrganisation(principal, e.coOrganiserBarId);
    assertCoOrganisationPending(e);
    const state = decision === "confirm" ? "confirmed" : "declined";
    const at = this.deps.registry.now();
    const audit = await audited({ at, principal, action: "co-organisation.answered", barId: e.coOrganiserBarId, subjects: [e.id], content: { eventId: e.id, state, at } });
    if (!(await this.deps.store.decideCoOrganisation(e.id, e.coOrganiserBarId, state, at, describePrincipal(principal), audit))) {
      const now = await this.deps.store.getEvent(e.id);
      assertCoOrganisationPending(now ?? e); // answered in between: say how
    }
    return (await this.deps.store.getEvent(e.id))!;
  }

  // ---- the calendar of accredited events (7.3, 2.1(4), 6.1–6.2) ---------------------------------------------------

  /**
   * 7.3: announces one of the caller's events in the public calendar, or changes its announcement, before it starts.
   * Only while an accreditation covers the event's programme and form on its dates: the same rule that recorded it
   * and will sign its certificates (requireAccreditationForEvent). Checked whole; nothing is stored unless all holds.
   */
  async announce(principal: Principal, eventId: string, input: unknown): Promise<Announcement> {
    const e = await this.ownEvent(principal, eventId);
    const now = this.deps.registry.now();
    assertNotStarted(e, now, "announce");
    const terms = parseAnnouncement(input, e.deliveryMode);
    requireAccreditationForEvent(await this.deps.registry.listAccreditations(e.partyId), e, "announce");
    const previous = await this.deps.store.getAnnouncement(e.id);
    const announcement: Announcement = { eventId: e.id, announcedAt: previous?.announcedAt ?? now, updatedAt: now, ...terms };
    await this.deps.store.putAnnouncement(announcement);
    return announcement;
  }

  /** 7.3: takes one of the caller's events out of the calendar, before it starts. */
  async withdrawAnnouncement(principal: Principal, eventId: string): Promise<void> {
    const e = await this.ownEvent(principal, eventId);
    assertNotStarted(e, this.deps.registry.now(), "withdraw");
    if (!(await this.deps.store.deleteAnnouncement(e.id))) throw eventRuleError("not_found", "event-not-announced");
  }

  /** The announcement of one of the caller's events, if it has one. */
  async announcementOf(principal: Principal, eventId: string): Promise<Announcement | undefined> {
    const e = await this.ownEvent(principal, eventId);
    return this.deps.store.getAnnouncement(e.id);
  }

  /**
   * The public calendar (7.3): announced events still to come whose organiser an accreditation covers for them —
   * a withdrawal (9.2) or an expiry reaching the event's days takes it off. `barId`: only events a decision of that
   * bar covers, or that bar co-organises (5.1(3)); `partyId`: one provider's. `cities`: the cities of the events the
   * filter leaves before its own `city`, for the page's choice.
   */
  async calendar(filter: CalendarFilter, scope: { barId?: string; partyId?: string } = {}): Promise<{ entries: CalendarEntry[]; cities: string[] }> {
    const span = calendarSpan(filter, this.deps.registry.now());
    const rows = await this.deps.store.listAnnounced({
      ...span,
      ...(scope.partyId ? { partyId: scope.partyId } : {}),
      ...(filter.programme ? { programme: filter.programme } : {}),
      ...(filter.form ? { form: filter.form } : {}),
      ...(filter.deliveryMode ? { deliveryMode: filter.deliveryMode } : {}),
      freeOnly: filter.freeOnly,
      limit: CALENDAR_LIMIT,
    });
    const accredited = (await this.calendarEntries(rows)).filter((x) => !scope.barId || x.accreditedBy.includes(scope.barId) || (x.event.coOrganiserBarId === scope.barId && x.event.coOrganisation?.state === "confirmed"));
    // One entry per city however it was spelled: the spelling of its first event.
    const byKey = new Map<string, string>();
    for (const x of accredited) if (x.announcement.city && !byKey.has(cityKey(x.announcement.city))) byKey.set(cityKey(x.announcement.city), x.announcement.city);
    const cities = [...byKey.values()].sort((a, b) => a.localeCompare(b, "kk"));
    const wanted = filter.city ? cityKey(filter.city) : undefined;
    return { entries: wanted ? accredited.filter((x) => x.announcement.city !== null && cityKey(x.announcement.city) === wanted) : accredited, cities };
  }

  /** An announced event's public page: `undefined` unless it is announced and an accreditation covers it (7.3). */
  async publicEvent(eventId: string): Promise<CalendarEntry | undefined> {
    const [event, announcement] = await Promise.all([this.deps.store.getEvent(eventId), this.deps.store.getAnnouncement(eventId)]);
    if (!event || !announcement) return undefined;
    return (await this.calendarEntries([{ event, announcement }]))[0];
  }

  /** Each announced event with its organiser and the bars covering it; those no accreditation covers are left out. */
  private async calendarEntries(rows: AnnouncedEvent[]): Promise<CalendarEntry[]> {
    if (rows.length === 0) return [];
    const partyIds = [...new Set(rows.map((r) => r.event.partyId))];
    const byParty = new Map<string, Accreditation[]>();
    for (const a of await this.deps.registry.listAccreditations()) (byParty.get(a.partyId) ?? byParty.set(a.partyId, []).get(a.partyId)!).push(a);
    const parties = new Map((await Promise.all(partyIds.map((id) => this.deps.registry.getParty(id)))).filter((p) => p !== undefined).map((p) => [p.id, p]));
    const out: CalendarEntry[] = [];
    for (const r of rows) {
      const party = parties.get(r.event.partyId);
      const accreditedBy = accreditingBars(byParty.get(r.event.partyId) ?? [], r.event);
      if (!party || accreditedBy.length === 0) continue;
      out.push({ ...r, organiser: { id: party.id, name: party.name, kind: party.kind }, accreditedBy });
    }
    return out;
  }

  // ---- issuing --------------------------------------------------------------------------------------------------

  /**
   * Issues a certificate to every participant who has none — to at most `limit` of them, in list order, when given
   * (issue 18: a Worker issues a large event over several invocations, src/issuance/issuing-run.ts). Idempotent: a
   * retry returns the same certificates and creates none twice; if anything fails, nothing from this attempt is
   * stored (status entries it claimed are left unused, never reused).
   */
  async issueCertificates(principal: Principal, eventId: string, o: { limit?: number } = {}): Promise<IssueOutcome> {
    const e = await this.ownEvent(principal, eventId);
    const now = this.deps.registry.now();
    // 7.5: the certificate follows the event.
    if (Date.parse(now) < Date.parse(e.endsAt)) {
      throw eventRuleError("rule_violated", "event-not-ended", {}, { extra: { endsAt: e.endsAt } });
    }
    // 5.1(3): a certificate names a co-organising bar only once that bar has confirmed it.
    assertCoOrganisationConfirmed(e);
    const party = await this.deps.registry.requireParty(e.partyId);
    // 5.1(1), 7.1, 9.2: a decision covering the days the training was given, whatever today's state: a withdrawal
    // since then does not stop these certificates, and a decision granted since then does not start them.
    const accreditation = requireAccreditationForEvent(await this.deps.registry.listAccreditations(party.id), e, "sign");
    // The key, unlike the accreditation, must be valid when it signs: the certificate's `validFrom` is now.
    const signer = await this.deps.registry.signerFor(party.id, now);

    const participants = await this.deps.store.listParticipants(e.id);
    if (participants.length === 0) throw eventRuleError("rule_violated", "event-no-participants");
    const pending = participants.filter((p) => p.certificateId === null).slice(0, o.limit ?? Infinity);
    /** Participant id → the certificate this call stored for them. */
    let issuedTo = new Map<string, string>();

    if (pending.length > 0) {
      const allocations = await this.deps.store.allocateStatusEntries(party.id, "revocation", pending.length, STATUS_LIST_SIZE, now);
      const entries = allocations.flatMap((a) => a.counters.map((c) => ({ listId: a.listId, index: statusIndexForCounter(c) })));
      const coOrganiser = e.coOrganiserBarId ? await this.deps.registry.requireBar(e.coOrganiserBarId) : null;
      const issuer = { did: party.did, name: party.name, kind: party.kind };
      const trainers = e.trainers.map((t) => t.name);

      const certificates: StoredCertificate[] = new Array(pending.length);
      for (let start = 0; start < pending.length; start += SIGNING_CONCURRENCY) {
        await Promise.all(
          pending.slice(start, start + SIGNING_CONCURRENCY).map(async (p, offset) => {
            const i = start + offset;
            const id = newId(16);
            const entry = entries[i]!;
            const listUrl = this.statusListUrl(entry.listId);
            const credential = await buildCertificateCredential({
              certificateUrl: this.certificateUrl(id),
              issuedAt: now,
              validUntil: e.certificatesValidUntil,
              issuer,
              coOrganiser: coOrganiser && { id: coOrganiser.id, name: coOrganiser.names.en },
              event: { id: e.id, topic: e.topic, programme: e.programme, form: e.form, deliveryMode: e.deliveryMode, place: e.place, startsAt: e.startsAt, endsAt: e.endsAt, durationMinutes: e.durationMinutes, trainers },
              participant: { fullName: p.fullName, licenceNumber: p.licenceNumber, barId: p.barId, role: p.role, walletDid: p.walletDid, minutes: participantMinutes(e, p) },
              licenceSalt: newId(16),
              status: { entryId: `${listUrl}#${entry.index}`, listUrl, index: entry.index },
              barUrl: (barId) => this.deps.registry.barUrl(barId),
            });
            certificates[i] = {
              id,
              eventId: e.id,
              participantId: p.id,
              partyId: party.id,
              keyId: signer.keyId,
              accreditationId: accreditation.id,
              statusListId: entry.listId,
              statusIndex: entry.index,
              issuedAt: now,
              jwt: await signVcJwt(credential, signer),
              revokedAt: null,
              revocationReason: null,
              revokedBy: null,
            };
          }),
        );
      }
      const messages = this.deps.delivery ? await this.deliveryMessages(pending, certificates, now) : [];
      try {
        // One entry per issuing call: the event, and the digest of the sorted ids of what this call issued.
        const certificateIds = certificates.map((c) => c.id).sort();
        const audit = await audited({ at: now, principal, action: "certificates.issued", barId: accreditation.barId, subjects: [e.id], content: { eventId: e.id, certificateIds } });
        await this.deps.store.insertCertificates(certificates, messages, audit);
        issuedTo = new Map(certificates.map((c) => [c.participantId, c.id]));
        this.deps.metrics?.certificatesIssued(issuedTo.size);
      } catch (err) {
        // Another request certified these participants first (the insert is all or nothing): what it stored is the answer.
        if (!(err instanceof SenimError && err.code === "conflict")) throw err;
      }
    }

    // The list as this call leaves it: the one read above with what it stored, unless another call stored instead (a
    // conflict above), whose certificates only a second read shows. (Issue 18: a second read of 1,000 participants
    // cost ≈ 32 µs a certificate.)
    const issuedIds = [...issuedTo.values()];
    const after = issuedIds.length > 0 || pending.length === 0
      ? participants.map((p) => (issuedTo.has(p.id) ? { ...p, certificateId: issuedTo.get(p.id)! } : p))
      : await this.deps.store.listParticipants(e.id);
    const certified = after.filter((p) => p.certificateId !== null);
    return {
      eventId: e.id,
      issued: issuedIds.length,
      alreadyIssued: certified.length - issuedIds.length,
      pending: after.length - certified.length,
      issuedIds,
      certificates: certified.map((p) => ({ id: p.certificateId!, url: this.certificateUrl(p.certificateId!), participantId: p.id, licenceNumber: p.licenceNumber, fullName: p.fullName })),
    };
  }

  /** One message per new certificate, to the participant list's e-mail, else the member record's, else none. */
  private async deliveryMessages(pending: Participant[], certificates: StoredCertificate[], now: string): Promise<NewOutboxMessage[]> {
    const memberEmails = await this.deps.delivery!.memberEmails(pending.filter((p) => !p.email).map((p) => ({ barId: p.barId, licence: p.licenceNumber })));
    return pending.map((p, i) => ({
      id: newId(16),
      kind: "certificate",
      certificateId: certificates[i]!.id,
      eventId: p.eventId,
      participantId: p.id,
      toAddress: p.email || memberEmails.get(memberKey(p.barId, p.licenceNumber)) || null,
      lang: p.lang ?? null,
      createdAt: now,
    }));
  }

  // ---- certificates and revocation ------------------------------------------------------------------------------

  /** Every certificate of an event (no access check: callers have checked the event is theirs). */
  certificatesOf(eventId: string): Promise<StoredCertificate[]> {
    return this.deps.store.listCertificates(eventId);
  }

  getCertificate(id: string): Promise<StoredCertificate | undefined> {
    return this.deps.store.getCertificate(id);
  }

  async requireCertificate(id: string): Promise<StoredCertificate> {
    const c = await this.deps.store.getCertificate(id);
    if (!c) throw eventRuleError("not_found", "certificate-unknown", { id: JSON.stringify(id) });
    return c;
  }

  /**
   * Issue 16: the human number printed on the certificate and its page (`KZ-26-7F3K-Q9MR`), with the year of issue in
   * Kazakhstan time. `issuedAt` is the credential's `validFrom`: both are the instant it was signed (issueCertificates).
   */
  numberOf(c: StoredCertificate): string {
    return certificateNumber(c.id, issueYearOf(c));
  }

  /**
   * Issue 16: the certificates a human number names: ids starting with its prefix, issued in its year (Kazakhstan
   * time), by id. Usually one; two share a number about once in 30 years, and then the caller lists both.
   */
  async certificatesNumbered(n: { year: number; idPrefix: string }): Promise<StoredCertificate[]> {
    const candidates = await this.deps.store.listCertificatesByIdPrefix(n.idPrefix, NUMBER_LOOKUP_LIMIT);
    return candidates.filter((c) => issueYearOf(c) === n.year);
  }

  /** The credential a stored certificate's vc+jwt carries (we signed it, so it always decodes). */
  credentialOf(c: StoredCertificate): Record<string, unknown> {
    return decodeCompactJws(c.jwt)!.payload as Record<string, unknown>;
  }

  /** Revokes with a reason: the issuing provider, or the bar whose accreditation it was issued under (domain/authz.ts). */
  async revoke(principal: Principal, certificateId: string, reason: string): Promise<StoredCertificate> {
    const c = await this.requireCertificate(certificateId);
    const accreditation = await this.deps.registry.requireAccreditation(c.accreditationId);
    assertMayRevoke(principal, { partyId: c.partyId, accreditingBarId: accreditation.barId });
    if (c.revokedAt) throw eventRuleError("already_revoked", "certificate-already-revoked");
    const at = this.deps.registry.now();
    const audit = await audited({ at, principal, action: "certificate.revoked", barId: accreditation.barId, subjects: [c.id], content: { certificateId: c.id, reason: reason.trim(), revokedAt: at } });
    const done = await this.deps.store.revokeCertificate(c.id, reason.trim(), describePrincipal(principal), at, audit);
    if (!done) throw eventRuleError("already_revoked", "certificate-already-revoked");
    this.statusChanged(c.statusListId);
    return this.requireCertificate(c.id);
  }

  // ---- status lists ---------------------------------------------------------------------------------------------

  /** For verifiers: is the bit set? `undefined` when the list is not one of ours (we never fetch from elsewhere). */
  async statusBit(entry: { listUrl: string; index: number; purpose: string }): Promise<boolean | undefined> {
    const prefix = `${this.publicUrl}/status/`;
    if (!entry.listUrl.startsWith(prefix)) return undefined;
    const listId = entry.listUrl.slice(prefix.length);
    const list = await this.statusListMeta.getOrLoad(listId, async () => (await this.deps.store.getStatusList(listId)) ?? null);
    if (!list || list.purpose !== entry.purpose || entry.index >= list.size) return undefined;
    const set = await this.statusBits.getOrLoad(listId, async () => new Set(await this.deps.store.listStatusIndexesSet(listId)));
    return set.has(entry.index);
  }

  /** The list as a signed `BitstringStatusListCredential` (vc+jwt), re-signed only when it changes. */
  async statusListCredential(listId: string): Promise<string | undefined> {
    const cached = this.statusCredentials.get(`jwt:${listId}`);
    if (cached) return cached;
    const unsigned = await this.statusListDocument(listId);
    if (!unsigned) return undefined;
    const jwt = await signVcJwt(unsigned.credential, await this.deps.registry.signerFor(unsigned.partyId, unsigned.credential.validFrom));
    this.statusCredentials.set(`jwt:${listId}`, jwt);
    return jwt;
  }

  /**
   * The same list as an IETF Status List Token (statuslist+jwt), what SD-JWT VCs' `status.status_list` points at:
   * the same bits, signed by the same party's key (src/credentials/token-status-list.ts).
   */
  async statusListToken(listId: string): Promise<string | undefined> {
    const cached = this.statusCredentials.get(`tsl:${listId}`);
    if (cached) return cached;
    const list = await this.deps.store.getStatusList(listId);
    if (!list) return undefined;
    const party = await this.deps.registry.requireParty(list.partyId);
    const now = this.deps.registry.now();
    const input = { uri: this.statusListUrl(list.id), issuer: party.did, purpose: list.purpose, size: list.size, setIndexes: await this.deps.store.listStatusIndexesSet(list.id), now, ttlSeconds: STATUS_LIST_TTL_MS / 1000 };
    const token = await signStatusListToken(input, await this.deps.registry.signerFor(party.id, now));
    this.statusCredentials.set(`tsl:${listId}`, token);
    return token;
  }

  /** The unsigned `BitstringStatusListCredential` of a list as it stands now, and the party that signs it. */
  async statusListDocument(listId: string): Promise<{ credential: Record<string, unknown> & { validFrom: string }; partyId: string } | undefined> {
    const list = await this.deps.store.getStatusList(listId);
    if (!list) return undefined;
    const party = await this.deps.registry.requireParty(list.partyId);
    const now = this.deps.registry.now();
    const url = this.statusListUrl(list.id);
    const credential = {
      "@context": [VC_V2_CONTEXT],
      id: url,
      type: ["VerifiableCredential", "BitstringStatusListCredential"],
      issuer: party.did,
      validFrom: now,
      credentialSubject: {
        id: `${url}#list`,
        type: "BitstringStatusList",
        statusPurpose: list.purpose,
        encodedList: await encodeStatusList(await this.deps.store.listStatusIndexesSet(list.id), list.size),
        ttl: STATUS_LIST_TTL_MS,
      },
    };
    return { credential, partyId: party.id };
  }

  /** Forget what is cached about a list after one of its bits changed outside {@link revoke}. */
  statusChanged(listId: string): void {
    this.statusBits.delete(listId);
    for (const form of ["jwt", "tsl"]) this.statusCredentials.delete(`${form}:${listId}`);
  }
}
