/**
 * Who may do what. A principal is what a bearer API key stands for; the rules below are the only place that decides.
 */
import { RBA_ID } from "./catalog.js";
import { keyedError, type TextParams } from "./errors.js";

export type Principal =
  | { role: "rba-admin"; keyId: string }
  | { role: "bar-admin"; keyId: string; barId: string }
  | { role: "provider"; keyId: string; partyId: string };

export function describePrincipal(p: Principal): string {
  switch (p.role) {
    case "rba-admin":
      return `rba-admin:${p.keyId}`;
    case "bar-admin":
      return `bar-admin:${p.barId}:${p.keyId}`;
    case "provider":
      return `provider:${p.partyId}:${p.keyId}`;
  }
}

/**
 * The refusals below, in English with `{name}` placeholders: the API gives these texts, the English catalogue takes
 * them as they are (`problemDetails`, src/http/i18n/en.ts) and kk.ts and ru.ts translate each key, so pages and problem
 * documents say them in the reader's language. `{bar}`, `{admin}`, `{admins}`, `{action}` and `{hint}` are texts of
 * their own (the `authz-bar-…`, `authz-admin…`, `authz-action-…` and `authz-hint-…` keys); English names a bar alike
 * whether it acted or owns something, Kazakh and Russian decline it, so each sentence picks the form it needs.
 */
export const AUTHZ_DETAIL_TEMPLATES = {
  // a bar, as who acted (registered a party) and as whose (its decisions, its members)
  "authz-bar-rba": "the RBA",
  "authz-bar-named": "bar {barId}",
  "authz-bar-rba-of": "the RBA",
  "authz-bar-named-of": "bar {barId}",
  // who acts for a bar: its admin (one) or, with the RBA's admin as the registry's operator, its admins
  "authz-admin-rba": "the RBA's admin",
  "authz-admin-bar": "the admin of bar {barId}",
  "authz-admins-bar": "the admin of bar {barId} or the RBA's admin",
  "authz-admins-party-rba": "the party itself or the RBA's admin",
  "authz-admins-party-bar": "the party itself, the admin of bar {barId} or the RBA's admin",
  "authz-admins-provider-rba": "the provider itself or the RBA's admin",
  "authz-admins-provider-bar": "the provider itself, the admin of bar {barId} or the RBA's admin",
  // the closing sentence some refusals add (none: the `hint` value is empty)
  "authz-hint-other-bar": " Your bar ({yourBar}) may record, and act on, only its own accreditation decisions about it.",
  "authz-hint-your-bar": " Your bar is {yourBar}.",
  "authz-hint-rba-answers-own": " The RBA's admin answers for the RBA only.",
  "authz-hint-rba-approves-own": " The RBA's admin records the RBA's own approvals only.",
  "authz-hint-provider-trains": " A provider trains under the content; it does not approve it.",
  "authz-action-violation": "record a violation against",
  "authz-action-withdraw": "withdraw",
  // a party's details and keys, API keys
  "authz-party-details": "Party {partyId} was registered by {bar}: only {admins} may change its details.{hint}",
  "authz-party-keys": "Party {partyId} was registered by {bar}: only {admins} may add or retire its signing keys.{hint}",
  "authz-rba-admin-keys": "Only the RBA's admin may create or revoke rba-admin keys.",
  "authz-bar-admin-keys": "Only {admins} may create or revoke the admin keys of {bar}.",
  "authz-key-party-unknown": "Only the RBA's admin may manage a key whose party is not in the registry.",
  "authz-provider-keys": "Provider {partyId} was registered by {bar}: only {admins} may create or revoke its API keys.{hint}",
  // a bar's own decisions
  "authz-bar-decisions": "Only {admins} may record the decisions of {bar}; your bar is {yourBar}.",
  "authz-bar-decisions-not-provider": "The decisions of {bar} are recorded by {admins}, not by a provider.",
  "authz-co-organisation": "5.1(3): only {admin} may confirm or decline a co-organisation by {bar}, or read its requests: it is that bar's consent to be named on the certificates.{hint}",
  "authz-register-parties": "Only {admins} may register parties for {bar}; your bar is {yourBar}.",
  "authz-register-parties-not-provider": "Parties are registered by a bar's admin or the RBA's admin, not by a provider.",
  "authz-accreditation-action": "This accreditation is a decision of {bar}: only {admins} may {action} it.",
  // providers and their certificates
  "authz-not-that-provider": "Your API key may not act for provider {partyId}.",
  "authz-not-a-provider": "Your API key may not act as a provider.",
  "authz-revoke": "This certificate was issued under the accreditation of {bar}: only the provider that issued it or {admin} may revoke it.",
  "authz-surveys-own-only": "A provider reads its own surveys only.",
  "authz-surveys-bar-scope": "A bar reads the surveys of the providers it accredited through its own scope: GET /api/bars/{yourBar}/surveys.",
  "authz-surveys-of-bar": "Only {admins} may read the surveys of {bar}; your bar is {yourBar}.",
  "authz-surveys-all": "Only the RBA's admin reads every survey.",
  // a bar's members and reports
  "authz-presentations": "Your API key may not ask for presentations to bar {barId}.",
  "authz-ledgers": "Your API key may not read advocates' ledgers.",
  "authz-member-records": "Your API key may not keep the member records of bar {barId}.",
  "authz-bar-reports": "Your API key may not read the reports of bar {barId}.",
  "authz-late-events": "Your API key may not read the events providers recorded late.",
  "authz-review-submissions": "Only {admins} may review the submissions of {bar}'s members; your bar is {yourBar}.",
  "authz-review-submissions-not-provider": "Submissions of outside certificates are reviewed by the member's bar ({admins}), not by a provider.",
  "authz-enter-submissions": "Only {admins} may enter submissions for {bar}'s members; your bar is {yourBar}.",
  "authz-enter-submissions-not-provider": "Submissions are entered by the advocate or by their bar's admin, not by a provider.",
  "authz-reminders": "Only {admins} may set the reminders of {bar} or see whom they reached; your bar is {yourBar}.",
  "authz-reminders-not-provider": "Reminders to members are set by their bar ({admins}), not by a provider.",
  "authz-close-year": "Only {admins} may close or reopen the years of {bar} or record its measures; your bar is {yourBar}.",
  "authz-close-year-not-provider": "A bar's year is closed by the bar ({admins}), not by a provider.",
  "authz-programme-content": "10.3: only {admin} may record the approval of {bar}'s programme content: it is that bar's presidium's decision.{hint}",
  // issue 17: the audit log
  "authz-audit-read": "Only the RBA's admin and a bar's admin (for its own bar's entries) may read the audit log.",
  "authz-audit-checkpoint": "Only the RBA's admin may sign a checkpoint of the audit log.",
} as const;
export type AuthzDetailKey = keyof typeof AUTHZ_DETAIL_TEMPLATES;

