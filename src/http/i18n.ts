/** User-facing text in Kazakh, Russian and English. Code, logs and API field names stay English. */
import type { Context } from "hono";
import type { ErrorCode } from "../domain/errors.js";

export const LANGS = ["kk", "ru", "en"] as const;
export type Lang = (typeof LANGS)[number];
/** Kazakh is the state language: the default when a visitor states no preference we can serve. */
export const DEFAULT_LANG: Lang = "kk";

/** `?lang=` wins (the page's switch), then the first supported language in Accept-Language. */
export function pickLang(c: Context): Lang {
  const q = c.req.query("lang");
  if (q && (LANGS as readonly string[]).includes(q)) return q as Lang;
  const header = c.req.header("accept-language") ?? "";
  const ranked = header
    .split(",")
    .slice(0, 20)
    .map((part) => {
      const [tag, ...params] = part.trim().split(";");
      const qv = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { lang: (tag ?? "").toLowerCase().split("-")[0] ?? "", q: qv ? Number(qv.slice(2)) || 0 : 1 };
    })
    .sort((a, b) => b.q - a.q);
  for (const r of ranked) if ((LANGS as readonly string[]).includes(r.lang)) return r.lang as Lang;
  return DEFAULT_LANG;
}

type Text = Record<Lang, string>;

export const ERROR_TITLES: Record<ErrorCode, Text> = {
  invalid_request: { kk: "Сұрау дұрыс емес", ru: "Некорректный запрос", en: "Invalid request" },
  invalid_json: { kk: "JSON оқылмады", ru: "Не удалось прочитать JSON", en: "Malformed JSON" },
  not_a_credential: { kk: "Бұл сертификат емес", ru: "Это не сертификат", en: "Not a credential" },
  unauthenticated: { kk: "API кілті қажет", ru: "Нужен API-ключ", en: "API key required" },
  forbidden: { kk: "Рұқсат жоқ", ru: "Нет доступа", en: "Forbidden" },
  not_found: { kk: "Табылмады", ru: "Не найдено", en: "Not found" },
  conflict: { kk: "Қайшылық", ru: "Конфликт", en: "Conflict" },
  idempotency_key_reused: { kk: "Idempotency-Key басқа сұрауға қолданылған", ru: "Idempotency-Key уже использован для другого запроса", en: "Idempotency-Key reused for a different request" },
  payload_too_large: { kk: "Сұрау тым үлкен", ru: "Слишком большой запрос", en: "Payload too large" },
  unsupported_media_type: { kk: "Қолдау көрсетілмейтін пішім", ru: "Неподдерживаемый формат", en: "Unsupported media type" },
  not_accredited: { kk: "Провайдер аккредиттелмеген", ru: "Провайдер не аккредитован", en: "Provider not accredited" },
  out_of_scope: { kk: "Аккредиттеу аясынан тыс", ru: "Вне рамок аккредитации", en: "Outside the accreditation's scope" },
  no_active_key: { kk: "Белсенді қолтаңба кілті жоқ", ru: "Нет действующего ключа подписи", en: "No active signing key" },
  withdrawal_refused: { kk: "Аккредиттеуден айыруға негіз жеткіліксіз", ru: "Недостаточно оснований для лишения аккредитации", en: "Withdrawal refused" },
  already_withdrawn: { kk: "Аккредиттеу бұрын қайтарылған", ru: "Аккредитация уже отозвана", en: "Accreditation already withdrawn" },
  already_revoked: { kk: "Сертификат бұрын кері қайтарылған", ru: "Сертификат уже отозван", en: "Certificate already revoked" },
  form_requires_centre: { kk: "Бұл нысанды тек орталық немесе алқамен бірге өткізуге болады", ru: "Эту форму проводит только центр или совместно с коллегией", en: "This form needs a centre or a co-organising bar" },
  participants_locked: { kk: "Сертификат алған қатысушыларды өзгертуге болмайды", ru: "Нельзя менять участников, получивших сертификат", en: "Certified participants cannot change" },
  rule_violated: { kk: "Тәртіп ережесі бұзылды", ru: "Нарушено правило Порядка", en: "A rule of the Procedure is not met" },
  internal: { kk: "Ішкі қате", ru: "Внутренняя ошибка", en: "Internal error" },
};

