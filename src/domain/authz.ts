/**
 * Who may do what. A principal is what a bearer API key stands for; the rules below are the only place that decides.
 */
import { RBA_ID } from "./catalog.js";
import { SenimError } from "./errors.js";

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

const forbidden = (what: string) => new SenimError("forbidden", `Your API key may not ${what}.`);

/** The bar a principal administers: the RBA's admin acts for the RBA (4.1), a bar's admin for that bar (3.1). */
export function administeredBar(p: Principal): string | undefined {
  if (p.role === "rba-admin") return RBA_ID;
  if (p.role === "bar-admin") return p.barId;
  return undefined;
}

/**
 * 4.1.4, 3.1.5: the RBA presidium accredits at the RBA level, a territorial bar's presidium for that bar.
 * The RBA's admin, as the registry's operator, may also record a territorial bar's decision; a bar's admin only its own.
 */
export function assertMayDecideForBar(p: Principal, barId: string): void {
  if (p.role === "rba-admin") return;
  if (p.role === "bar-admin" && p.barId === barId) return;
  throw forbidden(`record decisions for bar ${barId}`);
}

/** Registering parties (3.1, 4.1, 8.1) is the bars' work. */
export function assertMayRegisterParty(p: Principal, barId: string): void {
  assertMayDecideForBar(p, barId);
}

/** A provider acts only for its own party. */
export function assertIsProvider(p: Principal, partyId?: string): asserts p is Extract<Principal, { role: "provider" }> {
  if (p.role !== "provider" || (partyId !== undefined && p.partyId !== partyId)) {
    throw forbidden(partyId ? `act for provider ${partyId}` : "act as a provider");
  }
}

/**
 * Who may administer a provider's API keys: the RBA's admin, the provider itself, and the admin of a bar that
 * registered it or has accredited it (`accreditingBarIds`).
 */
export function mayAdministerParty(p: Principal, party: { id: string; barId: string }, accreditingBarIds: readonly string[]): boolean {
  if (p.role === "rba-admin") return true;
  if (p.role === "provider") return p.partyId === party.id;
  return party.barId === p.barId || accreditingBarIds.includes(p.barId);
}

/** A party's keys: the party itself, or the bar that registered it, or the RBA. */
export function assertMayManagePartyKeys(p: Principal, party: { id: string; barId: string }): void {
  if (p.role === "provider" && p.partyId === party.id) return;
  if (p.role === "rba-admin") return;
  if (p.role === "bar-admin" && p.barId === party.barId) return;
  throw forbidden(`manage the keys of ${party.id}`);
}

/** Revocation: the issuing provider, or the bar whose accreditation the certificate was issued under. */
export function assertMayRevoke(p: Principal, cert: { partyId: string; accreditingBarId: string }): void {
  if (p.role === "provider" && p.partyId === cert.partyId) return;
  if (administeredBar(p) === cert.accreditingBarId) return;
  throw forbidden("revoke this certificate");
}

/** 2.2.4: an advocate proves training to their territorial bar; that bar (or the RBA as operator) asks for it. */
export function assertMayRequestPresentations(p: Principal, barId: string): void {
  if (p.role === "rba-admin") return;
  if (p.role === "bar-admin" && p.barId === barId) return;
  throw forbidden(`ask for presentations to bar ${barId}`);
}

/** The ledger a principal may read: a bar's admin its own bar's entries, the RBA's admin every bar's. */
export function ledgerScope(p: Principal): { barId?: string } {
  if (p.role === "rba-admin") return {};
  if (p.role === "bar-admin") return { barId: p.barId };
  throw forbidden("read advocates' ledgers");
}

/** 2.2.4, 3.1, 12.1: a territorial bar keeps its own members' records (members, suspensions, policy, ledger). */
export function assertMayKeepMembers(p: Principal, barId: string): void {
  if (p.role === "bar-admin" && p.barId === barId) return;
  throw forbidden(`keep the member records of bar ${barId}`);
}

/** 3.2, 12.1: a bar reads its own reports; the RBA, which controls training nationally, reads every bar's. */
export function assertMayReadBarReports(p: Principal, barId: string): void {
  if (p.role === "rba-admin") return;
  if (p.role === "bar-admin" && p.barId === barId) return;
  throw forbidden(`read the reports of bar ${barId}`);
}
