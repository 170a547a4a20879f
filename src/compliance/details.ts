/**
 * The refusals of a bar's bookkeeping (members, suspensions, policy, self-recorded hours, the annual analysis), of
 * outside certificates sent for review, of closing a year (12.1, 12.2, 13.1) and of annual attestations, in English
 * with `{name}` values; kk.ts and ru.ts translate each key. A file of its own so the catalogues need not load the
 * services.
 */
export const COMPLIANCE_DETAIL_TEMPLATES = {
  "compliance-bar-unknown": "No territorial bar {id}.",
  "compliance-self-hours-problems": "{count} problem(s) in the self-recorded hours; nothing was stored.",
  "compliance-members-file-empty": "The file has no rows after its header; nothing was stored.",
  "compliance-member-unknown": "No member with licence {licence} in {bar}.",
  "compliance-member-none": "No such member.",
  "compliance-suspension-dates-invalid": "The suspension's dates are not dates.",
  "compliance-suspension-ends-before-start": "A suspension cannot end before it starts.",
  "compliance-suspension-unknown": "No such suspension.",
  "compliance-foundations-minimum-invalid": "foundationsMinimumMinutes must be whole minutes from 1 to {max}, or null for any length; nothing was stored.",
  "compliance-self-entries-too-many": "At most {max} self-recorded entries a year; change or delete one instead.",
  "compliance-self-entry-unknown": "No self-recorded entry {id} of yours.",
  "analysis-bar-unknown": "No bar {id}.",
} as const;

/** `{status}` of `submission-already-decided` is a text of its own (`submission-status-…`), as are its fallbacks. */
export const SUBMISSION_DETAIL_TEMPLATES = {
  "submission-not-a-member": "Licence {licence} is not a member of {bar}: a bar reviews its own members' certificates only.",
  "submission-attachment-required": "Attach a scan or PDF of the certificate, or its signed credential file (.jwt or .json), or both.",
  "submission-problems": "{count} problem(s) in the submission; nothing was stored.",
  "submission-attachment-too-large": "The attachment is {bytes} bytes; at most {max} bytes (10 MB) are accepted. Nothing was stored.",
  "submission-attachment-type": "The attachment is not a PDF, JPEG or PNG file (judged by its contents, not its name). Scan the certificate to PDF, JPEG or PNG; nothing was stored.",
  "submission-credential-too-large": "A credential file may be at most {max} bytes.",
  "submission-credential-not-utf8": "The credential file is not UTF-8 text: send the .jwt or .json file the issuer gave you.",
  "submission-credential-not-json": "The credential file is not valid JSON.",
  "submission-credential-no-object": "The credential file holds no credential object.",
  "submission-credential-not-vc": "The credential file is not a verifiable credential: {why}",
  "submission-issued-by-senim": "This certificate was issued by Senim: it is credited by presenting it to your bar (from your wallet or at the bar's desk), not as an outside certificate. Nothing was stored.",
  "submission-unknown": "No submission {id} in {bar}.",
  "submission-no-attachment": "This submission has no attachment.",
  "submission-credited-hours-invalid": "creditedHours must be positive academic hours with at most one decimal (10.6).",
  "submission-credit-above-claim": "The bar may credit at most the {hours} academic hours claimed.",
  "submission-member-left": "Licence {licence} is no longer a member of {bar}: its certificates are not this bar's to credit.",
  "submission-reason-required": "Give the reason the advocate will read (1 to 2000 characters).",
  "submission-already-decided": "This submission was already {status} by {by} at {at}; decisions are final.",
  "submission-status-accepted": "accepted",
  "submission-status-rejected": "rejected",
  "submission-decided-by-someone": "someone",
  "submission-decided-earlier": "an earlier time",
} as const;

/** `{status}` of `closing-member-not-short` is a text of its own (`closing-status-…`, the member's status). */
export const CLOSING_DETAIL_TEMPLATES = {
  "closing-closed-on-invalid": "closedOn must be a date YYYY-MM-DD.",
  "closing-year-not-ended": "{year} has not ended in Kazakhstan: a year is closed only after 31 December (12.2).",
  "closing-closed-on-outside": "closedOn must be after {year} and not after today ({today}).",
  "closing-nothing-to-reopen": "{year} is not closed for {bar}: there is nothing to reopen.",
  "closing-measure-incomplete": "The measure needs a decision and its date; nothing was stored.",
  "closing-decided-on-outside": "decidedOn must be after {year} and not after today.",
  "closing-measure-year-open": "{year} is not closed for {bar}: measures are recorded for the members short in a closed year (12.1).",
  "closing-member-not-listed": "The closed report of {year} lists no member with licence {licence}.",
  "closing-member-not-short": "The member with licence {licence} is not short in the closed report of {year} ({status}): measures are for those short (12.1, 13.1).",
  "closing-status-met": "met",
  "closing-status-exempt": "exempt",
  "closing-status-no-policy": "no-policy",
  "closing-year-open": "{year} is not closed for {bar}.",
  "closing-unknown": "No closing {id} of {bar}'s {year}.",
  "closing-snapshot-missing": "The snapshot of closing {id} is missing.",
  "closing-already-closed": "{year} is already closed for {bar}: reopen it (with a reason) before closing it again.",
  "closing-reopen-reason-invalid": "A year is reopened only with a reason: 1 to {max} characters; nothing was stored.",
} as const;

export const ATTESTATION_DETAIL_TEMPLATES = {
  "attestation-year-open": "{year} is not closed for {bar}: attestations are issued for a closed year (12.2).",
  "attestation-unknown": "No such attestation.",
  "attestation-reason-invalid": "An attestation is revoked only with a reason of 1 to {max} characters; nothing was stored.",
  "attestation-already-revoked": "The attestation is revoked already.",
} as const;
