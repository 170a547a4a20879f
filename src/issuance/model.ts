import type { AuditedWrite } from "../domain/audit.js";
import type { DeliveryMode, Form, ParticipantRole, PartyKind, Programme } from "../domain/catalog.js";
/** A message queued with the certificate it delivers (issue 13). */
import type { NewOutboxMessage } from "../domain/outbox.js";
import type { Announcement } from "../domain/announcement.js";
import type { CoOrganisation, CoOrganisationState, Trainer } from "../domain/event.js";

export type { Trainer } from "../domain/event.js";

/** An event a provider ran (5.1, 7.4, 12.3). Duration is kept in minutes (10.6). */
export interface CleEvent {
  id: string;
  partyId: string;
  topic: string;
  programme: Programme;
  form: Form;
  deliveryMode: DeliveryMode;
  /** 5.1.3: the RBA or a territorial bar organising jointly with the provider. */
  coOrganiserBarId: string | null;
  /** 5.1(3): that bar's answer (pending until its admin confirms or declines); absent when there is no co-organiser. */
  coOrganisation?: CoOrganisation | null;
  place: string;
  startsAt: string;
  endsAt: string;
  durationMinutes: number;
  /** 12.3, 11.1: at least one on every event recorded since migration 0016, each with the field of their experience. */
  trainers: Trainer[];
  certificatesValidUntil: string | null;
  createdAt: string;
}

export interface Participant {
  id: string;
  eventId: string;
  licenceNumber: string;
  fullName: string;
  barId: string;
  role: ParticipantRole;
  email: string | null;
  walletDid: string | null;
  position: number;
  /** The language of messages to the participant (issue 13): Kazakh and Russian unless `en`. Optional. */
  lang?: "kk" | "ru" | "en" | null;
  /**
   * 12.3: an attendee's minutes present (less than the event's duration: partial attendance); 5.1(4): a teacher's
   * minutes taught. Each role has only its own; both null on lists recorded before migration 0016, which stand for the
   * whole event (`participantMinutes` in src/domain/event.ts).
   */
  attendedMinutes?: number | null;
  taughtMinutes?: number | null;
}

export interface StoredCertificate {
  id: string;
  eventId: string;
  participantId: string;
  partyId: string;
  keyId: string;
  accreditationId: string;
  statusListId: string;
  statusIndex: number;
  issuedAt: string;
  jwt: string;
  revokedAt: string | null;
  revocationReason: string | null;
  revokedBy: string | null;
}

export interface StatusList {
  id: string;
  partyId: string;
  purpose: "revocation" | "suspension";
  size: number;
  allocated: number;
}

export interface StatusAllocation {
  listId: string;
  /** Sequential counters handed out from the list; the index in a credential is a bijection of each. */
  counters: number[];
}

export interface IdempotentResponse {
  fingerprint: string;
  status: number;
  body: string;
}

/** 7.3: which announced events the calendar reads; every field but `endsAfter` narrows it further. */
export interface AnnouncedQuery {
  /** Events still running after this instant: the calendar lists what is to come. */
  endsAfter: string;
  /** Events starting before this instant. */
  startsBefore?: string;
  partyId?: string;
  programme?: Programme;
  form?: Form;
  deliveryMode?: DeliveryMode;
  /** 6.1–6.2: only events that cost the advocate nothing (free, or paid by the bar, the RBA or a grant). */
  freeOnly?: boolean;
  limit: number;
}

export interface AnnouncedEvent {
  event: CleEvent;
  announcement: Announcement;
}

/** An event as the public calendar shows it (7.3): with its organiser and the bars whose decisions cover it. */
export interface CalendarEntry extends AnnouncedEvent {
  organiser: { id: string; name: string; kind: PartyKind };
  /** The bars whose accreditation of the organiser covers this event's programme and form on its dates; never empty. */
  accreditedBy: string[];
}

/** 12.3: an event as a bar sees its participant list: the event, and only that bar's members who took part. */
export interface BarParticipantList {
  event: CleEvent;
  participants: (Participant & { certificateId: string | null; revoked: boolean })[];
}

/** Which page of a provider's events a console asks for. */
export interface EventPage {
  offset: number;
  limit: number;
  search?: string;
}

