/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * The verdict banner: the one thing a court clerk reads (issue 16). Six states, each with its own colour, mark and
 * word, so a revoked certificate never reads like a forgery and "genuine" always says whose and how many hours.
 * The certificate page (/c/{id}) and the result of /verify share it, so both say the same thing the same way.
 */
import type { Check, CheckCode, VerificationResult } from "../../credentials/verify.js";
import { kzDate } from "../../domain/time.js";
import { fillTemplate } from "../../lib/csv.js";
import { CHECK_NAMES, checkDetail, T, t, VERDICT_T, type Lang } from "../i18n.js";
import { formatNumber } from "../reports/numbers.js";

export type VerdictState = "genuine" | "revoked" | "suspended" | "expired" | "not-genuine" | "unchecked";

export interface Verdict {
  state: VerdictState;
  /** The check that decided it: the first failed one, the status or validity that lapsed, the first not checked. */
  check?: Check;
}

/**
 * Failures that say the certificate was genuine but no longer counts (its issuer or bar acted on it, or its time ran
 * out), by the state they put it in; a revocation outranks a suspension, which outranks an expiry.
 */
const LAPSES: readonly [CheckCode, VerdictState][] = [
  ["revoked", "revoked"],
  ["suspended", "suspended"],
  ["expired", "expired"],
];

/**
 * The state of a verification result. Any failure other than a lapse is "not genuine", whatever else holds: a forgery
 * that is also revoked is a forgery. A result with no failure that is still not verified had a check that could not
 * run (the status list was unreachable): that is "could not check", never "not genuine".
 */
export function verdictOf(result: VerificationResult): Verdict {
  const failed = result.checks.filter((c) => c.outcome === "failed");
  const forged = failed.find((c) => !LAPSES.some(([code]) => code === c.code));
  if (forged) return { state: "not-genuine", check: forged };
  for (const [code, state] of LAPSES) {
    const lapsed = failed.find((c) => c.code === code);
    if (lapsed) return { state, check: lapsed };
  }
  if (!result.verified) return { state: "unchecked", check: result.checks.find((c) => c.outcome !== "passed") };
  return { state: "genuine" };
}

/** The banner's class: `ok` and `bad` as before (tests and print styles key on them), the others by their state. */
const CLASSES: Record<VerdictState, string> = {
  genuine: "verdict ok",
  "not-genuine": "verdict bad",
  revoked: "verdict revoked",
  suspended: "verdict suspended",
  expired: "verdict expired",
  unchecked: "verdict unchecked",
};

/** A mark beside the word, so colour is never the only signal (and a revocation's mark is not a forgery's cross). */
const MARKS: Record<VerdictState, string> = { genuine: "✔", "not-genuine": "✘", revoked: "⊘", suspended: "‖", expired: "⌛", unchecked: "?" };

export interface Revocation {
  /** When it was revoked (an instant, UTC). */
  at: string;
  reason: string | null;
}

export function VerdictBanner(props: { lang: Lang; result: VerificationResult; revocation?: Revocation | null }) {
  const { lang, result } = props;
  const verdict = verdictOf(result);
  const { state, check } = verdict;
  const s = result.summary;
  const title =
    state === "genuine" ? t(result.profile === "certificate" ? T.genuine : T.genuineNotCertificate, lang)
    : state === "not-genuine" ? t(T.notGenuine, lang)
    : state === "unchecked" ? t(VERDICT_T.unchecked, lang)
    : t(VERDICT_T[state], lang);
  const checkLine = check && (
    <>
      <strong>{CHECK_NAMES[check.check]?.[lang] ?? check.check}</strong> — {checkDetail(check, lang)}
    </>
  );
  return (
    <section class={CLASSES[state]} role="status" data-verdict={state} aria-labelledby="verdict-title">
      <h1 id="verdict-title">
        <span class="verdict-mark" aria-hidden="true">{MARKS[state]}</span> {title}
      </h1>
      {state === "revoked" && (
        <>
          <p class="verdict-lead" data-verdict-part="revoked-on">
            {props.revocation ? fillTemplate(t(VERDICT_T.revokedOn, lang), { date: kzDate(props.revocation.at) }) : t(VERDICT_T.revokedNoDate, lang)}
          </p>
          {props.revocation?.reason && (
            <p class="verdict-lead" data-verdict-part="reason">
              <strong>{t(T.revokedReason, lang)}:</strong> {props.revocation.reason}
            </p>
          )}
        </>
      )}
      {state === "suspended" && <p class="verdict-lead">{t(VERDICT_T.suspendedWhat, lang)}</p>}
      {state === "expired" && (
        <p class="verdict-lead" data-verdict-part="expired-on">
          {s?.validUntil ? fillTemplate(t(VERDICT_T.expiredOn, lang), { date: kzDate(s.validUntil) }) : t(VERDICT_T.expiredNoDate, lang)}
        </p>
      )}
      {state === "not-genuine" && checkLine && (
        <p class="verdict-lead" data-verdict-part="first-failed">
          {t(VERDICT_T.firstFailed, lang)}: {checkLine}
        </p>
      )}
      {state === "unchecked" && (
        <>
          {checkLine && (
            <p class="verdict-lead" data-verdict-part="not-checked">
              {t(VERDICT_T.notChecked, lang)}: {checkLine}
            </p>
          )}
          <p class="verdict-lead" data-verdict-part="what-to-do">{t(VERDICT_T.uncheckedWhat, lang)}</p>
        </>
      )}
      {/* Whose and how many hours, from the verified credential and the registry; never for a credential that failed,
          whose claims nobody vouches for. data-verdict-fact, not data-field: the page's script reads data-field. */}
      {s && state !== "not-genuine" && (
        <dl class="verdict-facts">
          <div class="verdict-who">
            <dt>{t(T.participant, lang)}</dt>
            <dd data-verdict-fact="participant">{s.participant.name}</dd>
          </div>
          <div>
            <dt>{t(T.organiser, lang)}</dt>
            <dd data-verdict-fact="organiser">{s.issuer.name}</dd>
          </div>
          <div>
            <dt>{t(T.topic, lang)}</dt>
            <dd data-verdict-fact="topic">{s.topic}</dd>
          </div>
          <div>
            <dt>{t(T.hours, lang)}</dt>
            <dd data-verdict-fact="hours">{formatNumber(s.academicHours, lang, 1)}</dd>
          </div>
        </dl>
      )}
    </section>
  );
}
