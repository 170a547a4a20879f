/**
 * Issue 16 (migration 0025): a party's logo, one row per party, its bytes as base64url text so that SQLite, PostgreSQL
 * and D1 store and return them alike. A PUT replaces the row in one upsert; a refused upload never reaches the store.
 */
import type { Kysely } from "kysely";
import type { LogoMediaType } from "../domain/party-logo.js";
import { base64url, fromBase64url } from "../lib/ids.js";
import type { StoreDb } from "./atomic.js";
import type { Database } from "./schema.js";

interface PartyLogoDatabase extends Database {
  party_logos: { party_id: string; media_type: string; bytes: string; sha256: string; updated_at: string };
}

export interface PartyLogo {
  partyId: string;
  mediaType: LogoMediaType;
  bytes: Uint8Array;
  /** Hex SHA-256 of the bytes: an ETag, and a check that what is read back is what was stored. */
  sha256: string;
  updatedAt: string;
}

export interface PartyLogoStore {
  get(partyId: string): Promise<PartyLogo | undefined>;
  put(logo: PartyLogo): Promise<void>;
  /** Whether there was one. */
  delete(partyId: string): Promise<boolean>;
}

export class KyselyPartyLogoStore implements PartyLogoStore {
  private readonly db: Kysely<PartyLogoDatabase>;

  constructor(store: StoreDb) {
    this.db = store.db as unknown as Kysely<PartyLogoDatabase>;
  }

  async get(partyId: string): Promise<PartyLogo | undefined> {
    const row = await this.db.selectFrom("party_logos").selectAll().where("party_id", "=", partyId).executeTakeFirst();
    return row && { partyId: row.party_id, mediaType: row.media_type as LogoMediaType, bytes: fromBase64url(row.bytes), sha256: row.sha256, updatedAt: row.updated_at };
  }

  async put(logo: PartyLogo): Promise<void> {
    const values = { media_type: logo.mediaType, bytes: base64url(logo.bytes), sha256: logo.sha256, updated_at: logo.updatedAt };
    await this.db
      .insertInto("party_logos")
      .values({ party_id: logo.partyId, ...values })
      .onConflict((oc) => oc.column("party_id").doUpdateSet(values))
      .execute();
  }

  async delete(partyId: string): Promise<boolean> {
    const result = await this.db.deleteFrom("party_logos").where("party_id", "=", partyId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
