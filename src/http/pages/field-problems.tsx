/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * A refused console form's problems, drawn where the clerk looks (issue 16): each beside its field, with
 * aria-invalid and aria-describedby so a screen reader says it on focus, and the rest in a list above the form.
 * Both consoles (the provider's and admin's, the bar's) refill their forms through this one helper.
 */
import type { FieldProblem } from "../../domain/errors.js";
import { problemText, type Lang } from "../i18n.js";

/** What every refused form carries: which form it was, its problems and the refusal's detail in the page's language. */
export interface RefusedFormBase {
  form: string;
  problems: FieldProblem[];
  detail: string;
}

/**
 * The refusal of `form`, if `refused` is that form's: `fieldOf` names the field a problem is about, and
 * `inSummary(p, fields)` whether it is also listed above the form, given the fields that show their own.
 */
export function fieldProblems<R extends RefusedFormBase>(
  lang: Lang,
  refused: R | undefined,
  form: string,
  fieldOf: (p: FieldProblem) => string,
  inSummary: (p: FieldProblem, fields: string[]) => boolean = (p, fields) => !fields.includes(fieldOf(p)),
) {
  const r = refused?.form === form ? refused : undefined;
  const key = form.replace(/[^0-9A-Za-z-]/g, "-");
  const of = (name: string) => (r ? r.problems.filter((p) => fieldOf(p) === name) : []);
  return {
    refused: r,
    /** aria-invalid and the problem's id, for a field with a problem. */
    aria: (name: string) => (of(name).length > 0 ? { "aria-invalid": "true", "aria-describedby": `problem-${key}-${name}` } : {}),
    /** The field's problems, in the page's language, beside it (`text` in place of each problem's own words). */
    note: (name: string, text?: string) => {
      const list = of(name);
      if (list.length === 0) return null;
      return (
        <span class="field-problem" id={`problem-${key}-${name}`} data-problem-field={name}>
          {list.map((p) => <span data-problem-code={p.code}>{text ?? problemText(p, lang).text}</span>)}
        </span>
      );
    },
    /** The summary above the form's fields: the problems `inSummary` keeps. */
    rest: (fields: string[]) => {
      const list = r ? r.problems.filter((p) => inSummary(p, fields)) : [];
      return list.length === 0 ? null : (
        <ul class="form-problems" data-problems={key}>
          {list.map((p) => {
            const { where, text } = problemText(p, lang);
            return <li data-problem-code={p.code} data-path={p.path}><code>{where}</code>: {text}</li>;
          })}
        </ul>
      );
    },
  };
}