/**
 * A 403 whose detail is one of {@link AUTHZ_DETAIL_TEMPLATES}: `parts` name the texts that fill its `{bar}`,
 * `{admins}`… A `{hint}` no part fills is left empty (a catalogue's text is never empty, so "no hint" is a value).
 */
const refuse = (key: AuthzDetailKey, params: TextParams = {}, parts: Record<string, AuthzDetailKey> = {}) =>
  keyedError("forbidden", AUTHZ_DETAIL_TEMPLATES, key, { hint: "", ...params }, { parts });

/** The bar a principal administers: the RBA's admin acts for the RBA (4.1), a bar's admin for that bar (3.1). */
export function administeredBar(p: Principal): string | undefined {
  if (p.role === "rba-admin") return RBA_ID;
  if (p.role === "bar-admin") return p.barId;
  return undefined;
}

/**
 * How the refusals name a bar (the RBA by its role, a territorial bar by its id), as the parts and values of a
 * template: `{bar}` as who acted ("registered by {bar}") or, `of`, as whose ("the decisions of {bar}"), and `{barId}`.
 */
const barName = (barId: string, as: "actor" | "of"): { parts: { bar: AuthzDetailKey }; params: { barId: string } } => ({
  parts: { bar: barId === RBA_ID ? (as === "of" ? "authz-bar-rba-of" : "authz-bar-rba") : as === "of" ? "authz-bar-named-of" : "authz-bar-named" },
  params: { barId },
});
/**
 * Who acts for a bar (`{admins}`): `first` if given, the bar's admin, and the RBA's admin as the registry's operator
 * (one admin when the bar is the RBA), e.g. "the party itself, the admin of bar almaty-city or the RBA's admin".
 */
function adminsOf(barId: string, first?: "party" | "provider"): AuthzDetailKey {
  const rba = barId === RBA_ID;
  if (first === "party") return rba ? "authz-admins-party-rba" : "authz-admins-party-bar";
  if (first === "provider") return rba ? "authz-admins-provider-rba" : "authz-admins-provider-bar";
  return rba ? "authz-admin-rba" : "authz-admins-bar";
}
/** The one admin who answers for a bar (`{admin}`): the RBA's for the RBA, the bar's own for a territorial bar. */
const adminOf = (barId: string): AuthzDetailKey => (barId === RBA_ID ? "authz-admin-rba" : "authz-admin-bar");

