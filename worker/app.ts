// The Hono app: mounts every route and the one error handler.
import { Hono } from 'hono';
import type { AppEnv } from './env';
import { notFound, onError } from './errors';
import { adplatforms } from './adplatforms/route-adplatforms';
import { admin } from './routes/admin';
import { arrivals } from './routes/arrivals';
import { booking } from './routes/booking';
import { checkin } from './routes/checkin';
import { collect } from './routes/collect';
import { conversations } from './conversations/route-events';
import { crm } from './routes/crm';
import { deals } from './routes/deals';
import { leads } from './routes/leads';
import { reports } from './routes/reports';
import { scenes } from './routes/scenes';
import { robots } from './robots/route-robots';
import { script } from './routes/script';
import { serviceReport } from './conversations/route-report';
import { serviceSettings } from './conversations/route-settings';
import { chat } from './desk/route-chat';
import { desk, transcripts } from './desk/route-desk';
import { deskSettings } from './desk/route-settings';
import { describe } from './middleware/describe';
import { openapi } from './routes/openapi';
import { session } from './routes/session';
import { skus } from './routes/skus';
import { spend } from './routes/spend';
import { stores } from './routes/stores';
import { securityHeaders } from './security-headers';

export const app = new Hono<AppEnv>();

app.use(securityHeaders()); // nosniff on every answer; CSP on the HTML the worker renders
app.route('/', script);
app.route('/collect', collect);
// Before /api/v1/reports and /api/v1/admin: these paths sit inside theirs.
app.route('/api/v1/reports/service', serviceReport);
app.route('/api/v1/reports/scenes', scenes); // a WeChat mini program's visitors by launch scene
app.route('/api/v1/admin/sites/:site/service', serviceSettings);
app.route('/api/v1/admin/sites/:site/desk', deskSettings);
// The consult desk (worker/desk/): the visitor's chat, the agents' desk, transcripts (before the vendor relay's router).
app.route('/chat', chat);
app.route('/api/v1/desk', desk);
app.route('/api/v1/conversations', transcripts);
app.route('/api/v1/conversations', conversations);
app.route('/api/v1/reports', reports);
app.route('/api/v1/admin', robots); // the morning report's group robots (WeCom, DingTalk)
app.route('/api/v1/admin', adplatforms); // conversions fed back to Baidu, Ocean Engine, Tencent Ads, 360
app.route('/api/v1/admin', admin);
// The offline funnel: leads, arrivals, deals, store check-in, the CRM webhook.
app.route('/api/v1/leads', booking); // POST: the service desk books (before the leads' reads, which a service token may not use)
app.route('/api/v1/leads', leads);
app.route('/api/v1/skus', skus); // the store workspace's SKU picker
app.route('/api/v1/arrivals', arrivals);
app.route('/api/v1/deals', deals);
app.route('/api/v1/stores', stores);
app.route('/api/v1/admin', crm);
app.route('/checkin', checkin);
app.route('/api/v1/session', session);
app.route('/api/v1/spend', spend);
app.get(
  '/api/v1/openapi.json',
  describe({ tag: 'Contract', auth: 'none', summary: 'This description of the API (OpenAPI 3.1), generated from the routes', ok: { example: { openapi: '3.1.0', info: { title: 'o2o-tracker API', version: '1.0.0' }, paths: {} } } }),
  openapi(app),
);

app.notFound(notFound);
app.onError(onError);
