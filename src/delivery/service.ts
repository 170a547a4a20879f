/**
 * Delivery (issue 13): the certificate's message to its participant, through the outbox (src/domain/outbox.ts).
 * The issuing write queues the rows; `drain` sends them through a `MailTransport` (SMTP on Node, an HTTP mail API on
 * Workers; both in src/runtime) and records the outcome; the provider sees and resends per participant.
 *
 * The participant's survey link (7.5) is a secret the database must not hold recoverably. It is minted at send time,
 * not carried in the row: the token is derived from the row id and its resend generation under a KEK-derived MAC key
 * (so a message re-sent after a crash carries the same link as the copy the server already accepted), and only its
 * HMAC is written (survey_links), replacing any earlier link of the certificate. Nothing in the database alone gives
 * the token back; encrypting it into the row would have kept a recoverable copy of every participant's secret for
 * as long as the row lives, for no gain.
 */
import { assertIsProvider, type Principal } from "../domain/authz.js";
import { keyedError } from "../domain/errors.js";
import {
  DEFAULT_DELIVERY_POLICY,
  deliveryState,
  messageIdFor,
  retryDelayMs,
  type DeliveryPolicy,
  type DeliveryState,
  type OutboxMessage,
  type OutboxStatus,
} from "../domain/outbox.js";
import { toInstant } from "../domain/time.js";
import { DELIVERY_DETAIL_TEMPLATES } from "./details.js";
import { newId } from "../lib/ids.js";
import type { IssuanceService } from "../issuance/service.js";
import { memberKey } from "../issuance/service.js";
import type { RegistryService } from "../registry/service.js";

export interface OutboxStore {
  /** Claims up to `limit` due rows for this sender (one `UPDATE … RETURNING`): `sending`, leased until `leaseUntil`. */
  claim(now: string, leaseUntil: string, leaseToken: string, limit: number): Promise<OutboxMessage[]>;
  /** Only the holder of the claim may record an outcome; `false` when the claim is gone (lapsed and taken). */
  markSent(id: string, leaseToken: string, messageId: string, at: string): Promise<boolean>;
  markRetry(id: string, leaseToken: string, nextAttemptAt: string, error: string, at: string): Promise<boolean>;
  markFailed(id: string, leaseToken: string, error: string, at: string): Promise<boolean>;
  get(id: string): Promise<OutboxMessage | undefined>;
  listForEvent(eventId: string): Promise<OutboxMessage[]>;
  /** Starts the rows over as a new generation (new Message-ID), with the address given; rows being sent are skipped. */
  requeue(updates: { id: string; toAddress: string | null }[], at: string): Promise<number>;
  memberEmails(members: { barId: string; licence: string }[]): Promise<Map<string, string>>;
  countByStatus(): Promise<Record<OutboxStatus, number>>;
}

export interface MailAttachment {
  filename: string;
  contentType: string;
  content: Uint8Array;
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** RFC 5322 Message-ID with angle brackets, fixed per outbox row and generation. */
  messageId: string;
  /** The language tags of the text (Content-Language). */
  languages: string[];
  attachments: MailAttachment[];
}

/** A refusal by the mail server or API: `permanent` (SMTP 5xx, HTTP 4xx) fails at once, otherwise it is retried. */
export class MailRefused extends Error {
  constructor(readonly reply: string, readonly permanent: boolean) {
    super(reply);
  }
}

/** The port to a mail system. Implementations live in src/runtime (nodemailer, fetch); nothing else knows them. */
export interface MailTransport {
  /** Resolves once the server accepted the message; throws `MailRefused` (or anything, treated as transient). */
  send(message: MailMessage): Promise<void>;
}

/** What goes into the message about its certificate; built in src/http (texts in three languages, the PDF). */
export type MessageComposer = (input: {
  message: OutboxMessage;
  messageId: string;
  /** The participant's survey link, or null (survey answered or certificate revoked). */
  surveyUrl: string | null;
}) => Promise<MailMessage>;

export interface DeliveryRow {
  certificateId: string;
  participantId: string;
  licenceNumber: string;
  fullName: string;
  /** `not_queued`: issued before delivery existed, or without it. */
  state: DeliveryState | "not_queued";
  toAddress: string | null;
  attempts: number;
  lastError: string | null;
  messageId: string | null;
  sentAt: string | null;
  nextAttemptAt: string | null;
}

export interface DrainResult {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
}

/** The survey-token length SurveyService accepts (22 base64url characters). */
const SURVEY_TOKEN_LENGTH = 22;
/** Messages sent at once by one drain: enough to hide SMTP round trips, few enough for one connection pool. */
const SEND_CONCURRENCY = 8;

export class DeliveryService {
  readonly policy: DeliveryPolicy;

  constructor(
    private readonly deps: {
      store: OutboxStore;
      registry: RegistryService;
      issuance: IssuanceService;
      /** Survey links (7.5): the token derivation and the write of its HMAC. */
      surveys: {
        deriveToken(rowId: string, generation: number): Promise<string>;
        putLink(certificateId: string, token: string): Promise<void>;
        isAnswered(certificateId: string): Promise<boolean>;
        surveyUrl(token: string): string;
      };
      policy?: Partial<DeliveryPolicy>;
    },
  ) {
    this.policy = { ...DEFAULT_DELIVERY_POLICY, ...(deps.policy ?? {}) };
  }

  private get host(): string {
    return new URL(this.deps.registry.publicUrl).host;
  }

  messageId(m: Pick<OutboxMessage, "id" | "generation">): string {
    return messageIdFor(m.id, m.generation, this.host);
  }