/** A refusal that names a bar (`{bar}`, `{barId}`), who acts for it (`{admins}`) and, for a bar's admin, `{yourBar}`. */
function refuseForBar(key: AuthzDetailKey, barId: string, as: "actor" | "of", p: Principal, parts: Record<string, AuthzDetailKey> = {}, params: TextParams = {}) {
  const bar = barName(barId, as);
  return refuse(key, { ...bar.params, ...(p.role === "bar-admin" ? { yourBar: p.barId } : {}), ...params }, { ...bar.parts, ...parts });
}

// ---- who administers a party (3.1, 4.1, 8.1) ---------------------------------------------------------------------
//
// Administration follows registration. A party's details, signing keys and API keys belong to the bar that
// registered it (`party.barId`) and to the RBA, the registry's operator; the party itself also keeps its own keys.
// Any bar may accredit any party (9.1: that is its presidium's decision), but accrediting gives it no hold over the
// party: it acts only on its own decisions (violations, withdrawal, certificates issued under them).

/** A party as the rules see it: its id and the bar that registered it. */
export interface PartyRef {
  id: string;
  barId: string;
}

/** The RBA's admin, or the admin of the bar that registered the party. */
export function mayAdministerParty(p: Principal, party: PartyRef): boolean {
  return p.role === "rba-admin" || (p.role === "bar-admin" && p.barId === party.barId);
}

/** What a bar's admin that did not register the party may do instead (`{hint}`), so a refusal says where to go. */
const otherBarHint = (p: Principal, party: PartyRef): Record<string, AuthzDetailKey> =>
  p.role === "bar-admin" && p.barId !== party.barId ? { hint: "authz-hint-other-bar" } : {};

/** A party's details (name, kind, website): the bar that registered it, or the RBA. */
export function assertMayUpdatePartyDetails(p: Principal, party: PartyRef): void {
  if (mayAdministerParty(p, party)) return;
  throw refuseForBar("authz-party-details", party.barId, "actor", p, { admins: adminsOf(party.barId), ...otherBarHint(p, party) }, { partyId: party.id });
}

/** A party's signing keys (add one, retire the active one): the party itself, the bar that registered it, or the RBA. */
export function assertMayManagePartyKeys(p: Principal, party: PartyRef): void {
  if (mayAdministerParty(p, party) || (p.role === "provider" && p.partyId === party.id)) return;
  throw refuseForBar("authz-party-keys", party.barId, "actor", p, { admins: adminsOf(party.barId, "party"), ...otherBarHint(p, party) }, { partyId: party.id });
}

/** An API key as the rules see it: whom it stands for. */
export interface ApiKeyRef {
  role: Principal["role"];
  barId: string | null;
  partyId: string | null;
}

/**
 * Who may create, list and revoke an API key: the RBA's admin any; a bar's admin its own bar's keys; a provider's
 * keys the provider itself and the bar that registered it (`party`: the key's party, undefined when it is unknown).
 */
export function mayManageApiKey(p: Principal, key: ApiKeyRef, party: PartyRef | undefined): boolean {
  if (p.role === "rba-admin") return true;
  if (key.role === "bar-admin") return p.role === "bar-admin" && key.barId !== null && p.barId === key.barId;
  if (key.role === "provider") {
    if (!party || key.partyId !== party.id) return false;
    return mayAdministerParty(p, party) || (p.role === "provider" && p.partyId === party.id);
  }
  return false; // rba-admin keys: the RBA's admin only
}

export function assertMayManageApiKey(p: Principal, key: ApiKeyRef, party: PartyRef | undefined): void {
  if (mayManageApiKey(p, key, party)) return;
  if (key.role === "rba-admin") throw refuse("authz-rba-admin-keys");
  if (key.role === "bar-admin") throw refuseForBar("authz-bar-admin-keys", key.barId ?? "", "of", p, { admins: adminsOf(key.barId ?? "") });
  if (!party) throw refuse("authz-key-party-unknown");
  throw refuseForBar("authz-provider-keys", party.barId, "actor", p, { admins: adminsOf(party.barId, "provider"), ...otherBarHint(p, party) }, { partyId: party.id });
}

