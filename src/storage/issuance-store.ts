import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from "kysely";
import type { DeliveryMode, Form, ParticipantRole, Programme } from "../domain/catalog.js";
import { keyedError } from "../domain/errors.js";
import { STORAGE_DETAIL_TEMPLATES } from "../domain/store-details.js";
import type { NewOutboxMessage } from "../domain/outbox.js";
import { FREE_FOR_ADVOCATES, type Announcement, type Fee, type Sponsor } from "../domain/announcement.js";
import { outboxInserts } from "./outbox-store.js";
import type { CoOrganisationState } from "../domain/event.js";
import type { AnnouncedEvent, AnnouncedQuery, BarParticipantList, CleEvent, EventPage, IdempotentResponse, IssuanceStore, Participant, StatusAllocation, StatusList, StoredCertificate } from "../issuance/model.js";
import { newId } from "../lib/ids.js";
import { chunks, rowsPerInsert, type StoreDb } from "./atomic.js";
import type { AuditedWrite } from "../domain/audit.js";
import { auditedAtomic } from "./audit-store.js";
import { isUniqueViolation } from "./errors.js";
import { fieldProblem } from "../domain/field-problems.js";
import { anyCasePatterns } from "./search.js";
import type { CertificateRow, Database, EventAnnouncementRow, EventRow, ParticipantRow } from "./schema.js";

const PARTICIPANT_COLUMNS = 12;
const CERTIFICATE_COLUMNS = 12;
const DOCUMENT_COLUMNS = 2;

export class KyselyIssuanceStore implements IssuanceStore {
  private readonly db: Kysely<Database>;

  constructor(private readonly store: StoreDb) {
    this.db = store.db;
  }

  async insertEvent(e: CleEvent, audit?: AuditedWrite): Promise<void> {
    await auditedAtomic(this.store, [this.db.insertInto("events").values(eventRow(e)).compile()], audit);
  }

  async getEvent(id: string): Promise<CleEvent | undefined> {
    const r = await this.db.selectFrom("events").selectAll().where("id", "=", id).executeTakeFirst();
    return r && event(r);
  }

  async listEvents(partyId: string): Promise<CleEvent[]> {
    const rows = await this.db.selectFrom("events").selectAll().where("party_id", "=", partyId).orderBy("created_at", "desc").orderBy("id").limit(500).execute();
    return rows.map(event);
  }

  async pageEvents(partyId: string, page: EventPage): Promise<CleEvent[]> {
    const q = topicSearch(this.db.selectFrom("events").selectAll().where("party_id", "=", partyId), page.search);
    return (await q.orderBy("created_at", "desc").orderBy("id").limit(page.limit).offset(page.offset).execute()).map(event);
  }

  async countEvents(partyId: string, search?: string): Promise<number> {
    const q = topicSearch(this.db.selectFrom("events").select((eb) => eb.fn.countAll<number>().as("n")).where("party_id", "=", partyId), search);
    return Number((await q.executeTakeFirstOrThrow()).n);
  }

