/**
 * The printable certificate (7.5) of a certificate issued here, in one language: printed from the signed credential,
 * verified like the page, never from database rows. GET /c/{id}.pdf and the participant's e-mail both use it, and
 * GET /c/{id}.png draws its sharing image from the same contents.
 */
import type { CertificateSummary } from "../credentials/checks.js";
import { detailError } from "./problem.js";
import type { StoredCertificate } from "../issuance/model.js";
import type { Services } from "./context.js";
import type { Lang } from "./i18n.js";
import { renderCertificatePdf, type CertificateFonts, type PrintableCertificate } from "./pdf.js";
import { verdictOf, type VerdictState } from "./pages/verdict.js";

type PrintServices = Pick<Services, "issuance" | "registry" | "verification" | "partyLogos">;

export async function printableCertificate(
  services: PrintServices,
  stored: StoredCertificate,
  o: { lang: Lang; surveyUrl: string | null; fonts: CertificateFonts },
): Promise<{ pdf: Uint8Array; summary: CertificateSummary }> {
  const { printable } = await certificateToPrint(services, stored, o);
  return { pdf: await renderCertificatePdf(printable, o.fonts), summary: printable.summary };
}

/**
 * What a rendition of the certificate shows, in one language, from the verified credential and the registry: the PDF's
 * contents, and the state its page's banner reads (with a revocation on record counted, see below). The sharing
 * image (GET /c/{id}.png, src/http/share-image.ts) is drawn from the same.
 */
export async function certificateToPrint(
  services: PrintServices,
  stored: StoredCertificate,
  o: { lang: Lang; surveyUrl: string | null },
): Promise<{ printable: PrintableCertificate; state: VerdictState }> {
  const { issuance, registry, verification } = services;
  const { lang } = o;
  const result = await verification.verifyStored(stored.id);
  const s = result.summary;
  if (!s) throw detailError("internal", "certificate-summary-unreadable");
  const [bars, vocabulary, accreditation, logo] = await Promise.all([
    registry.bars(),
    registry.vocabulary(),
    registry.requireAccreditation(stored.accreditationId),
    // Issue 16: the organiser's logo, as it is now (a logo changed later prints on later copies).
    services.partyLogos?.get(stored.partyId),
  ]);
  const barByUrl = (url: string | null | undefined) => bars.find((b) => url?.endsWith(`/registry/${b.id}`))?.names[lang] ?? null;
  const name = (list: (typeof vocabulary)["programmes"], code: string) => list.find((e) => e.code === code)?.names[lang] ?? code;
  // Issue 16: stamped as the page's banner reads it; and a revocation on record is stamped even if the status list
  // could not be read just now, so a revoked certificate never leaves as an unmarked paper copy.
  const state = verdictOf(result).state;
  const lapse: PrintableCertificate["lapse"] =
    state === "revoked" || stored.revokedAt ? { state: "revoked", at: stored.revokedAt } : state === "suspended" ? { state: "suspended" } : null;
  return {
    state: lapse?.state ?? state,
    printable: {
      lang,
      id: stored.id,
      url: issuance.certificateUrl(stored.id),
      verified: result.verified,
      summary: s,
      barName: bars.find((b) => b.id === accreditation.barId)?.names[lang] ?? accreditation.barId,
      coOrganiserName: s.coOrganiser ? (barByUrl(s.coOrganiser.id) ?? s.coOrganiser.name) : null,
      participantBarName: barByUrl(s.participant.bar),
      programmeName: name(vocabulary.programmes, s.programme),
      formName: name(vocabulary.forms, s.form),
      deliveryName: name(vocabulary.deliveryModes, s.deliveryMode),
      surveyUrl: o.surveyUrl,
      lapse,
      number: issuance.numberOf(stored),
      logo: logo ? { mediaType: logo.mediaType, bytes: logo.bytes } : null,
    },
  };
}
