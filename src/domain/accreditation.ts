import { RBA_ID, type AccreditationCriterion, type Form, type PartyKind, type Programme, type WithdrawalGround } from "./catalog.js";
import { keyedError } from "./errors.js";

/** The refusals of accreditation decisions, in English with `{name}` values (kk and ru: the catalogues' problemDetails). */
export const ACCREDITATION_DETAIL_TEMPLATES = {
  "accreditation-already-withdrawn": "This accreditation has already been withdrawn.",
  "accreditation-withdrawal-needs-violations": "9.2: withdrawal for repeated violations needs at least {required} recorded violations; {count} recorded.",
  "accreditation-rba-accredits": "4.1(4): the RBA's presidium accredits organisations and trainers; a centre is accredited by a territorial bar (3.1(5)).",
  "accreditation-trainer-licence": "9.1(1): an education licence is a criterion of educational organisations; a trainer is accredited on 9.1(2)–(4).",
  "accreditation-no-criteria": "9.1: an accreditation must name at least one criterion met, with evidence.",
  "accreditation-criterion-twice": "9.1: criterion {criterion} is listed twice.",
  "accreditation-valid-until-before-from": "validUntil must be after validFrom.",
} as const;

export interface CriterionEvidence {
  criterion: AccreditationCriterion;
  evidence: string;
}

/** A presidium's decision to accredit (9.1). Immutable once recorded: later facts are violations and withdrawals. */
export interface Accreditation {
  id: string;
  partyId: string;
  barId: string;
  decisionNumber: string;
  decisionDate: string;
  criteria: CriterionEvidence[];
  /** `null` means every programme (10.1). */
  programmes: Programme[] | null;
  /** `null` means every form (5.1). */
  forms: Form[] | null;
  validFrom: string;
  validUntil: string | null;
  withdrawal: Withdrawal | null;
  violationCount: number;
}

export interface Withdrawal {
  ground: WithdrawalGround;
  decisionNumber: string;
  decisionDate: string;
  effectiveFrom: string;
  reason: string;
}

/** Why an accreditation does not cover an activity, or `covered`. */
export type Coverage = "covered" | Refusal;
export type Refusal = "not-yet-valid" | "expired" | "withdrawn" | "programme-out-of-scope" | "form-out-of-scope";

/** A stretch of time, both ends RFC 3339 instants: the days an event's training was given (`startsAt`..`endsAt`). */
export interface Span {
  from: string;
  to: string;
}

/**
 * Whether an accreditation covers training in `programme` and `form` given at instant `when`, or over the whole
 * span `when` (5.1(1), 7.1: training is given *by* accredited providers, so what counts is the days it was given,
 * not the day its certificate is signed). History matters (architecture, trust model): a withdrawal or an expiry
 * voids only what is given from then on, never training given while the accreditation stood.
 */
export function coverage(a: Accreditation, programme: string, form: string, when: string | Span): Coverage {
  const { from, to } = typeof when === "string" ? { from: when, to: when } : when;
  if (Date.parse(from) < Date.parse(a.validFrom)) return "not-yet-valid";
  if (a.validUntil !== null && Date.parse(to) >= Date.parse(a.validUntil)) return "expired";
  if (a.withdrawal !== null && Date.parse(to) >= Date.parse(a.withdrawal.effectiveFrom)) return "withdrawn"; // 9.2
  if (a.programmes !== null && !a.programmes.includes(programme as Programme)) return "programme-out-of-scope";
  if (a.forms !== null && !a.forms.includes(form as Form)) return "form-out-of-scope";
  return "covered";
}

/**
 * The accreditation that covers the activity (at an instant, or over a span), or a reason to refuse. One decision
 * must cover the whole span. When several cover it, the earliest granted wins, so the same certificate always names
 * the same decision.
 */
export function findCoveringAccreditation(
  accreditations: readonly Accreditation[],
  programme: string,
  form: string,
  at: string | Span,
): { accreditation: Accreditation } | { refusal: Refusal } {
  const sorted = [...accreditations].sort((x, y) => x.validFrom.localeCompare(y.validFrom) || x.id.localeCompare(y.id));
  let best: Refusal | undefined;
  for (const a of sorted) {
    const c = coverage(a, programme, form, at);
    if (c === "covered") return { accreditation: a };
    best = moreSpecific(best, c);
  }
  return { refusal: best ?? "not-yet-valid" };
}