  async replaceParticipants(eventId: string, participants: Participant[]): Promise<void> {
    const certified = await this.db
      .selectFrom("participants as p")
      .innerJoin("certificates as c", "c.participant_id", "p.id")
      .innerJoin("events as e", "e.id", "p.event_id")
      .selectAll("p")
      .select("e.duration_minutes")
      .where("p.event_id", "=", eventId)
      .execute();
    const incoming = new Map(participants.map((p) => [p.licenceNumber, p]));
    // The minutes a certificate states (12.3, 5.1(4)) are as fixed as the name on it; a row from before migration 0016
    // (no minutes) stated the whole event.
    const minutes = (m: { attendedMinutes?: number | null; taughtMinutes?: number | null }, duration: number) => m.attendedMinutes ?? m.taughtMinutes ?? duration;
    const changed = certified.filter((c) => {
      const p = incoming.get(c.licence_number);
      const duration = Number(c.duration_minutes);
      return !p || p.fullName !== c.full_name || p.barId !== c.bar_id || p.role !== c.role || minutes(p, duration) !== minutes(participant(c), duration);
    });
    if (changed.length > 0) {
      throw keyedError("participants_locked", STORAGE_DETAIL_TEMPLATES, "storage-participants-locked", undefined, {
        problems: changed.map((c) => fieldProblem(`licence/${c.licence_number}`, "already-certified")),
      });
    }
    const keep = new Set(certified.map((c) => c.licence_number));
    const rows = participants.filter((p) => !keep.has(p.licenceNumber)).map(participantRow);
    // One batch: drop every uncertified row, insert the new list. The DELETE spares whoever holds a certificate by
    // then, so a participant certified after the read above makes their re-insert collide on (event, licence) and the
    // whole batch rolls back: certified rows are never lost or changed.
    const queries = [
      this.db
        .deleteFrom("participants")
        .where("event_id", "=", eventId)
        .where("id", "not in", (eb) => eb.selectFrom("certificates").select("participant_id").where("event_id", "=", eventId))
        .compile(),
      ...[...chunks(rows, rowsPerInsert(this.store, PARTICIPANT_COLUMNS))].map((chunk) => this.db.insertInto("participants").values(chunk).compile()),
    ];
    try {
      await this.store.atomic(queries);
    } catch (e) {
      if (isUniqueViolation(e)) throw keyedError("conflict", STORAGE_DETAIL_TEMPLATES, "storage-participants-raced");
      throw e;
    }
  }

  async listParticipants(eventId: string): Promise<(Participant & { certificateId: string | null })[]> {
    const rows = await this.db
      .selectFrom("participants as p")
      .leftJoin("certificates as c", "c.participant_id", "p.id")
      .selectAll("p")
      .select("c.id as certificate_id")
      .where("p.event_id", "=", eventId)
      .orderBy("p.position")
      .execute();
    return rows.map((r) => ({ ...participant(r), certificateId: r.certificate_id }));
  }

  async participantListsForBar(barId: string, scope: { from: string; to: string } | { eventId: string }): Promise<BarParticipantList[]> {
    // Two reads, each narrowed by the same condition on the event (no list of ids as parameters: D1 allows 100).
    const events = this.db
      .selectFrom("events as e")
      .selectAll("e")
      .where("e.id", "in", (eb) => eb.selectFrom("participants").select("event_id").where("bar_id", "=", barId))
      .where((eb) => ("eventId" in scope ? eb("e.id", "=", scope.eventId) : eb.and([eb("e.ends_at", ">=", scope.from), eb("e.ends_at", "<", scope.to)])))
      .orderBy("e.ends_at")
      .orderBy("e.id");
    const members = this.db
      .selectFrom("participants as p")
      .innerJoin("events as e", "e.id", "p.event_id")
      .leftJoin("certificates as c", "c.participant_id", "p.id")
      .selectAll("p")
      .select(["c.id as certificate_id", "c.revoked_at as certificate_revoked_at"])
      .where("p.bar_id", "=", barId)
      .where((eb) => ("eventId" in scope ? eb("e.id", "=", scope.eventId) : eb.and([eb("e.ends_at", ">=", scope.from), eb("e.ends_at", "<", scope.to)])))
      .orderBy("p.position");
    const [eventRows, memberRows] = await Promise.all([events.execute(), members.execute()]);
    const byEvent = new Map<string, BarParticipantList["participants"]>();
    for (const r of memberRows) {
      const list = byEvent.get(r.event_id) ?? byEvent.set(r.event_id, []).get(r.event_id)!;
      list.push({ ...participant(r), certificateId: r.certificate_id, revoked: r.certificate_revoked_at !== null });
    }
    return eventRows.map((r) => ({ event: event(r), participants: byEvent.get(r.id) ?? [] }));
  }

  async listCoOrganisedEvents(barId: string): Promise<CleEvent[]> {
    const rows = await this.db.selectFrom("events").selectAll().where("co_organiser_bar_id", "=", barId).orderBy("created_at", "desc").orderBy("id").limit(500).execute();
    return rows.map(event);
  }

