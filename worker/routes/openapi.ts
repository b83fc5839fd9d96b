// GET /api/v1/openapi.json: the API's description, generated at the first
// request from the routes' validators and descriptions (hono-openapi), then
// kept for the isolate's life.
import type { Hono } from 'hono';
import { openAPIRouteHandler, type GenerateSpecOptions } from 'hono-openapi';
import { PROTOCOL_VERSION } from '../../protocol/wire';

const envelope = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string', examples: ['invalid_field'] }, message: { type: 'string', examples: ['"store" is required: it must be a store id'] }, details: {} },
    },
  },
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function openapi(app: Hono<any>) {
  return openAPIRouteHandler(app, specOptions);
}

/** The document's frame; the paths come from the routes. Exported for the contract test. */
export const specOptions: Partial<GenerateSpecOptions> = {
  excludeStaticFile: false, // /o2o.js, the QR code's .svg and this document are endpoints too
  documentation: {
    openapi: '3.1.0',
    info: {
      title: 'o2o-tracker API',
      version: `${PROTOCOL_VERSION}.0.0`,
      description: 'Channel-to-store analytics: the browser beacon endpoint, the store staff API (arrivals, deals, leads, check-in), reports, the chat and CRM integrations and the admin API. Every error answers `{ error: { code, message } }`.',
    },
    servers: [{ url: '/', description: 'this worker' }],
    components: {
      securitySchemes: { bearer: { type: 'http' as const, scheme: 'bearer', description: 'A report, store or admin token: `Authorization: Bearer <token>`.' } },
      schemas: { Error: envelope as never },
    },
  },
  defaultValidationErrorResponse: { description: 'The request is not valid: the message names the field', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } as never,
};
