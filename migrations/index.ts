/**
 * The list of migrations, imported statically so every runtime (Node, Workers) bundles the same set.
 * Names sort in the order they apply.
 */
import type { Migration } from "kysely";
import * as m0001 from "./0001_initial.js";
import * as m0002 from "./0002_standards.js";
import * as m0004 from "./0004_bookkeeping.js";
import * as m0005 from "./0005_wallet.js";
import * as m0006 from "./0006_console_sessions.js";
import * as m0007 from "./0007_verifier_key_rotation.js";
import * as m0008 from "./0008_one_time_secrets.js";
import * as m0009 from "./0009_outbox.js";
import * as m0010 from "./0010_outside_certificates.js";
import * as m0011 from "./0011_advocate_sign_in.js";
import * as m0012 from "./0012_reminders.js";
import * as m0013 from "./0013_event_announcements.js";
import * as m0014 from "./0014_advocate_code_quota.js";
import * as m0015 from "./0015_year_closing.js";
import * as m0016 from "./0016_participant_lists.js";
import * as m0017 from "./0017_party_address.js";
import * as m0018 from "./0018_attestations.js";
import * as m0019 from "./0019_attestation_offers.js";
import * as m0020 from "./0020_programme_content.js";
import * as m0021 from "./0021_revoked_status_index.js";
import * as m0022 from "./0022_survey_responses_bar.js";
import * as m0023 from "./0023_dpop_bound_tokens.js";
import * as m0024 from "./0024_rate_limits.js";
import * as m0025 from "./0025_party_logos.js";
import * as m0026 from "./0026_audit_log.js";
import * as m0027 from "./0027_status_entry_changes.js";
import * as m0029 from "./0029_certificate_documents.js";

export const migrations: Record<string, Migration> = {
  "0001_initial": m0001,
  "0002_standards": m0002,
  "0004_bookkeeping": m0004,
  "0005_wallet": m0005,
  "0006_console_sessions": m0006,
  "0007_verifier_key_rotation": m0007,
  "0008_one_time_secrets": m0008,
  "0009_outbox": m0009,
  "0010_outside_certificates": m0010,
  "0011_advocate_sign_in": m0011,
  "0012_reminders": m0012,
  "0013_event_announcements": m0013,
  "0014_advocate_code_quota": m0014,
  "0015_year_closing": m0015,
  "0016_participant_lists": m0016,
  "0017_party_address": m0017,
  "0018_attestations": m0018,
  "0019_attestation_offers": m0019,
  "0020_programme_content": m0020,
  "0021_revoked_status_index": m0021,
  "0022_survey_responses_bar": m0022,
  "0023_dpop_bound_tokens": m0023,
  "0024_rate_limits": m0024,
  "0025_party_logos": m0025,
  "0026_audit_log": m0026,
  "0027_status_entry_changes": m0027,
  "0029_certificate_documents": m0029,
};