  async decideCoOrganisation(eventId: string, barId: string, state: Exclude<CoOrganisationState, "pending">, at: string, by: string, audit?: AuditedWrite): Promise<boolean> {
    const update = this.db
      .updateTable("events")
      .set({ co_organisation_state: state, co_organisation_decided_at: at, co_organisation_decided_by: by })
      .where("id", "=", eventId)
      .where("co_organiser_bar_id", "=", barId)
      .where("co_organisation_state", "=", "pending")
      .compile();
    try {
      // Audited, a concurrent second answer is refused by the entry's once-only key, so it logs nothing either.
      const [r] = await auditedAtomic(this.store, [update], audit && { ...audit, onceKey: `co-organisation.answered:${eventId}` });
      return Number(r!.numAffectedRows ?? 0n) === 1;
    } catch (e) {
      if (audit && isUniqueViolation(e)) return false;
      throw e;
    }
  }

  async putAnnouncement(a: Announcement): Promise<void> {
    const row = announcementRow(a);
    const { event_id: _, announced_at: __, ...changed } = row;
    // One statement: a second announcement of the same event replaces the first, never adds a row beside it.
    await this.db.insertInto("event_announcements").values(row).onConflict((oc) => oc.column("event_id").doUpdateSet(changed)).execute();
  }

  async getAnnouncement(eventId: string): Promise<Announcement | undefined> {
    const r = await this.db.selectFrom("event_announcements").selectAll().where("event_id", "=", eventId).executeTakeFirst();
    return r && announcement(r);
  }

  async deleteAnnouncement(eventId: string): Promise<boolean> {
    const r = await this.db.deleteFrom("event_announcements").where("event_id", "=", eventId).executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  }

  async listAnnounced(q: AnnouncedQuery): Promise<AnnouncedEvent[]> {
    let query = this.db
      .selectFrom("event_announcements as a")
      .innerJoin("events as e", "e.id", "a.event_id")
      .selectAll("e")
      .select(["a.announced_at", "a.updated_at", "a.description", "a.city", "a.venue", "a.link", "a.fee_kind", "a.fee_amount_tenge", "a.fee_sponsor", "a.seats"])
      .where("e.ends_at", ">", q.endsAfter);
    if (q.startsBefore !== undefined) query = query.where("e.starts_at", "<", q.startsBefore);
    if (q.partyId !== undefined) query = query.where("e.party_id", "=", q.partyId);
    if (q.programme !== undefined) query = query.where("e.programme", "=", q.programme);
    if (q.form !== undefined) query = query.where("e.form", "=", q.form);
    if (q.deliveryMode !== undefined) query = query.where("e.delivery_mode", "=", q.deliveryMode);
    if (q.freeOnly) query = query.where("a.fee_kind", "in", [...FREE_FOR_ADVOCATES]);
    const rows = await query.orderBy("e.starts_at").orderBy("e.id").limit(q.limit).execute();
    return rows.map((r) => ({ event: event(r), announcement: announcement({ ...r, event_id: r.id }) }));
  }

  async allocateStatusEntries(partyId: string, purpose: StatusList["purpose"], count: number, size: number, now: string): Promise<StatusAllocation[]> {
    const out: StatusAllocation[] = [];
    let remaining = count;
    while (remaining > 0) {
      const list = await this.db
        .selectFrom("status_lists")
        .select(["id", "size", "allocated"])
        .where("party_id", "=", partyId)
        .where("purpose", "=", purpose)
        .where(sql<boolean>`allocated < size`)
        .orderBy("created_at", "desc")
        .orderBy("id")
        .executeTakeFirst();
      if (!list) {
        await this.db.insertInto("status_lists").values({ id: newId(16), party_id: partyId, purpose, size, allocated: 0, created_at: now }).execute();
        continue;
      }
      const take = Math.min(remaining, list.size - list.allocated);
      // One statement claims the range, so concurrent issuers (other connections, other instances) never share one.
      const claimed = await this.db
        .updateTable("status_lists")
        .set({ allocated: sql`allocated + ${take}` })
        .where("id", "=", list.id)
        .where(sql<boolean>`allocated + ${take} <= size`)
        .returning("allocated")
        .executeTakeFirst();
      if (!claimed) continue; // someone else took the room first: look again
      const end = Number(claimed.allocated);
      out.push({ listId: list.id, counters: Array.from({ length: take }, (_, i) => end - take + i) });
      remaining -= take;
    }
    return out;
  }

