import { ADMIN_TOKEN_PREFIX, type SessionRecord, type SessionStore } from "../console/sessions.js";
import type { StoreDb } from "./atomic.js";

export class KyselySessionStore implements SessionStore {
  constructor(private readonly store: StoreDb) {}

  private get db() {
    return this.store.db;
  }

  async insert(s: SessionRecord): Promise<void> {
    await this.db
      .insertInto("console_sessions")
      .values({ id: s.id, api_key_id: s.apiKeyId, role: s.role, bar_id: s.barId, party_id: s.partyId, created_at: s.createdAt, expires_at: s.expiresAt })
      .execute();
  }

  async prune(at: string): Promise<void> {
    await this.db.deleteFrom("console_sessions").where("expires_at", "<", at).execute();
  }

  async find(id: string): Promise<(SessionRecord & { keyRevoked: boolean }) | undefined> {
    const r = await this.db
      .selectFrom("console_sessions as s")
      .leftJoin("api_keys as k", "k.id", "s.api_key_id")
      .select(["s.id", "s.api_key_id", "s.role", "s.bar_id", "s.party_id", "s.created_at", "s.expires_at", "k.id as key_id", "k.revoked_at"])
      .where("s.id", "=", id)
      .executeTakeFirst();
    if (!r) return undefined;
    return {
      id: r.id,
      apiKeyId: r.api_key_id,
      role: r.role as SessionRecord["role"],
      barId: r.bar_id,
      partyId: r.party_id,
      createdAt: r.created_at,
      expiresAt: r.expires_at,
      // The admin token from the environment has no row (SessionService checks it is still the configured one); any
      // other key must still exist unrevoked.
      keyRevoked: r.api_key_id.startsWith(ADMIN_TOKEN_PREFIX) ? false : r.key_id === null || r.revoked_at !== null,
    };
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom("console_sessions").where("id", "=", id).execute();
  }
}
