/**
 * The outbox (issue 13): every message to a person is a row written in the same atomic write as the fact it reports,
 * and a sender drains the rows with retries. Pure rules here: states, backoff, the Message-ID.
 *
 * Guarantees (docs/design.md "The outbox"):
 * - nothing lost: the row exists exactly when the certificate does (one atomic write);
 * - nothing queued twice: one row per (certificate, kind), by a unique key;
 * - at least once, and twice only with the same Message-ID: a sender that crashes after the mail server accepted a
 *   message but before the row says `sent` sends it again when its lease lapses, under the Message-ID fixed by the
 *   row (id and resend generation), so the receiving side can tell it is the same message.
 */
/**
 * `advocate_code`: an advocate's sign-in code at /me (migration 0011); the row's id is the code's id, no certificate.
 * `reminder`: a member short of the year's requirement, on a date the bar set (migration 0012); the row's id is the
 * reminder's, no certificate.
 */
export type OutboxKind = "certificate" | "advocate_code" | "reminder";
export type OutboxStatus = "queued" | "sending" | "sent" | "failed" | "no_address";
export type MessageLang = "kk" | "ru" | "en";

export interface NewOutboxMessage {
  id: string;
  kind: OutboxKind;
  certificateId: string;
  eventId: string;
  participantId: string;
  /** `null`: no address on the participant list or the member record; the row says so (`no_address`). */
  toAddress: string | null;
  lang: MessageLang | null;
  createdAt: string;
}

/** A row as claimed: a sign-in code's message (`advocate_code`) names no certificate, event or participant. */
export interface OutboxMessage extends Omit<NewOutboxMessage, "certificateId" | "eventId" | "participantId"> {
  certificateId: string | null;
  eventId: string | null;
  participantId: string | null;
  status: OutboxStatus;
  attempts: number;
  generation: number;
  nextAttemptAt: string;
  leaseUntil: string | null;
  leaseToken: string | null;
  messageId: string | null;
  lastError: string | null;
  updatedAt: string;
  sentAt: string | null;
}

export interface DeliveryPolicy {
  /** Attempts before a transient failure becomes `failed`. */
  maxAttempts: number;
  /** The first retry's delay; each further one doubles it, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** How long a claimed row is the claimer's; after that another sender may claim it (the first one crashed). */
  leaseMs: number;
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = { maxAttempts: 8, baseDelayMs: 60_000, maxDelayMs: 6 * 3_600_000, leaseMs: 120_000 };

/** Exponential backoff after the `attempts`-th failed attempt (1 → base, 2 → 2·base, …), capped. */
export function retryDelayMs(attempts: number, policy: Pick<DeliveryPolicy, "baseDelayMs" | "maxDelayMs">): number {
  const exp = Math.max(0, attempts - 1);
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(exp, 30));
}

/**
 * The Message-ID of a row's current generation (RFC 5322 §3.6.4): fixed by the row, so a message re-sent after a
 * crash carries the same one; a deliberate resend (a new generation) is a new message, which a client that hides
 * duplicates by Message-ID must still show.
 */
export function messageIdFor(rowId: string, generation: number, publicHost: string): string {
  return `<${rowId}.${generation}@${publicHost}>`;
}

/** What the provider sees per participant. */
export type DeliveryState = OutboxStatus | "retrying";

export function deliveryState(m: Pick<OutboxMessage, "status" | "attempts">): DeliveryState {
  if (m.status === "queued" && m.attempts > 0) return "retrying";
  return m.status;
}