  /**
   * One round of sending: claims up to `limit` due rows and sends each. Safe to run on many instances at once (a
   * row is claimed by one of them); a crash leaves the claimed rows to be claimed again when their lease lapses.
   */
  async drain(transport: MailTransport, compose: MessageComposer, limit = 50): Promise<DrainResult> {
    const now = this.deps.registry.now();
    const leaseToken = newId(16);
    const rows = await this.deps.store.claim(now, toInstant(Date.parse(now) + this.policy.leaseMs), leaseToken, limit);
    const result: DrainResult = { claimed: rows.length, sent: 0, retried: 0, failed: 0 };
    let next = 0;
    const worker = async () => {
      while (next < rows.length) {
        const row = rows[next++]!;
        const outcome = await this.sendOne(transport, compose, row, leaseToken);
        result[outcome]++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(SEND_CONCURRENCY, rows.length) }, worker));
    return result;
  }

  private async sendOne(transport: MailTransport, compose: MessageComposer, row: OutboxMessage, leaseToken: string): Promise<"sent" | "retried" | "failed"> {
    const messageId = this.messageId(row);
    try {
      if (!row.toAddress) throw new MailRefused("no address", true);
      const message = await compose({ message: row, messageId, surveyUrl: await this.surveyUrlFor(row) });
      await transport.send(message);
    } catch (err) {
      const at = this.deps.registry.now();
      const reply = err instanceof MailRefused ? err.reply : err instanceof Error ? err.message : String(err);
      const permanent = err instanceof MailRefused && err.permanent;
      if (permanent || row.attempts >= this.policy.maxAttempts) {
        await this.deps.store.markFailed(row.id, leaseToken, reply, at);
        return "failed";
      }
      await this.deps.store.markRetry(row.id, leaseToken, toInstant(Date.parse(at) + retryDelayMs(row.attempts, this.policy)), reply, at);
      return "retried";
    }
    // Accepted. A crash before this update re-sends the message later under the same Message-ID (and survey link).
    await this.deps.store.markSent(row.id, leaseToken, messageId, this.deps.registry.now());
    return "sent";
  }

  /** 7.5: the participant's own survey link, minted for this row and generation (see the file comment). */
  private async surveyUrlFor(row: OutboxMessage): Promise<string | null> {
    if (row.certificateId === null) return null; // a sign-in code's message (migration 0011) has no survey
    const cert = await this.deps.issuance.getCertificate(row.certificateId);
    if (!cert || cert.revokedAt || (await this.deps.surveys.isAnswered(cert.id))) return null;
    const token = (await this.deps.surveys.deriveToken(row.id, row.generation)).slice(0, SURVEY_TOKEN_LENGTH);
    await this.deps.surveys.putLink(cert.id, token);
    return this.deps.surveys.surveyUrl(token);
  }

  /** Per participant of the caller's event: what became of their message. */
  async eventDeliveries(principal: Principal, eventId: string): Promise<DeliveryRow[]> {
    assertIsProvider(principal);
    const participants = await this.deps.issuance.listParticipants(principal, eventId); // the caller's event, or not_found
    const byParticipant = new Map((await this.deps.store.listForEvent(eventId)).map((m) => [m.participantId, m]));
    return participants
      .filter((p) => p.certificateId !== null)
      .map((p) => {
        const m = byParticipant.get(p.id);
        return {
          certificateId: p.certificateId!,
          participantId: p.id,
          licenceNumber: p.licenceNumber,
          fullName: p.fullName,
          state: m ? deliveryState(m) : "not_queued",
          toAddress: m?.toAddress ?? null,
          attempts: m?.attempts ?? 0,
          lastError: m?.lastError ?? null,
          messageId: m?.messageId ?? null,
          sentAt: m?.sentAt ?? null,
          nextAttemptAt: m && (m.status === "queued" || m.status === "sending") ? m.nextAttemptAt : null,
        };
      });
  }

  /**
   * Sends again: one participant's message (whatever became of it), or with no certificate named every message of the
   * event that failed or had no address. The address is looked up again (the member record may have gained one).
   */
  async resend(principal: Principal, eventId: string, certificateId?: string): Promise<{ requeued: number }> {
    assertIsProvider(principal);
    const participants = await this.deps.issuance.listParticipants(principal, eventId);
    const messages = await this.deps.store.listForEvent(eventId);
    const chosen = certificateId === undefined ? messages.filter((m) => m.status === "failed" || m.status === "no_address") : messages.filter((m) => m.certificateId === certificateId);
    if (certificateId !== undefined && chosen.length === 0) throw keyedError("not_found", DELIVERY_DETAIL_TEMPLATES, "delivery-message-unknown", { id: JSON.stringify(certificateId) });
    const byId = new Map(participants.map((p) => [p.id, p]));
    const withoutOwn = chosen.map((m) => byId.get(m.participantId ?? "")).filter((p) => p && !p.email) as { barId: string; licenceNumber: string }[];
    const emails = await this.deps.store.memberEmails(withoutOwn.map((p) => ({ barId: p.barId, licence: p.licenceNumber })));
    const updates = chosen.map((m) => {
      const p = byId.get(m.participantId ?? "");
      return { id: m.id, toAddress: p?.email || (p && emails.get(memberKey(p.barId, p.licenceNumber))) || null };
    });
    return { requeued: await this.deps.store.requeue(updates, this.deps.registry.now()) };
  }

  countByStatus(): Promise<Record<OutboxStatus, number>> {
    return this.deps.store.countByStatus();
  }
}