export const T = {
  siteName: { kk: "Сенім — біліктілікті арттыру сертификаттары", ru: "Сенім — сертификаты повышения квалификации", en: "Senim — professional development certificates" },
  certificate: { kk: "Біліктілікті арттыру сертификаты", ru: "Сертификат повышения квалификации", en: "Certificate of professional development" },
  genuine: { kk: "Сертификат түпнұсқа", ru: "Сертификат подлинный", en: "This certificate is genuine" },
  notGenuine: { kk: "Сертификат тексеруден өтпеді", ru: "Сертификат не прошёл проверку", en: "This certificate did not pass verification" },
  organiser: { kk: "Ұйымдастырушы", ru: "Организатор", en: "Organiser" },
  coOrganiser: { kk: "Бірлескен ұйымдастырушы", ru: "Соорганизатор", en: "Co-organiser" },
  topic: { kk: "Тақырып", ru: "Тема", en: "Topic" },
  programme: { kk: "Бағдарлама", ru: "Программа", en: "Programme" },
  form: { kk: "Нысаны", ru: "Форма", en: "Form" },
  delivery: { kk: "Өткізу тәсілі", ru: "Формат проведения", en: "Delivery" },
  hours: { kk: "Академиялық сағат", ru: "Академических часов", en: "Academic hours" },
  hoursNote: { kk: "1 академиялық сағат = 45 минут (10.6)", ru: "1 академический час = 45 минут (10.6)", en: "1 academic hour = 45 minutes (10.6)" },
  dates: { kk: "Өткізілген күні", ru: "Даты проведения", en: "Dates" },
  place: { kk: "Өткізілген орны", ru: "Место проведения", en: "Place" },
  trainers: { kk: "Оқытушылар", ru: "Преподаватели", en: "Trainers" },
  participant: { kk: "Қатысушы", ru: "Участник", en: "Participant" },
  licence: { kk: "Лицензия", ru: "Лицензия", en: "Licence" },
  bar: { kk: "Адвокаттар алқасы", ru: "Коллегия адвокатов", en: "Bar" },
  role: { kk: "Рөлі", ru: "Роль", en: "Role" },
  roleAttendee: { kk: "тыңдаушы", ru: "слушатель", en: "attendee" },
  roleTeacher: { kk: "сабақ жүргізуші (5.1.4)", ru: "преподаватель (5.1.4)", en: "teacher (5.1.4)" },
  issued: { kk: "Берілген күні", ru: "Дата выдачи", en: "Issued" },
  validUntil: { kk: "Жарамдылық мерзімі", ru: "Действителен до", en: "Valid until" },
  checks: { kk: "Тексерулер", ru: "Проверки", en: "Checks" },
  downloads: { kk: "Жүктеп алу", ru: "Скачать", en: "Download" },
  scan: { kk: "Тексеру үшін сканерлеңіз", ru: "Отсканируйте для проверки", en: "Scan to verify" },
  registry: { kk: "Аккредиттелген провайдерлер тізілімі", ru: "Реестр аккредитованных провайдеров", en: "Registry of accredited providers" },
  centres: { kk: "Біліктілікті арттыру орталықтары", ru: "Центры повышения квалификации", en: "Training centres" },
  providers: { kk: "Аккредиттелген провайдерлер", ru: "Аккредитованные провайдеры", en: "Accredited providers" },
  none: { kk: "Жоқ", ru: "Нет", en: "None" },
  decision: { kk: "Төралқа шешімі", ru: "Решение президиума", en: "Presidium decision" },
  criteria: { kk: "Өлшемшарттар (9.1)", ru: "Критерии (9.1)", en: "Criteria (9.1)" },
  scope: { kk: "Аясы", ru: "Охват", en: "Scope" },
  allProgrammes: { kk: "барлық бағдарламалар", ru: "все программы", en: "all programmes" },
  allForms: { kk: "барлық нысандар", ru: "все формы", en: "all forms" },
  validFrom: { kk: "Бастап", ru: "С", en: "From" },
  state: { kk: "Күйі", ru: "Статус", en: "Status" },
  unverifiedName: { kk: "атауы расталмаған", ru: "название не подтверждено", en: "name not yet confirmed" },
  notFound: { kk: "Сертификат табылмады", ru: "Сертификат не найден", en: "Certificate not found" },
  revokedReason: { kk: "Кері қайтару себебі", ru: "Причина отзыва", en: "Reason for revocation" },
} satisfies Record<string, Text>;