// ---- a bar's own decisions (4.1.4, 3.1.5, 9) ---------------------------------------------------------------------

/**
 * 4.1.4, 3.1.5: the RBA presidium accredits at the RBA level, a territorial bar's presidium for that bar.
 * The RBA's admin, as the registry's operator, may also record a territorial bar's decision; a bar's admin only its own.
 */
export function assertMayDecideForBar(p: Principal, barId: string): void {
  if (p.role === "rba-admin") return;
  if (p.role === "bar-admin" && p.barId === barId) return;
  throw refuseForBar(p.role === "bar-admin" ? "authz-bar-decisions" : "authz-bar-decisions-not-provider", barId, "of", p, { admins: adminsOf(barId) });
}

/**
 * 5.1(3): a co-organisation is confirmed or declined — and the requests to a bar are read — by the co-organising bar's
 * own admin (the RBA's admin when the RBA is named). Not by the RBA for a territorial bar: the confirmation is the
 * bar's consent to be named on the certificates, which no operator gives for it; nor by the provider that named it.
 */
export function assertMayAnswerCoOrganisation(p: Principal, coOrganiserBarId: string): void {
  if (administeredBar(p) === coOrganiserBarId) return;
  const yours: Record<string, AuthzDetailKey> = p.role === "bar-admin" ? { hint: "authz-hint-your-bar" } : p.role === "rba-admin" ? { hint: "authz-hint-rba-answers-own" } : {};
  throw refuseForBar("authz-co-organisation", coOrganiserBarId, "of", p, { admin: adminOf(coOrganiserBarId), ...yours });
}

/** 9.1: recording an accreditation decision, for the deciding bar (any party, whoever registered it). */
export function assertMayAccredit(p: Principal, barId: string): void {
  assertMayDecideForBar(p, barId);
}

/** Registering parties (3.1, 4.1, 8.1) is the bars' work. */
export function assertMayRegisterParty(p: Principal, barId: string): void {
  if (p.role === "rba-admin" || (p.role === "bar-admin" && p.barId === barId)) return;
  if (p.role === "bar-admin") throw refuseForBar("authz-register-parties", barId, "of", p, { admins: adminsOf(barId) });
  throw refuse("authz-register-parties-not-provider");
}

/**
 * 9.2: a violation recorded against an accreditation, or its withdrawal, is the deciding bar's (or the RBA's as
 * operator): a bar never acts on another bar's decision about the same provider.
 */
export function assertMayActOnAccreditation(p: Principal, accreditation: { barId: string }, action: "record a violation against" | "withdraw"): void {
  if (p.role === "rba-admin" || (p.role === "bar-admin" && p.barId === accreditation.barId)) return;
  const actionText: AuthzDetailKey = action === "withdraw" ? "authz-action-withdraw" : "authz-action-violation";
  throw refuseForBar("authz-accreditation-action", accreditation.barId, "of", p, { admins: adminsOf(accreditation.barId), action: actionText });
}

/**
 * 8.3: the evidence behind an accreditation (free text that may name a person's documents) is seen by the bar that
 * made the decision, the bar that registered the party, and the RBA; the public and other bars see the criteria only.
 */
export function maySeeAccreditationEvidence(p: Principal | undefined, party: PartyRef, accreditation: { barId: string }): boolean {
  if (!p) return false;
  if (p.role === "rba-admin") return true;
  return p.role === "bar-admin" && (p.barId === accreditation.barId || p.barId === party.barId);
}

// ---- providers and their certificates ----------------------------------------------------------------------------

/** A provider acts only for its own party. */
export function assertIsProvider(p: Principal, partyId?: string): asserts p is Extract<Principal, { role: "provider" }> {
  if (p.role !== "provider" || (partyId !== undefined && p.partyId !== partyId)) {
    throw partyId ? refuse("authz-not-that-provider", { partyId }) : refuse("authz-not-a-provider");
  }
}

/**
 * Revocation: the issuing provider, or the bar whose accreditation the certificate was issued under (the RBA's
 * admin for the RBA's). Neither another bar that accredits the provider nor the bar that registered it: a
 * certificate stands on one decision, and only that decision's bar answers for it.
 */
export function assertMayRevoke(p: Principal, cert: { partyId: string; accreditingBarId: string }): void {
  if (p.role === "provider" && p.partyId === cert.partyId) return;
  if (administeredBar(p) === cert.accreditingBarId) return;
  throw refuseForBar("authz-revoke", cert.accreditingBarId, "of", p, { admin: adminOf(cert.accreditingBarId) });
}

