/**
 * Frozen in time: this file never imports application code, and once released it never changes (add a new
 * migration instead). Column types are the portable subset that SQLite, PostgreSQL and D1 all accept:
 * `text` (ISO instants, JSON documents), `integer` (counters, 0/1 flags), `bigint` where values can be large.
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("bars")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull()) // 'rba' | 'territorial'
    .addColumn("name_kk", "text", (c) => c.notNull())
    .addColumn("name_ru", "text", (c) => c.notNull())
    .addColumn("name_en", "text", (c) => c.notNull())
    .addColumn("verified", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("sort", "integer", (c) => c.notNull())
    .execute();

  for (const table of ["programmes", "forms", "delivery_modes"]) {
    await db.schema
      .createTable(table)
      .addColumn("code", "text", (c) => c.primaryKey())
      .addColumn("clause", "text", (c) => c.notNull())
      .addColumn("name_kk", "text", (c) => c.notNull())
      .addColumn("name_ru", "text", (c) => c.notNull())
      .addColumn("name_en", "text", (c) => c.notNull())
      .addColumn("sort", "integer", (c) => c.notNull())
      .execute();
  }

  await db.schema
    .createTable("parties")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull()) // 'centre' | 'organisation' | 'trainer'
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("bar_id", "text", (c) => c.notNull().references("bars.id")) // owning bar of a centre; registering bar otherwise
    .addColumn("did", "text", (c) => c.notNull().unique())
    .addColumn("website", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("party_keys")
    .addColumn("id", "text", (c) => c.primaryKey()) // the DID URL used as JWS `kid`
    .addColumn("party_id", "text", (c) => c.notNull().references("parties.id"))
    .addColumn("public_jwk", "text", (c) => c.notNull())
    .addColumn("private_key_enc", "text") // AES-GCM under the KEK; null for keys held elsewhere
    .addColumn("valid_from", "text", (c) => c.notNull())
    .addColumn("valid_until", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("party_keys_party").on("party_keys").column("party_id").execute();

  await db.schema
    .createTable("accreditations")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("party_id", "text", (c) => c.notNull().references("parties.id"))
    .addColumn("bar_id", "text", (c) => c.notNull().references("bars.id"))
    .addColumn("decision_number", "text", (c) => c.notNull())
    .addColumn("decision_date", "text", (c) => c.notNull())
    .addColumn("criteria", "text", (c) => c.notNull()) // JSON [{criterion, evidence}]
    .addColumn("programmes", "text") // JSON array; null = all
    .addColumn("forms", "text") // JSON array; null = all
    .addColumn("valid_from", "text", (c) => c.notNull())
    .addColumn("valid_until", "text")
    .addColumn("recorded_at", "text", (c) => c.notNull())
    .addColumn("recorded_by", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("accreditations_party").on("accreditations").column("party_id").execute();

  await db.schema
    .createTable("accreditation_violations")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("accreditation_id", "text", (c) => c.notNull().references("accreditations.id"))
    .addColumn("occurred_on", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("recorded_at", "text", (c) => c.notNull())
    .addColumn("recorded_by", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("violations_accreditation").on("accreditation_violations").column("accreditation_id").execute();

  await db.schema
    .createTable("accreditation_withdrawals")
    .addColumn("accreditation_id", "text", (c) => c.primaryKey().references("accreditations.id")) // at most one
    .addColumn("ground", "text", (c) => c.notNull())
    .addColumn("decision_number", "text", (c) => c.notNull())
    .addColumn("decision_date", "text", (c) => c.notNull())
    .addColumn("effective_from", "text", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("recorded_at", "text", (c) => c.notNull())
    .addColumn("recorded_by", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("api_keys")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("token_hash", "text", (c) => c.notNull().unique()) // SHA-256 of the bearer token; the token is never stored
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("bar_id", "text", (c) => c.references("bars.id"))
    .addColumn("party_id", "text", (c) => c.references("parties.id"))
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("revoked_at", "text")
    .execute();

  await db.schema
    .createTable("events")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("party_id", "text", (c) => c.notNull().references("parties.id"))
    .addColumn("topic", "text", (c) => c.notNull())
    .addColumn("programme", "text", (c) => c.notNull().references("programmes.code"))
    .addColumn("form", "text", (c) => c.notNull().references("forms.code"))
    .addColumn("delivery_mode", "text", (c) => c.notNull().references("delivery_modes.code"))
    .addColumn("co_organiser_bar_id", "text", (c) => c.references("bars.id"))
    .addColumn("place", "text", (c) => c.notNull())
    .addColumn("starts_at", "text", (c) => c.notNull())
    .addColumn("ends_at", "text", (c) => c.notNull())
    .addColumn("duration_minutes", "integer", (c) => c.notNull())
    .addColumn("trainers", "text", (c) => c.notNull()) // JSON [{name, partyId?}]
    .addColumn("certificates_valid_until", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("events_party").on("events").column("party_id").execute();

  await db.schema
    .createTable("participants")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("event_id", "text", (c) => c.notNull().references("events.id"))
    .addColumn("licence_number", "text", (c) => c.notNull())
    .addColumn("full_name", "text", (c) => c.notNull())
    .addColumn("bar_id", "text", (c) => c.notNull().references("bars.id"))
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("email", "text")
    .addColumn("wallet_did", "text")
    .addColumn("position", "integer", (c) => c.notNull())
    .addUniqueConstraint("participants_event_licence", ["event_id", "licence_number"])
    .execute();

  await db.schema
    .createTable("status_lists")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("party_id", "text", (c) => c.notNull().references("parties.id"))
    .addColumn("purpose", "text", (c) => c.notNull())
    .addColumn("size", "integer", (c) => c.notNull())
    .addColumn("allocated", "integer", (c) => c.notNull().defaultTo(0)) // entries handed out; never decreases
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("status_lists_party").on("status_lists").columns(["party_id", "purpose"]).execute();

  await db.schema
    .createTable("certificates")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("event_id", "text", (c) => c.notNull().references("events.id"))
    .addColumn("participant_id", "text", (c) => c.notNull().unique().references("participants.id")) // one per participant
    .addColumn("party_id", "text", (c) => c.notNull().references("parties.id"))
    .addColumn("key_id", "text", (c) => c.notNull().references("party_keys.id"))
    .addColumn("accreditation_id", "text", (c) => c.notNull().references("accreditations.id"))
    .addColumn("status_list_id", "text", (c) => c.notNull().references("status_lists.id"))
    .addColumn("status_index", "integer", (c) => c.notNull())
    .addColumn("issued_at", "text", (c) => c.notNull())
    .addColumn("jwt", "text", (c) => c.notNull())
    .addColumn("revoked_at", "text")
    .addColumn("revocation_reason", "text")
    .addColumn("revoked_by", "text")
    .addUniqueConstraint("certificates_status_entry", ["status_list_id", "status_index"])
    .execute();
  await db.schema.createIndex("certificates_event").on("certificates").column("event_id").execute();

  await db.schema
    .createTable("idempotency_keys")
    .addColumn("principal", "text", (c) => c.notNull())
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("fingerprint", "text", (c) => c.notNull())
    .addColumn("status", "integer", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("idempotency_keys_pk", ["principal", "key"])
    .execute();

  await seed(db);
}

async function seed(db: Kysely<any>): Promise<void> {
  // Names are editable data: `verified` marks those confirmed against the bars' own publications (see shared/domain.md).
  const bars: [id: string, kk: string, ru: string, en: string, verified: number][] = [
    ["rba", "Республикалық адвокаттар алқасы", "Республиканская коллегия адвокатов", "Republican Bar Association", 1],
    ["almaty-city", "Алматы қалалық адвокаттар алқасы", "Алматинская городская коллегия адвокатов", "Almaty City Bar Association", 1],
    ["astana-city", "Астана қаласы адвокаттар алқасы", "Коллегия адвокатов города Астаны", "Astana City Bar Association", 1],
    ["shymkent-city", "Шымкент қалалық адвокаттар алқасы", "Шымкентская городская коллегия адвокатов", "Shymkent City Bar Association", 1],
    ["abai", "Абай облыстық адвокаттар алқасы", "Коллегия адвокатов области Абай", "Abai Region Bar Association", 0],
    ["akmola", "Ақмола облыстық адвокаттар алқасы", "Акмолинская областная коллегия адвокатов", "Akmola Region Bar Association", 0],
    ["aktobe", "Ақтөбе облыстық адвокаттар алқасы", "Актюбинская областная коллегия адвокатов", "Aktobe Region Bar Association", 0],
    ["almaty-region", "Алматы облыстық адвокаттар алқасы", "Алматинская областная коллегия адвокатов", "Almaty Region Bar Association", 0],
    ["atyrau", "Атырау облыстық адвокаттар алқасы", "Атырауская областная коллегия адвокатов", "Atyrau Region Bar Association", 0],
    ["east-kazakhstan", "Шығыс Қазақстан облыстық адвокаттар алқасы", "Восточно-Казахстанская областная коллегия адвокатов", "East Kazakhstan Region Bar Association", 0],
    ["jetisu", "Жетісу облыстық адвокаттар алқасы", "Коллегия адвокатов области Жетісу", "Jetisu Region Bar Association", 0],
    ["zhambyl", "Жамбыл облыстық адвокаттар алқасы", "Жамбылская областная коллегия адвокатов", "Zhambyl Region Bar Association", 0],
    ["west-kazakhstan", "Батыс Қазақстан облыстық адвокаттар алқасы", "Западно-Казахстанская областная коллегия адвокатов", "West Kazakhstan Region Bar Association", 0],
    ["karaganda", "Қарағанды облыстық адвокаттар алқасы", "Карагандинская областная коллегия адвокатов", "Karaganda Region Bar Association", 0],
    ["kostanay", "Қостанай облыстық адвокаттар алқасы", "Костанайская областная коллегия адвокатов", "Kostanay Region Bar Association", 0],
    ["kyzylorda", "Қызылорда облыстық адвокаттар алқасы", "Кызылординская областная коллегия адвокатов", "Kyzylorda Region Bar Association", 0],
    ["mangystau", "Маңғыстау облыстық адвокаттар алқасы", "Мангистауская областная коллегия адвокатов", "Mangystau Region Bar Association", 0],
    ["pavlodar", "Павлодар облыстық адвокаттар алқасы", "Павлодарская областная коллегия адвокатов", "Pavlodar Region Bar Association", 0],
    ["north-kazakhstan", "Солтүстік Қазақстан облыстық адвокаттар алқасы", "Северо-Казахстанская областная коллегия адвокатов", "North Kazakhstan Region Bar Association", 0],
    ["turkistan", "Түркістан облыстық адвокаттар алқасы", "Туркестанская областная коллегия адвокатов", "Turkistan Region Bar Association", 1],
    ["ulytau", "Ұлытау облыстық адвокаттар алқасы", "Коллегия адвокатов области Ұлытау", "Ulytau Region Bar Association", 0],
  ];
  await db
    .insertInto("bars")
    .values(
      bars.map(([id, kk, ru, en, verified], sort) => ({
        id,
        kind: id === "rba" ? "rba" : "territorial",
        name_kk: kk,
        name_ru: ru,
        name_en: en,
        verified,
        sort,
      })),
    )
    .execute();

  const vocab = async (table: string, rows: [code: string, clause: string, kk: string, ru: string, en: string][]) =>
    db
      .insertInto(table)
      .values(rows.map(([code, clause, kk, ru, en], sort) => ({ code, clause, name_kk: kk, name_ru: ru, name_en: en, sort })))
      .execute();

  await vocab("programmes", [
    ["foundations", "10.1.1", "Адвокат кәсібінің негіздері", "Основы профессии адвоката", "Foundations of the Advocate Profession"],
    ["civil", "10.1.2", "Азаматтық істер бойынша адвокаттық қызмет", "Адвокатская деятельность по гражданским делам", "Advocacy in Civil Cases"],
    ["criminal", "10.1.3", "Қылмыстық істер бойынша адвокаттық қызмет", "Адвокатская деятельность по уголовным делам", "Advocacy in Criminal Cases"],
    ["topical", "10.1.4", "Адвокаттық қызметтің өзекті мәселелері", "Актуальные вопросы адвокатской деятельности", "Topical Issues of Advocacy"],
  ]);
  await vocab("forms", [
    ["course", "5.1.1", "Курс", "Курс", "Course"],
    ["seminar", "5.1.2", "Семинар", "Семинар", "Seminar"],
    ["training", "5.1.2", "Тренинг", "Тренинг", "Training"],
    ["master-class", "5.1.2", "Шеберлік сағаты", "Мастер-класс", "Master class"],
  ]);
  await vocab("delivery_modes", [
    ["in-person", "7.4", "Күндізгі", "Очно", "In person"],
    ["distance", "7.4", "Қашықтықтан", "Дистанционно", "Distance"],
    ["online", "7.4", "Онлайн", "Онлайн", "Online"],
  ]);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    "idempotency_keys", "certificates", "status_lists", "participants", "events", "api_keys",
    "accreditation_withdrawals", "accreditation_violations", "accreditations", "party_keys", "parties",
    "delivery_modes", "forms", "programmes", "bars",
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