export const CHECK_NAMES: Record<string, Text> = {
  format: { kk: "Құрылымы", ru: "Структура", en: "Well formed" },
  signature: { kk: "Электрондық қолтаңба", ru: "Электронная подпись", en: "Signature" },
  key: { kk: "Кілт берілген күні жарамды болды", ru: "Ключ действовал на дату выдачи", en: "Key valid at issuance" },
  accreditation: { kk: "Берілген күні аккредиттелген", ru: "Аккредитован на дату выдачи", en: "Issuer accredited on that date" },
  status: { kk: "Кері қайтарылмаған", ru: "Не отозван", en: "Not revoked" },
  validity: { kk: "Жарамдылық мерзімі", ru: "Срок действия", en: "Validity period" },
};

export const OUTCOME_NAMES: Record<string, Text> = {
  passed: { kk: "өтті", ru: "пройдена", en: "passed" },
  failed: { kk: "өтпеді", ru: "не пройдена", en: "failed" },
  "not-checked": { kk: "тексерілмеді", ru: "не проверялась", en: "not checked" },
};

export const STATE_NAMES: Record<string, Text> = {
  active: { kk: "күшінде", ru: "действует", en: "in force" },
  "not-yet-valid": { kk: "әлі күшіне енбеген", ru: "ещё не вступила в силу", en: "not yet in force" },
  expired: { kk: "мерзімі өткен", ru: "истекла", en: "expired" },
  withdrawn: { kk: "айырылған (9.2)", ru: "лишён аккредитации (9.2)", en: "withdrawn (9.2)" },
};

export const CRITERION_NAMES: Record<string, Text> = {
  "education-licence": { kk: "Құқық саласындағы білім беру лицензиясы (9.1.1)", ru: "Лицензия на образовательную деятельность в области права (9.1.1)", en: "Education licence in law (9.1.1)" },
  "academic-degree": { kk: "Ғылыми дәреже немесе атақ (9.1.2)", ru: "Учёная степень или звание (9.1.2)", en: "Academic degree or title (9.1.2)" },
  "teaching-5-years": { kk: "Кемінде 5 жыл құқықты оқыту (9.1.3)", ru: "Не менее 5 лет преподавания права (9.1.3)", en: "At least 5 years teaching law (9.1.3)" },
  "advocacy-5-years": { kk: "Кемінде 5 жыл адвокаттық өтілі (9.1.4)", ru: "Не менее 5 лет адвокатского стажа (9.1.4)", en: "At least 5 years of advocacy (9.1.4)" },
};

export const t = (text: Text, lang: Lang): string => text[lang];

