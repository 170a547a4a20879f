/**
 * `npm run import -- members <barId> <file.csv>` and `npm run import -- participants <eventId> <file.csv>`: the
 * operator's import straight into the database under DATA_DIR, with progress on large files. The same validation as
 * the API: the whole file is checked first, every bad line is printed, and nothing is stored unless all are valid.
 * The command acts with the database's authority: for the bar's admin (members) or the event's provider (participants).
 */
import { readFileSync, statSync } from "node:fs";
import type { Principal } from "../domain/authz.js";
import { isSenimError } from "../domain/errors.js";
import { importParticipantsCsv } from "../issuance/participant-csv.js";
import { Keyring } from "../registry/keyring.js";
import { createServices } from "../services.js";
import { KyselyIssuanceStore } from "../storage/issuance-store.js";
import { migrateToLatest } from "../storage/migrate.js";
import { loadConfig } from "./config.js";
import { openDatabase } from "./database.js";

/** Files above this are refused before reading: the API takes 8 MiB; an operator may load more, but not unbounded. */
const MAX_FILE_BYTES = 256 * 1024 * 1024;

export async function importCommand(args: string[]): Promise<void> {
  const [kind, target, file] = args;
  if ((kind !== "members" && kind !== "participants") || !target || !file) {
    throw new Error("Usage: npm run import -- members <barId> <file.csv>\n       npm run import -- participants <eventId> <file.csv>");
  }
  const size = statSync(file).size;
  if (size > MAX_FILE_BYTES) throw new Error(`${file} is ${size} bytes; the limit is ${MAX_FILE_BYTES}.`);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(readFileSync(file));
  } catch {
    throw new Error(`${file} is not UTF-8 text: save it as "CSV UTF-8".`);
  }
  const config = await loadConfig();
  const database = openDatabase(config);
  const { db } = database;
  await migrateToLatest(db);
  const services = createServices({ db, atomic: database.atomic, maxParameters: database.maxParameters, keyring: await Keyring.fromSecret(config.kek), publicUrl: config.publicUrl });
  const started = Date.now();
  const progress = (read: number, total: number) => {
    const pct = total === 0 ? 100 : Math.floor((read / total) * 100);
    process.stderr.write(`\r  reading ${pct}% (${(read / 1e6).toFixed(1)} of ${(total / 1e6).toFixed(1)} M characters)`);
  };
  try {
    console.error(`Importing ${kind} from ${file} (${(size / 1e6).toFixed(1)} MB) …`);
    if (kind === "members") {
      const principal: Principal = { role: "bar-admin", keyId: "cli", barId: target };
      const { imported } = await services.compliance.importMembersCsv(principal, target, text, progress);
      process.stderr.write("\n");
      console.log(`Imported ${imported} members into ${target} in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    } else {
      const event = await new KyselyIssuanceStore(database).getEvent(target);
      if (!event) throw new Error(`No event ${target}.`);
      const principal: Principal = { role: "provider", keyId: "cli", partyId: event.partyId };
      const list = await importParticipantsCsv(services, principal, target, text, progress);
      process.stderr.write("\n");
      console.log(`Stored ${list.length} participants for event ${target} in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    }
  } catch (e) {
    process.stderr.write("\n");
    if (isSenimError(e) && e.problems.length > 0) {
      for (const p of e.problems) console.error(`  ${p.path}: ${p.message}`);
      throw new Error(e.message);
    }
    throw e;
  } finally {
    await db.destroy();
  }
}