/**
 * 7.5: survey results go to the provider and to the bar that accredited it. A provider reads its own; a bar reads
 * the answers to certificates issued under its own accreditations (`barId` scope); the RBA reads any scope, and its
 * own bar scope means every bar. Returns the filter to read with.
 */
export function surveyReadScope(p: Principal, asked: { partyId?: string; barId?: string }): { partyId?: string; barId?: string } {
  if (asked.partyId !== undefined) {
    if (p.role === "rba-admin" || (p.role === "provider" && p.partyId === asked.partyId)) return { partyId: asked.partyId };
    if (p.role === "provider") throw refuse("authz-surveys-own-only");
    throw refuse("authz-surveys-bar-scope", { yourBar: p.barId });
  }
  if (asked.barId !== undefined) {
    if (p.role === "rba-admin") return asked.barId === RBA_ID ? {} : { barId: asked.barId };
    if (p.role === "bar-admin" && p.barId === asked.barId) return { barId: asked.barId };
    if (p.role === "bar-admin") throw refuseForBar("authz-surveys-of-bar", asked.barId, "of", p, { admins: adminsOf(asked.barId) });
    throw refuse("authz-surveys-own-only");
  }
  if (p.role === "rba-admin") return {};
  throw refuse("authz-surveys-all");
}

/** 2.2.4: an advocate proves training to their territorial bar; that bar (or the RBA as operator) asks for it. */
export function assertMayRequestPresentations(p: Principal, barId: string): void {
  if (p.role === "rba-admin") return;
  if (p.role === "bar-admin" && p.barId === barId) return;
  throw refuse("authz-presentations", { barId });
}

/** The ledger a principal may read: a bar's admin its own bar's entries, the RBA's admin every bar's. */
export function ledgerScope(p: Principal): { barId?: string } {
  if (p.role === "rba-admin") return {};
  if (p.role === "bar-admin") return { barId: p.barId };
  throw refuse("authz-ledgers");
}

/** 2.2.4, 3.1(2), 12.1: a territorial bar keeps its own members' records (members, suspensions, policy, ledger). */
export function assertMayKeepMembers(p: Principal, barId: string): void {
  if (p.role === "bar-admin" && p.barId === barId) return;
  throw refuse("authz-member-records", { barId });
}

/** 3.1(2), 3.1(3), 3.2, 12.1: a bar reads its own reports; the RBA, which controls training nationally, reads every bar's. */
export function assertMayReadBarReports(p: Principal, barId: string): void {
  if (p.role === "rba-admin") return;
  if (p.role === "bar-admin" && p.barId === barId) return;
  throw refuse("authz-bar-reports", { barId });
}

/**
 * Issue 12 (back-dating): a bar sees the events recorded late by the providers it registered or accredited, the RBA's
 * admin every provider's. Returns the bar to filter by (none: every bar).
 */
export function lateEventScope(p: Principal): { barId?: string } {
  if (p.role === "rba-admin") return {};
  if (p.role === "bar-admin") return { barId: p.barId };
  throw refuse("authz-late-events");
}

// ---- outside and paper certificates (2.2(2), 7.5) ----------------------------------------------------------------

/**
 * A submission of a certificate Senim did not issue is reviewed by the member's bar (its admin lists, views with the
 * attachment, accepts or rejects) and by the RBA's admin as the registry's operator; nobody else, and never a
 * provider (a provider would be judging certificates that compete with its own).
 */
export function assertMayReviewSubmissions(p: Principal, barId: string): void {
  if (p.role === "rba-admin") return;
  if (p.role === "bar-admin" && p.barId === barId) return;
  throw refuseForBar(p.role === "bar-admin" ? "authz-review-submissions" : "authz-review-submissions-not-provider", barId, "of", p, { admins: adminsOf(barId) });
}

/** Entering a submission on an advocate's behalf: whoever may review it (the record then goes through review as any other). */
export function assertMayEnterSubmissions(p: Principal, barId: string): void {
  if (p.role === "rba-admin" || (p.role === "bar-admin" && p.barId === barId)) return;
  if (p.role === "bar-admin") throw refuseForBar("authz-enter-submissions", barId, "of", p, { admins: adminsOf(barId) });
  throw refuse("authz-enter-submissions-not-provider");
}

// ---- the advocate's own record (/me, issue 13) -------------------------------------------------------------------

