// Checking a value against a declared schema (protocol/) and saying what is
// wrong in the envelope's words: the request validators (middleware/validate.ts)
// and the import rows (flows/import-rows.ts) share it.
import * as v from 'valibot';
import { badRequest } from '../errors';

type Schema = v.GenericSchema;

/** The first problem of a failed parse as the envelope's 400: `"store" is required: must be a store id`. */
export function problem(issues: [v.BaseIssue<unknown>, ...v.BaseIssue<unknown>[]], noun: 'field' | 'parameter', codes: Record<string, string> = {}) {
  const issue = issues[0];
  const path = v.getDotPath(issue);
  const leaf = issue.path?.at(-1)?.key;
  const missing = path !== null && issue.input === undefined;
  // Own keys only: a field named after an Object property (a channel code "constructor") has no code of its own.
  const code = (typeof leaf === 'string' && Object.hasOwn(codes, leaf) && codes[leaf]) || `${missing ? 'missing' : 'invalid'}_${noun}`;
  if (path === null) return badRequest(code, issue.message);
  // A missing key's issue carries valibot's own "Invalid key" text: the field's name says enough.
  if (missing) return badRequest(code, issue.message.startsWith('must ') ? `"${path}" is required: it ${issue.message}` : `"${path}" is required`);
  return badRequest(code, `"${path}" ${issue.message}`);
}

export function check<S extends Schema>(schema: S, input: unknown, noun: 'field' | 'parameter', codes?: Record<string, string>): v.InferOutput<S> {
  const r = v.safeParse(schema, input, { abortPipeEarly: true });
  if (!r.success) throw problem(r.issues, noun, codes);
  return r.output;
}

