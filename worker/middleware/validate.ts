// Request validation from the declared schemas (protocol/): one middleware per
// target (a JSON body, the query, the path), each checking the input against
// its valibot schema, answering a failure with the envelope, and leaving the
// typed value for `c.req.valid(target)`. The same middleware carries its schema
// to hono-openapi, so GET /api/v1/openapi.json is generated from what runs.
import type { Context, Env, MiddlewareHandler } from 'hono';
import { resolver, uniqueSymbol } from 'hono-openapi';
import * as v from 'valibot';
import { check } from '../validate/schema';
import { readJsonObject } from './body';

type Schema = v.GenericSchema;
type Target = 'json' | 'query' | 'param';

export interface JsonOptions {
  /** The largest body accepted, in bytes (413 past it). */
  max?: number;
  /** Error codes by field name (the last key of its path), where a field's failure has a code of its own (e.g. amount → invalid_amount). */
  codes?: Record<string, string>;
}

type Validated<T extends Target, S extends Schema> = {
  in: { [K in T]: v.InferInput<S> };
  out: { [K in T]: v.InferOutput<S> };
};

function described<M extends MiddlewareHandler>(mw: M, target: Target, schema: Schema): M {
  return Object.assign(mw, { [uniqueSymbol]: { target, ...resolver(schema) } });
}

/** A JSON object body, bounded (413), parsed (400 invalid_json / invalid_body) and checked (400 per field). */
export function json<S extends Schema, E extends Env = Env, P extends string = string>(schema: S, opts: JsonOptions = {}) {
  const mw: MiddlewareHandler<E, P, Validated<'json', S>> = async (c, next) => {
    const body = await readJsonObject(c, opts.max);
    c.req.addValidatedData('json', check(schema, body, 'field', opts.codes) as object);
    await next();
  };
  return described(mw, 'json', schema);
}

/** Query parameters, one value each (a repeated parameter counts once: its first value; an empty one is absent). */
export function query<S extends Schema, E extends Env = Env, P extends string = string>(schema: S) {
  const mw: MiddlewareHandler<E, P, Validated<'query', S>> = async (c, next) => {
    c.req.addValidatedData('query', check(schema, queryOf(c), 'parameter') as object);
    await next();
  };
  return described(mw, 'query', schema);
}

/** Path parameters. */
export function param<S extends Schema, E extends Env = Env, P extends string = string>(schema: S) {
  const mw: MiddlewareHandler<E, P, Validated<'param', S>> = async (c, next) => {
    c.req.addValidatedData('param', check(schema, c.req.param(), 'parameter') as object);
    await next();
  };
  return described(mw, 'param', schema);
}

function queryOf(c: Context): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, vals] of Object.entries(c.req.queries())) if (vals[0]) out[k] = vals[0];
  return out;
}
