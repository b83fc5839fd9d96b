import { gzipSync } from 'node:zlib'; import { readFileSync } from 'node:fs';
const c = readFileSync(process.argv[2] || '/tmp/h/o2o.js', 'utf8'); console.log(c.length, gzipSync(c, { level: 9 }).length);