// When nothing covers, report the reason closest to success: scope problems are more useful than "not yet valid".
const SPECIFICITY: Refusal[] = ["not-yet-valid", "expired", "withdrawn", "form-out-of-scope", "programme-out-of-scope"];
function moreSpecific(a: Refusal | undefined, b: Refusal): Refusal {
  if (a === undefined) return b;
  return SPECIFICITY.indexOf(b) > SPECIFICITY.indexOf(a) ? b : a;
}

/** 9.2.2: withdrawal for repeated violations needs two or more recorded violations. */
export const MIN_VIOLATIONS_FOR_WITHDRAWAL = 2;

/**
 * 9.2(2): withdrawal after two or more violations "жүргізіледі" — is carried out, not may be. The decision is still
 * the presidium's (its number and date), so Senim does not withdraw by itself; it marks the accreditation as due for
 * withdrawal wherever the deciding bar looks at it.
 */
export function withdrawalDue(a: Pick<Accreditation, "withdrawal" | "violationCount">): boolean {
  return a.withdrawal === null && a.violationCount >= MIN_VIOLATIONS_FOR_WITHDRAWAL;
}

export function assertWithdrawalAllowed(a: Pick<Accreditation, "withdrawal" | "violationCount">, ground: WithdrawalGround): void {
  if (a.withdrawal !== null) {
    throw keyedError("already_withdrawn", ACCREDITATION_DETAIL_TEMPLATES, "accreditation-already-withdrawn");
  }
  if (ground === "repeated-violations" && a.violationCount < MIN_VIOLATIONS_FOR_WITHDRAWAL) {
    throw keyedError(
      "withdrawal_refused",
      ACCREDITATION_DETAIL_TEMPLATES,
      "accreditation-withdrawal-needs-violations",
      { required: MIN_VIOLATIONS_FOR_WITHDRAWAL, count: a.violationCount },
      { extra: { violationCount: a.violationCount, required: MIN_VIOLATIONS_FOR_WITHDRAWAL } },
    );
  }
}

/**
 * 9.1 and who decides: the decision's own consistency, and whether this bar may accredit this kind of provider on
 * this criterion.
 * - 4.1(4): the RBA's presidium accredits organisations and trainers ("ұйымдарды жəне оқытушыларды"), not centres;
 *   3.1(5): centres — a territorial bar's own, another's, or the RBA's — are accredited by territorial bars.
 * - 9.1(1): the education licence is the criterion of educational organisations running educational programmes; a
 *   trainer, a person, cannot hold one, so it cannot be the ground of a trainer's accreditation.
 */
export function assertAccreditationDecision(d: { barId: string; partyKind: PartyKind; criteria: CriterionEvidence[]; validFrom: string; validUntil: string | null }): void {
  if (d.barId === RBA_ID && d.partyKind === "centre") {
    throw keyedError("rule_violated", ACCREDITATION_DETAIL_TEMPLATES, "accreditation-rba-accredits");
  }
  if (d.partyKind === "trainer" && d.criteria.some((c) => c.criterion === "education-licence")) {
    throw keyedError("rule_violated", ACCREDITATION_DETAIL_TEMPLATES, "accreditation-trainer-licence");
  }
  if (d.criteria.length === 0) {
    throw keyedError("rule_violated", ACCREDITATION_DETAIL_TEMPLATES, "accreditation-no-criteria");
  }
  const seen = new Set<string>();
  for (const c of d.criteria) {
    if (seen.has(c.criterion)) throw keyedError("rule_violated", ACCREDITATION_DETAIL_TEMPLATES, "accreditation-criterion-twice", { criterion: c.criterion });
    seen.add(c.criterion);
  }
  if (d.validUntil !== null && Date.parse(d.validUntil) <= Date.parse(d.validFrom)) {
    throw keyedError("rule_violated", ACCREDITATION_DETAIL_TEMPLATES, "accreditation-valid-until-before-from");
  }
}

/**
 * Whether the accreditation is in force at `at`, whatever the programme and form: for credentials that are not
 * certificates of an event (issued through the W3C VC API), which name no programme or form.
 */
export function inForceAt(a: Accreditation, at: string): boolean {
  const c = coverage(a, a.programmes?.[0] ?? "", a.forms?.[0] ?? "", at);
  return c === "covered";
}
