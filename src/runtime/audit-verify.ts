/**
 * Issue 17: `npm run audit:verify` — recomputes the audit chain of the configured database (DATABASE_URL for
 * PostgreSQL, else the SQLite file under DATA_DIR), checks the latest checkpoint's signature against the RBA's public
 * key as the database holds it (the key its DID document publishes) and prints `ok N entries, head <hash>`, or names
 * the first entry that does not match and exits 1. Needs no secret: only public keys and hashes are read.
 */
import { RBA_ID } from "../domain/catalog.js";
import { verifyAuditLog, type LogVerdict } from "../registry/audit.js";
import { importPublicKey } from "../registry/keyring.js";
import { KyselyAuditStore } from "../storage/audit-store.js";
import { KyselyWalletStore } from "../storage/wallet-store.js";
import { databaseUrlFrom, dataDirFrom } from "./config.js";
import { openDatabase } from "./database.js";

export async function auditVerify(): Promise<LogVerdict> {
  const database = openDatabase({ databaseUrl: databaseUrlFrom(), dataDir: dataDirFrom() });
  try {
    const audit = new KyselyAuditStore(database);
    const wallet = new KyselyWalletStore(database);
    const verdict = await verifyAuditLog({
      pages: audit.all(),
      latestCheckpoint: () => audit.latestCheckpoint(),
      // Only a key of the RBA's own did:web signs checkpoints.
      keyFor: async (kid) => {
        const k = await wallet.verifierKeyByKid(kid);
        return k && k.barId === RBA_ID ? importPublicKey(`${k.kid} ${k.publicJwk.x}`, k.publicJwk) : undefined;
      },
    });
    if (verdict.ok) {
      console.log(`ok ${verdict.count} entries, head ${verdict.head.hash}`);
      console.log(verdict.checkpoint ? `checkpoint: entry ${verdict.checkpoint.seq} signed ${verdict.checkpoint.at}, signature ok` : "no checkpoint signed yet");
    } else {
      console.error(verdict.seq === undefined ? `FAILED: ${verdict.detail}` : `FAILED at entry ${verdict.seq}: ${verdict.detail}`);
      process.exitCode = 1;
    }
    return verdict;
  } finally {
    await database.close();
  }
}
