// The API's description is generated from the routes' validators and
// descriptions (worker/middleware/). Here, under Node, the real app's document
// is checked: valid OpenAPI 3.1, every route of the app in it with a summary and
// an example answer, and every endpoint the docs name present.
import { Validator } from '@seriousme/openapi-schema-validator';
import { generateSpecs } from 'hono-openapi';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { app } from '../../worker/app';
import { specOptions } from '../../worker/routes/openapi';

type Operation = { summary?: string; responses?: Record<string, { content?: Record<string, { example?: unknown }> }> };
let spec: { openapi: string; paths: Record<string, Record<string, Operation>> };

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const oas = (path: string) => path.replace(/:(\w+)/g, '{$1}');

beforeAll(async () => {
  spec = (await generateSpecs(app as never, specOptions as never)) as typeof spec;
});

describe('GET /api/v1/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const v = new Validator();
    const res = await v.validate(spec as never);
    expect(res.errors ?? [], JSON.stringify(res.errors, null, 1)?.slice(0, 2000)).toEqual([]);
    expect(res.valid).toBe(true);
    expect(v.version).toBe('3.1');
  });

  it('describes every route the app serves, each with a summary and an example answer', () => {
    const served = new Set<string>();
    for (const r of app.routes) {
      const m = r.method.toLowerCase();
      if (!METHODS.includes(m) || r.path.includes('*')) continue;
      served.add(`${m} ${oas(r.path)}`);
    }
    const missing = [...served].filter((k) => {
      const [m, p] = k.split(' ');
      return !spec.paths[p]?.[m];
    });
    expect(missing).toEqual([]);
    const thin: string[] = [];
    for (const [p, ops] of Object.entries(spec.paths)) {
      for (const [m, op] of Object.entries(ops)) {
        if (!METHODS.includes(m)) continue;
        // A WebSocket endpoint's success is its 101 (the upgrade), which has no body.
        const ok = Object.entries(op.responses ?? {}).find(([s]) => s.startsWith('2') || s === '101');
        const json = ok?.[1].content?.['application/json'];
        if (!op.summary || !ok || (ok[0] !== '101' && json && json.example === undefined)) thin.push(`${m} ${p}`);
      }
    }
    expect(thin).toEqual([]);
    expect(served.size).toBeGreaterThan(30);
  });

  it('lists every endpoint the README and docs/ name', () => {
    const files = ['README.md'];
    const walk = (dir: string) => {
      let entries: string[] = [];
      try {
        entries = readdirSync(dir);
      } catch {
        return;
      }
      for (const e of entries) {
        const f = join(dir, e);
        if (e.endsWith('.md')) files.push(f);
        else if (!e.includes('.')) walk(f);
      }
    };
    walk('docs');
    const named = new Set<string>();
    for (const f of files) {
      // "no route for GET /api/v1/nothing" in an example 404 names no endpoint.
      for (const m of readFileSync(f, 'utf8').replaceAll(/no route for \w+ \S+/g, '').matchAll(/\b(GET|POST|PUT|PATCH|DELETE)(?:\|(?:GET|POST|PUT|PATCH|DELETE))*\s+`?(\/(?:api\/v1|collect|checkin|o2o\.js)[\w\-./:{}]*)/g)) {
        for (const method of m[0].split(/\s+/)[0].split('|')) named.add(`${method.toLowerCase()} ${oas(m[2]).replace(/\/$/, '') || '/'}`);
      }
    }
    // A named path matches a documented one literally or by its template (/stores/sh-xuhui/qr.svg is /stores/{store}/qr.svg).
    const templates = Object.entries(spec.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => ({ m, re: new RegExp(`^${p.replace(/\/$/, '').replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+')}/?$`) })));
    const absent = [...named].filter((k) => {
      const [m, p] = k.split(' ');
      return !templates.some((t) => t.m === m && t.re.test(p));
    });
    expect(absent).toEqual([]);
    expect(named.size).toBeGreaterThan(10);
  });
});
