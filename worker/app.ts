// The Hono app: mounts every route and the one error handler.
import { Hono } from 'hono';
import type { AppEnv } from './env';
import { notFound, onError } from './errors';
import { admin } from './routes/admin';
import { collect } from './routes/collect';
import { reports } from './routes/reports';
import { script } from './routes/script';

export const app = new Hono<AppEnv>();

app.route('/', script);
app.route('/collect', collect);
app.route('/api/v1/reports', reports);
app.route('/api/v1/admin', admin);

app.notFound(notFound);
app.onError(onError);
