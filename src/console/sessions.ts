/**
 * Sign-in sessions of the web consoles. The browser holds a random session token in an HttpOnly cookie, never the API
 * key; the server keeps only the token's SHA-256 with the principal the key stood for, and re-checks on every request
 * that the key has not been revoked since. Form posts carry a CSRF token derived from the session token.
 */
import type { Principal } from "../domain/authz.js";
import { newToken, sha256Hex } from "../lib/ids.js";
import type { RegistryService } from "../registry/service.js";

export interface SessionRecord {
  id: string;
  apiKeyId: string;
  role: Principal["role"];
  barId: string | null;
  partyId: string | null;
  createdAt: string;
  expiresAt: string;
}

/** What sessions need from storage. Each method is one statement. */
export interface SessionStore {
  insert(session: SessionRecord): Promise<void>;
  /** Drops sessions that expired before `at`. */
  prune(at: string): Promise<void>;
  /** The session with whether its API key has been revoked (or no longer exists) since. */
  find(id: string): Promise<(SessionRecord & { keyRevoked: boolean }) | undefined>;
  delete(id: string): Promise<void>;
}

/** A working day: long enough for a clerk's session, short enough that a forgotten one lapses. */
export const SESSION_TTL_MS = 8 * 3_600_000;
const TOKEN = /^[A-Za-z0-9_-]{20,100}$/;

/** The principal's keyId for SENIM_ADMIN_TOKEN (RegistryService.authenticate). */
const ENV_KEY_ID = "env";
/**
 * A session opened with SENIM_ADMIN_TOKEN records `env:` and the token's fingerprint in place of an api_keys id, so
 * replacing the token ends its sessions at once (an API key's sessions end when the key is revoked).
 */
export const ADMIN_TOKEN_PREFIX = "env:";

export class SessionService {
  constructor(private readonly deps: { store: SessionStore; registry: RegistryService }) {}

  /** Opens a session for a valid API key; `undefined` when the key is unknown or revoked. */
  async signIn(apiKey: string): Promise<{ token: string; principal: Principal } | undefined> {
    const principal = await this.deps.registry.authenticate(apiKey.trim());
    if (!principal) return undefined;
    const now = this.deps.registry.now();
    await this.deps.store.prune(now);
    const token = newToken();
    await this.deps.store.insert({
      id: await sha256Hex(token),
      apiKeyId: principal.keyId === ENV_KEY_ID ? await this.adminTokenKeyId() : principal.keyId,
      role: principal.role,
      barId: principal.role === "bar-admin" ? principal.barId : null,
      partyId: principal.role === "provider" ? principal.partyId : null,
      createdAt: now,
      expiresAt: new Date(Date.parse(now) + SESSION_TTL_MS).toISOString().replace(".000Z", "Z"),
    });
    return { token, principal };
  }

  /** The principal behind a session cookie, or `undefined` (no such session, expired, or its key revoked). */
  async principal(token: string | undefined): Promise<Principal | undefined> {
    if (!token || !TOKEN.test(token)) return undefined;
    const s = await this.deps.store.find(await sha256Hex(token));
    if (!s || s.keyRevoked || Date.parse(s.expiresAt) <= Date.parse(this.deps.registry.now())) return undefined;
    if (s.apiKeyId.startsWith(ADMIN_TOKEN_PREFIX)) {
      // Opened with SENIM_ADMIN_TOKEN: valid only while that same token is configured.
      return s.role === "rba-admin" && s.apiKeyId === (await this.adminTokenKeyId()) ? { role: "rba-admin", keyId: ENV_KEY_ID } : undefined;
    }
    if (s.role === "rba-admin") return { role: "rba-admin", keyId: s.apiKeyId };
    if (s.role === "bar-admin" && s.barId) return { role: "bar-admin", keyId: s.apiKeyId, barId: s.barId };
    if (s.role === "provider" && s.partyId) return { role: "provider", keyId: s.apiKeyId, partyId: s.partyId };
    return undefined;
  }

  private async adminTokenKeyId(): Promise<string> {
    return ADMIN_TOKEN_PREFIX + ((await this.deps.registry.adminTokenFingerprint()) ?? "none");
  }

  async signOut(token: string | undefined): Promise<void> {
    if (token && TOKEN.test(token)) await this.deps.store.delete(await sha256Hex(token));
  }

  /** The CSRF token for forms of this session: only someone who holds the (HttpOnly) cookie can compute it. */
  csrfToken(token: string): Promise<string> {
    return sha256Hex(`senim-csrf:${token}`);
  }
}