/** What issuance needs from storage. Each method is atomic on its own (D1 has no interactive transactions). */
export interface IssuanceStore {
  /** `audit`, on this and the other writes: the act's audit entry, in the same atomic write (issue 17). */
  insertEvent(e: CleEvent, audit?: AuditedWrite): Promise<void>;
  getEvent(id: string): Promise<CleEvent | undefined>;
  /** A provider's events, newest first. */
  listEvents(partyId: string): Promise<CleEvent[]>;
  /** One page of a provider's events, newest first, those whose topic contains `search` (any case) if given. */
  pageEvents(partyId: string, page: EventPage): Promise<CleEvent[]>;
  /** How many events `pageEvents` pages through with the same `search`. */
  countEvents(partyId: string, search?: string): Promise<number>;
  /**
   * Replaces the participant list. Participants who already hold a certificate must be kept unchanged; otherwise
   * nothing is written and `participants_locked` is thrown.
   */
  replaceParticipants(eventId: string, participants: Participant[]): Promise<void>;
  listParticipants(eventId: string): Promise<(Participant & { certificateId: string | null })[]>;
  /**
   * 12.3: the lists that reach a bar: events with at least one participant of `barId` — that ended in `[from, to)`,
   * or the one event `eventId` — each with those participants only (another bar's members are not this bar's
   * business), by the event's end then id.
   */
  participantListsForBar(barId: string, scope: { from: string; to: string } | { eventId: string }): Promise<BarParticipantList[]>;

  /** 5.1(3): the events naming `barId` as co-organiser, newest first (at most 500). */
  listCoOrganisedEvents(barId: string): Promise<CleEvent[]>;
  /**
   * 5.1(3): records the co-organising bar's answer, only while it is pending (one statement: two answers at once
   * cannot both be recorded). `false` when it was no longer pending.
   */
  /** The first answer only (`false` when the event is no longer pending), with its audit entry in the same write. */
  decideCoOrganisation(eventId: string, barId: string, state: Exclude<CoOrganisationState, "pending">, at: string, by: string, audit?: AuditedWrite): Promise<boolean>;

  /** 7.3: the event's announcement, stored or replaced whole (its first `announcedAt` is the caller's to keep). */
  putAnnouncement(a: Announcement): Promise<void>;
  getAnnouncement(eventId: string): Promise<Announcement | undefined>;
  /** `false` when the event had no announcement. */
  deleteAnnouncement(eventId: string): Promise<boolean>;
  /** Announced events by their start, then id; at most `limit`. */
  listAnnounced(q: AnnouncedQuery): Promise<AnnouncedEvent[]>;

  /** Hands out `count` fresh status entries for the party, opening new lists as they fill; never reuses one. */
  allocateStatusEntries(partyId: string, purpose: StatusList["purpose"], count: number, size: number, now: string): Promise<StatusAllocation[]>;
  getStatusList(id: string): Promise<StatusList | undefined>;
  listStatusIndexesSet(listId: string): Promise<number[]>;

  /** All or nothing: throws `conflict` if any participant already has a certificate. */
  /**
   * All the certificates, and the outbox messages that deliver them (issue 13), in one atomic write: all or nothing.
   */
  insertCertificates(certificates: StoredCertificate[], messages?: NewOutboxMessage[], audit?: AuditedWrite): Promise<void>;
  getCertificate(id: string): Promise<StoredCertificate | undefined>;
  listCertificates(eventId: string): Promise<StoredCertificate[]>;
  /**
   * Issue 16: certificates whose id starts with `prefix` (lower-case [0-9a-z]), by id, at most `limit`: what a human
   * certificate number names (src/domain/certificate-number.ts). A range over the primary key on every dialect.
   */
  listCertificatesByIdPrefix(prefix: string, limit: number): Promise<StoredCertificate[]>;
  /** `false` when the certificate was already revoked. */
  revokeCertificate(id: string, reason: string, by: string, at: string, audit?: AuditedWrite): Promise<boolean>;

  /** The response stored for this key, unless it was stored before `notBefore` (expired). */
  getIdempotentResponse(principal: string, key: string, notBefore: string): Promise<IdempotentResponse | undefined>;
  /** Stores a response, first dropping the principal's entries stored before `notBefore`. */
  putIdempotentResponse(principal: string, key: string, response: IdempotentResponse, at: string, notBefore: string): Promise<void>;
}