/** A member of a territorial bar, as an advocate signed in at /me is (src/advocates/service.ts): not a `Principal`. */
export interface MemberRef {
  barId: string;
  licence: string;
}

/** How what an advocate does from /me is recorded (an offer's `createdBy`, an entry's `recordedBy`). */
export function describeAdvocate(m: MemberRef): string {
  return `advocate:${m.barId}:${m.licence}`;
}

/**
 * 2.2.3: from /me an advocate takes into a wallet only a certificate issued to them — to their licence, as a member of
 * their bar, as the certificate names its participant — and only while it stands. Anything else is answered as absent,
 * so the refusal never tells whose certificate an id is. (A provider offers its own: {@link assertIsProvider}.)
 */
export function mayTakeIntoWallet(m: MemberRef, certificate: { issuedTo: MemberRef | undefined; revoked: boolean }): boolean {
  const to = certificate.issuedTo;
  return !certificate.revoked && to !== undefined && to.barId === m.barId && to.licence === m.licence;
}

/**
 * 2.2(2): an advocate changes or deletes only the self-recorded hours they entered themselves; what their bar entered
 * on their licence stays as the bar left it (shown, read-only).
 */
export function mayEditSelfRecorded(m: MemberRef, entry: { barId: string; licence: string; recordedBy: string }): boolean {
  return entry.barId === m.barId && entry.licence === m.licence && entry.recordedBy === describeAdvocate(m);
}

// ---- reminders (issue 13) ----------------------------------------------------------------------------------------

/**
 * A bar's reminder dates and the log of who was reminded (names, e-mail addresses, hours): the bar's own admin, and
 * the RBA's admin, which controls training nationally (12.1) and may set the dates for a bar that has not; nobody
 * else, and never a provider.
 */
export function assertMayManageReminders(p: Principal, barId: string): void {
  if (p.role === "rba-admin" || (p.role === "bar-admin" && p.barId === barId)) return;
  throw refuseForBar(p.role === "bar-admin" ? "authz-reminders" : "authz-reminders-not-provider", barId, "of", p, { admins: adminsOf(barId) });
}

// ---- closing the year (12.1, 12.2, 13.1) -------------------------------------------------------------------------

/**
 * Closing a bar's year, reopening it (with a reason on record) and recording the measures taken for members short in
 * it: the bar's own admin, and the RBA's admin, which controls training nationally (12.1); nobody else, and never a
 * provider. Reading the closing is reading the bar's reports ({@link assertMayReadBarReports}).
 */
export function mayCloseYear(p: Principal, barId: string): boolean {
  return p.role === "rba-admin" || (p.role === "bar-admin" && p.barId === barId);
}

/** {@link mayCloseYear}, or a 403 that says who may instead. */
export function assertMayCloseYear(p: Principal, barId: string): void {
  if (mayCloseYear(p, barId)) return;
  throw refuseForBar(p.role === "bar-admin" ? "authz-close-year" : "authz-close-year-not-provider", barId, "of", p, { admins: adminsOf(barId) });
}

// ---- programmes' indicative content (10.3) -----------------------------------------------------------------------

/**
 * 10.3: a bar's presidium approves its programmes' indicative content, so only that bar's own admin records the
 * approval (the RBA's admin for the RBA's own). Not the RBA's admin for a territorial bar, unlike accreditations: the
 * approved content is what the bar itself publishes as its programme, which no operator decides for it; nor a
 * provider, who trains under the content rather than approving it. Reading it is public.
 */
export function assertMayApproveProgrammeContent(p: Principal, barId: string): void {
  if (administeredBar(p) === barId) return;
  const yours: AuthzDetailKey = p.role === "bar-admin" ? "authz-hint-your-bar" : p.role === "rba-admin" ? "authz-hint-rba-approves-own" : "authz-hint-provider-trains";
  throw refuseForBar("authz-programme-content", barId, "of", p, { admin: adminOf(barId), hint: yours });
}

/**
 * Issue 17: who reads the audit log — the RBA's admin every entry, a bar's admin its own bar's (the entries whose
 * record is that bar's); providers none.
 */
export function assertMayReadAudit(p: Principal): { barId?: string } {
  if (p.role === "rba-admin") return {};
  if (p.role === "bar-admin") return { barId: p.barId };
  throw refuse("authz-audit-read");
}

/** Issue 17: a checkpoint is signed with the RBA's key, so only the RBA's admin asks for one. */
export function assertMayCheckpointAudit(p: Principal): void {
  if (p.role !== "rba-admin") throw refuse("authz-audit-checkpoint");
}