/** Explanations of check outcomes by their stable code. English pages show the verifier's own, more specific detail. */
export const CHECK_DETAILS: Record<string, Text> = {
  "well-formed": { kk: "VC 2.0 / Open Badges 3.0 талаптарына сай құрылған сертификат.", ru: "Сертификат составлен по правилам VC 2.0 / Open Badges 3.0.", en: "A well-formed certificate." },
  malformed: { kk: "Сертификаттың құрылымы дұрыс емес.", ru: "Сертификат составлен с ошибками.", en: "The certificate is not well formed." },
  "signature-valid": { kk: "Ed25519 қолтаңбасы жарамды.", ru: "Подпись Ed25519 действительна.", en: "The Ed25519 signature is valid." },
  "signature-invalid": { kk: "Қолтаңба мазмұнға сәйкес емес: сертификат өзгертілген.", ru: "Подпись не соответствует содержимому: сертификат изменён.", en: "The signature does not match the contents." },
  "algorithm-not-allowed": { kk: "Қолтаңба алгоритміне рұқсат жоқ (тек EdDSA).", ru: "Недопустимый алгоритм подписи (только EdDSA).", en: "Signature algorithm not accepted (EdDSA only)." },
  "bad-algorithm": { kk: "Қолтаңба алгоритміне рұқсат жоқ (тек EdDSA).", ru: "Недопустимый алгоритм подписи (только EdDSA).", en: "Signature algorithm not accepted (EdDSA only)." },
  "wrong-media-type": { kk: "JWT түрі vc+jwt емес.", ru: "Тип JWT не vc+jwt.", en: "The JWT type is not vc+jwt." },
  "no-key-id": { kk: "Қолтаңба кілті көрсетілмеген.", ru: "Не указан ключ подписи.", en: "No signing key is named." },
  "unknown-key": { kk: "Қолтаңба кілті тізілімде жоқ.", ru: "Ключ подписи не найден в реестре.", en: "The signing key is not in the registry." },
  "key-not-issuers": { kk: "Кілт сертификатты берушіге тиесілі емес.", ru: "Ключ не принадлежит выдавшей организации.", en: "The key does not belong to the issuer." },
  "content-differs": { kk: "JSON қол қойылған мазмұннан өзгеше: өзгертілген.", ru: "JSON отличается от подписанного: изменён.", en: "The JSON differs from what was signed." },
  "no-supported-proof": { kk: "Тексерілетін қолтаңба жоқ.", ru: "Нет подписи, которую можно проверить.", en: "No proof that can be checked." },
  "not-checked": { kk: "Тексерілмеді: мазмұнға сенуге болмайды.", ru: "Не проверялось: содержимому нельзя доверять.", en: "Not checked: the contents cannot be trusted." },
  "key-valid-at-issuance": { kk: "Берілген күні кілт күшінде болды.", ru: "Ключ действовал на дату выдачи.", en: "The key was active on the date of issue." },
  "key-not-valid-at-issuance": { kk: "Берілген күні кілт күшінде болмады.", ru: "Ключ не действовал на дату выдачи.", en: "The key was not active on the date of issue." },
  "issuer-not-in-registry": { kk: "Беруші аккредиттелгендер тізілімінде жоқ.", ru: "Выдавшей организации нет в реестре.", en: "The issuer is not in the registry." },
  accredited: { kk: "Берілген күні осы бағдарлама мен нысанға аккредиттелген.", ru: "На дату выдачи аккредитован на эту программу и форму.", en: "Accredited for this programme and form on the date of issue." },
  "accreditation-none": { kk: "Беруші ешқашан аккредиттелмеген (9.1).", ru: "Организация никогда не была аккредитована (9.1).", en: "The issuer was never accredited (9.1)." },
  "accreditation-not-yet-valid": { kk: "Берілген күні аккредиттеу әлі күшіне енбеген.", ru: "На дату выдачи аккредитация ещё не действовала.", en: "Not yet accredited on the date of issue." },
  "accreditation-expired": { kk: "Берілген күні аккредиттеу мерзімі өткен.", ru: "На дату выдачи аккредитация истекла.", en: "The accreditation had expired on the date of issue." },
  "accreditation-withdrawn": { kk: "Берілген күні аккредиттеуден айырылған (9.2).", ru: "На дату выдачи аккредитация отозвана (9.2).", en: "The accreditation had been withdrawn by the date of issue (9.2)." },
  "accreditation-programme-out-of-scope": { kk: "Аккредиттеу бұл бағдарламаны қамтымайды (10.1).", ru: "Аккредитация не охватывает эту программу (10.1).", en: "The accreditation does not cover this programme (10.1)." },
  "accreditation-form-out-of-scope": { kk: "Аккредиттеу бұл нысанды қамтымайды (5.1).", ru: "Аккредитация не охватывает эту форму (5.1).", en: "The accreditation does not cover this form (5.1)." },
  "not-revoked": { kk: "Сертификат кері қайтарылмаған.", ru: "Сертификат не отозван.", en: "The certificate has not been revoked." },
  revoked: { kk: "Сертификатты беруші немесе алқа кері қайтарған.", ru: "Сертификат отозван выдавшей организацией или коллегией.", en: "The certificate has been revoked." },
  suspended: { kk: "Сертификаттың күші тоқтатылған.", ru: "Действие сертификата приостановлено.", en: "The certificate is suspended." },
  "status-unavailable": { kk: "Кері қайтару күйін тексеру мүмкін болмады.", ru: "Не удалось проверить статус отзыва.", en: "The revocation status could not be checked." },
  "within-validity": { kk: "Сертификат жарамдылық мерзімі ішінде.", ru: "Сертификат в пределах срока действия.", en: "Within its validity period." },
  "not-yet-valid": { kk: "Сертификат болашақ күнмен берілген.", ru: "Сертификат датирован будущим числом.", en: "The certificate is dated in the future." },
  expired: { kk: "Сертификаттың жарамдылық мерзімі аяқталған.", ru: "Срок действия сертификата истёк.", en: "The certificate's validity has ended." },
};

export function checkDetail(check: { code: string; detail: string }, lang: Lang): string {
  if (lang === "en") return check.detail;
  return CHECK_DETAILS[check.code]?.[lang] ?? check.detail;
}