  async getStatusList(id: string): Promise<StatusList | undefined> {
    const r = await this.db.selectFrom("status_lists").selectAll().where("id", "=", id).executeTakeFirst();
    return r && { id: r.id, partyId: r.party_id, purpose: r.purpose as StatusList["purpose"], size: Number(r.size), allocated: Number(r.allocated) };
  }

  async listStatusIndexesSet(listId: string): Promise<number[]> {
    const rows = await this.db
      .selectFrom("certificates")
      .select("status_index")
      .where("status_list_id", "=", listId)
      .where("revoked_at", "is not", null)
      // Bits that are not a certificate's revocation: VC API credentials' entries and suspensions (migration 0002).
      .union((eb) => eb.selectFrom("status_entries").select("status_index").where("list_id", "=", listId).where("set_at", "is not", null))
      .execute();
    return rows.map((r) => Number(r.status_index));
  }

  async insertCertificates(certificates: StoredCertificate[], messages: NewOutboxMessage[] = [], audit?: AuditedWrite): Promise<void> {
    const rows = certificates.map(certificateRow);
    const documents = certificates.map((c) => ({ certificate_id: c.id, jwt: c.jwt }));
    // Issue 13: the messages that deliver these certificates go in the same atomic write, after them (each row
    // references its certificate): a certificate never exists without its message, nor a message without it. Issue
    // 18: likewise its signed document (migration 0029), kept apart from the row reports read.
    const queries = [
      ...[...chunks(rows, rowsPerInsert(this.store, CERTIFICATE_COLUMNS))].map((chunk) => this.db.insertInto("certificates").values(chunk).compile()),
      ...[...chunks(documents, rowsPerInsert(this.store, DOCUMENT_COLUMNS))].map((chunk) => this.db.insertInto("certificate_documents").values(chunk).compile()),
      ...outboxInserts(this.store, messages),
    ];
    try {
      await auditedAtomic(this.store, queries, audit);
    } catch (e) {
      if (isUniqueViolation(e)) throw keyedError("conflict", STORAGE_DETAIL_TEMPLATES, "storage-certified-concurrently");
      throw e;
    }
  }

  /** Certificates with their signed documents: only the reads that hand out a whole certificate join them. */
  private withDocuments() {
    return this.db.selectFrom("certificates as c").innerJoin("certificate_documents as d", "d.certificate_id", "c.id").selectAll("c").select("d.jwt");
  }

  async getCertificate(id: string): Promise<StoredCertificate | undefined> {
    const r = await this.withDocuments().where("c.id", "=", id).executeTakeFirst();
    return r && certificate(r);
  }

  async listCertificatesByIdPrefix(prefix: string, limit: number): Promise<StoredCertificate[]> {
    if (!/^[0-9a-z]{1,40}$/.test(prefix)) throw new RangeError("not a certificate id prefix");
    // A range on the primary key, not LIKE (which SQLite's index does not serve, nor PostgreSQL's under a linguistic
    // collation). The bound is the prefix with its last character stepped up within [0-9a-z], not `prefix || '~'`:
    // a linguistic collation (en_US) ignores punctuation, so '~' would bound nothing there; letters and digits sort
    // the same under every collation Senim runs on (ids are lower case only).
    const upper = idPrefixUpperBound(prefix);
    let q = this.withDocuments().where("c.id", ">=", prefix);
    if (upper !== undefined) q = q.where("c.id", "<", upper);
    const rows = await q.orderBy("c.id").limit(limit).execute();
    return rows.map(certificate);
  }

