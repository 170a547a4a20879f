/**
 * The printable certificate (7.5) of a certificate issued here, in one language: printed from the signed credential,
 * verified like the page, never from database rows. GET /c/{id}.pdf and the participant's e-mail both use it.
 */
import type { CertificateSummary } from "../credentials/checks.js";
import { SenimError } from "../domain/errors.js";
import type { StoredCertificate } from "../issuance/model.js";
import type { Services } from "./context.js";
import type { Lang } from "./i18n.js";
import { renderCertificatePdf, type CertificateFonts } from "./pdf.js";

export async function printableCertificate(
  services: Pick<Services, "issuance" | "registry" | "verification">,
  stored: StoredCertificate,
  o: { lang: Lang; surveyUrl: string | null; fonts: CertificateFonts },
): Promise<{ pdf: Uint8Array; summary: CertificateSummary }> {
  const { issuance, registry, verification } = services;
  const { lang } = o;
  const result = await verification.verifyStored(stored.id);
  const s = result.summary;
  if (!s) throw new SenimError("internal", "A stored certificate has no readable summary.");
  const [bars, vocabulary, accreditation] = await Promise.all([registry.bars(), registry.vocabulary(), registry.requireAccreditation(stored.accreditationId)]);
  const barByUrl = (url: string | null | undefined) => bars.find((b) => url?.endsWith(`/registry/${b.id}`))?.names[lang] ?? null;
  const name = (list: (typeof vocabulary)["programmes"], code: string) => list.find((e) => e.code === code)?.names[lang] ?? code;
  const pdf = await renderCertificatePdf(
    {
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
    },
    o.fonts,
  );
  return { pdf, summary: s };
}
