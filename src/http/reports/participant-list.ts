/**
 * 12.3: a participant list as its tabled forms print it — the event's time, date, place, title, trainers, hours and
 * programme, then who took part — every text already in the report's language. Built from the provider's event by
 * {@link participantListDocument}; any other reader of lists (the participants' bar) builds the same from its own.
 */
import { academicHours, kzDateTime } from "../../domain/time.js";
import type { CleEvent, Participant } from "../../issuance/model.js";
import type { Bar, Vocabulary } from "../../registry/model.js";
import { BK, REPORTS_T, T, t, type Lang } from "../i18n.js";
import type { ReportFrame } from "./frame.js";
import { formatNumber } from "./numbers.js";

export interface ParticipantListDocument {
  lang: Lang;
  /** Who drew the list up: the provider that ran the event. */
  organiser: string;
  event: {
    id: string;
    topic: string;
    programme: string;
    form: string;
    delivery: string;
    coOrganiser: string | null;
    place: string;
    startsAt: string;
    endsAt: string;
    durationMinutes: number;
    trainers: string[];
  };
  participants: { licence: string; fullName: string; bar: string; role: "attendee" | "teacher"; certificateId: string | null }[];
  generatedAt: string;
}

export function participantListDocument(o: {
  lang: Lang;
  event: CleEvent;
  participants: (Participant & { certificateId: string | null })[];
  organiser: string;
  vocabulary: Vocabulary;
  bars: Bar[];
  generatedAt: string;
}): ParticipantListDocument {
  const { lang, event: e, vocabulary: v } = o;
  const name = (list: Vocabulary[keyof Vocabulary], code: string) => list.find((x) => x.code === code)?.names[lang] ?? code;
  const bar = (id: string) => o.bars.find((b) => b.id === id)?.names[lang] ?? id;
  return {
    lang,
    organiser: o.organiser,
    event: {
      id: e.id,
      topic: e.topic,
      programme: name(v.programmes, e.programme),
      form: name(v.forms, e.form),
      delivery: name(v.deliveryModes, e.deliveryMode),
      coOrganiser: e.coOrganiserBarId ? bar(e.coOrganiserBarId) : null,
      place: e.place,
      startsAt: e.startsAt,
      endsAt: e.endsAt,
      durationMinutes: e.durationMinutes,
      trainers: e.trainers.map((x) => x.name),
    },
    participants: [...o.participants]
      .sort((a, b) => a.position - b.position)
      .map((p) => ({ licence: p.licenceNumber, fullName: p.fullName, bar: bar(p.barId), role: p.role, certificateId: p.certificateId })),
    generatedAt: o.generatedAt,
  };
}

export function participantListFrame(d: ParticipantListDocument): ReportFrame {
  return { lang: d.lang, owner: d.organiser, title: t(REPORTS_T.participantsTitle, d.lang), generatedAt: d.generatedAt };
}

/** 12.3's particulars of the event, as label and printed value. */
export function eventFields(d: ParticipantListDocument): [string, string][] {
  const { lang, event: e } = d;
  const start = kzDateTime(e.startsAt);
  const end = kzDateTime(e.endsAt);
  const date = start.slice(0, 10) === end.slice(0, 10) ? start.slice(0, 10) : `${start.slice(0, 10)} – ${end.slice(0, 10)}`;
  return [
    [t(T.topic, lang), e.topic],
    [t(T.organiser, lang), d.organiser],
    ...(e.coOrganiser ? [[t(T.coOrganiser, lang), e.coOrganiser] as [string, string]] : []),
    [t(T.programme, lang), e.programme],
    [t(T.form, lang), `${e.form}, ${e.delivery}`],
    [t(REPORTS_T.date, lang), date],
    [t(REPORTS_T.time, lang), `${start.slice(11)} – ${end.slice(11)}`],
    [t(T.place, lang), e.place],
    [t(T.trainers, lang), e.trainers.join(", ") || "—"],
    [t(BK.hours, lang), `${formatNumber(academicHours(e.durationMinutes), lang, 1)} (${t(T.hoursNote, lang)})`],
  ];
}

export const roleName = (role: "attendee" | "teacher", lang: Lang): string => t(role === "teacher" ? T.roleTeacher : T.roleAttendee, lang);