  async listCertificates(eventId: string): Promise<StoredCertificate[]> {
    const rows = await this.withDocuments().where("c.event_id", "=", eventId).orderBy("c.issued_at").orderBy("c.id").execute();
    return rows.map(certificate);
  }

  async revokeCertificate(id: string, reason: string, by: string, at: string, audit?: AuditedWrite): Promise<boolean> {
    const update = this.db
      .updateTable("certificates")
      .set({ revoked_at: at, revocation_reason: reason, revoked_by: by })
      .where("id", "=", id)
      .where("revoked_at", "is", null)
      .compile();
    try {
      // Audited, a concurrent second revocation is refused by the entry's once-only key, so it logs nothing either.
      const [r] = await auditedAtomic(this.store, [update], audit && { ...audit, onceKey: `certificate.revoked:${id}` });
      return Number(r!.numAffectedRows ?? 0n) === 1;
    } catch (e) {
      if (audit && isUniqueViolation(e)) return false;
      throw e;
    }
  }

  async getIdempotentResponse(principal: string, key: string, notBefore: string): Promise<IdempotentResponse | undefined> {
    const r = await this.db
      .selectFrom("idempotency_keys")
      .selectAll()
      .where("principal", "=", principal)
      .where("key", "=", key)
      .where("created_at", ">=", notBefore)
      .executeTakeFirst();
    return r && { fingerprint: r.fingerprint, status: Number(r.status), body: r.body };
  }

  async putIdempotentResponse(principal: string, key: string, response: IdempotentResponse, at: string, notBefore: string): Promise<void> {
    await this.store.atomic([
      this.db.deleteFrom("idempotency_keys").where("principal", "=", principal).where("created_at", "<", notBefore).compile(),
      this.db
        .insertInto("idempotency_keys")
        .values({ principal, key, fingerprint: response.fingerprint, status: response.status, body: response.body, created_at: at })
        .onConflict((oc) => oc.columns(["principal", "key"]).doNothing())
        .compile(),
    ]);
  }
}

const eventRow = (e: CleEvent): EventRow => ({
  id: e.id,
  party_id: e.partyId,
  topic: e.topic,
  programme: e.programme,
  form: e.form,
  delivery_mode: e.deliveryMode,
  co_organiser_bar_id: e.coOrganiserBarId,
  place: e.place,
  starts_at: e.startsAt,
  ends_at: e.endsAt,
  duration_minutes: e.durationMinutes,
  trainers: JSON.stringify(e.trainers),
  certificates_valid_until: e.certificatesValidUntil,
  created_at: e.createdAt,
  co_organisation_state: e.coOrganisation?.state ?? null,
  co_organisation_decided_at: e.coOrganisation?.decidedAt ?? null,
  co_organisation_decided_by: e.coOrganisation?.decidedBy ?? null,
});

const event = (r: EventRow): CleEvent => ({
  id: r.id,
  partyId: r.party_id,
  topic: r.topic,
  programme: r.programme as Programme,
  form: r.form as Form,
  deliveryMode: r.delivery_mode as DeliveryMode,
  coOrganiserBarId: r.co_organiser_bar_id,
  place: r.place,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  durationMinutes: Number(r.duration_minutes),
  trainers: JSON.parse(r.trainers),
  certificatesValidUntil: r.certificates_valid_until,
  createdAt: r.created_at,
  // 5.1(3): only an event naming a co-organiser has its answer (absent otherwise, as the domain object leaves it).
  ...(r.co_organiser_bar_id === null
    ? {}
    : { coOrganisation: { state: (r.co_organisation_state as CoOrganisationState | null) ?? "pending", decidedAt: r.co_organisation_decided_at ?? null, decidedBy: r.co_organisation_decided_by ?? null } }),
});

const announcementRow = (a: Announcement): EventAnnouncementRow => ({
  event_id: a.eventId,
  announced_at: a.announcedAt,
  updated_at: a.updatedAt,
  description: a.description,
  city: a.city,
  venue: a.venue,
  link: a.link,
  fee_kind: a.fee.kind,
  fee_amount_tenge: a.fee.kind === "paid" ? a.fee.amountTenge : null,
  fee_sponsor: a.fee.kind === "sponsored" ? a.fee.sponsor : null,
  seats: a.seats,
});

const fee = (r: Pick<EventAnnouncementRow, "fee_kind" | "fee_amount_tenge" | "fee_sponsor">): Fee =>
  r.fee_kind === "paid" ? { kind: "paid", amountTenge: Number(r.fee_amount_tenge) } : r.fee_kind === "sponsored" ? { kind: "sponsored", sponsor: r.fee_sponsor as Sponsor } : { kind: "free" };

const announcement = (r: EventAnnouncementRow): Announcement => ({
  eventId: r.event_id,
  announcedAt: r.announced_at,
  updatedAt: r.updated_at,
  description: r.description,
  city: r.city,
  venue: r.venue,
  link: r.link,
  fee: fee(r),
  seats: r.seats === null ? null : Number(r.seats),
});

const participantRow = (p: Participant): ParticipantRow => ({
  id: p.id,
  event_id: p.eventId,
  licence_number: p.licenceNumber,
  full_name: p.fullName,
  bar_id: p.barId,
  role: p.role,
  email: p.email,
  wallet_did: p.walletDid,
  position: p.position,
  lang: p.lang ?? null,
  attended_minutes: p.attendedMinutes ?? null,
  taught_minutes: p.taughtMinutes ?? null,
});

const participant = (r: ParticipantRow): Participant => ({
  id: r.id,
  eventId: r.event_id,
  licenceNumber: r.licence_number,
  fullName: r.full_name,
  barId: r.bar_id,
  role: r.role as ParticipantRole,
  email: r.email,
  walletDid: r.wallet_did,
  position: Number(r.position),
  lang: (r.lang as Participant["lang"]) ?? null,
  attendedMinutes: r.attended_minutes === null || r.attended_minutes === undefined ? null : Number(r.attended_minutes),
  taughtMinutes: r.taught_minutes === null || r.taught_minutes === undefined ? null : Number(r.taught_minutes),
});

const ID_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

/** The least string above every id that starts with `prefix` (ids are [0-9a-z]); `undefined` for a prefix of z's. */
function idPrefixUpperBound(prefix: string): string | undefined {
  for (let i = prefix.length - 1; i >= 0; i--) {
    const next = ID_ALPHABET.indexOf(prefix[i]!) + 1;
    if (next < ID_ALPHABET.length) return prefix.slice(0, i) + ID_ALPHABET[next];
  }
  return undefined;
}

const certificateRow = (c: StoredCertificate): CertificateRow => ({
  id: c.id,
  event_id: c.eventId,
  participant_id: c.participantId,
  party_id: c.partyId,
  key_id: c.keyId,
  accreditation_id: c.accreditationId,
  status_list_id: c.statusListId,
  status_index: c.statusIndex,
  issued_at: c.issuedAt,
  revoked_at: c.revokedAt,
  revocation_reason: c.revocationReason,
  revoked_by: c.revokedBy,
});

const certificate = (r: CertificateRow & { jwt: string }): StoredCertificate => ({
  id: r.id,
  eventId: r.event_id,
  participantId: r.participant_id,
  partyId: r.party_id,
  keyId: r.key_id,
  accreditationId: r.accreditation_id,
  statusListId: r.status_list_id,
  statusIndex: Number(r.status_index),
  issuedAt: r.issued_at,
  jwt: r.jwt,
  revokedAt: r.revoked_at,
  revocationReason: r.revocation_reason,
  revokedBy: r.revoked_by,
});

/** An event search: any case of the text (`anyCasePatterns`) anywhere in the topic. */
function topicSearch<Q extends { where: (e: (eb: ExpressionBuilder<Database, "events">) => Expression<SqlBool>) => Q }>(q: Q, search: string | undefined): Q {
  const patterns = anyCasePatterns(search);
  if (patterns.length === 0) return q;
  return q.where((eb) => eb.or(patterns.map((p) => sql<SqlBool>`${eb.ref("topic")} like ${p} escape '\\'`)));
}
