// The HTML of self check-in: the page the customer's phone opens, the printable
// poster, and the error page. Plain strings, every value escaped; the pages'
// one stylesheet and one script are files of their own (GET /checkin/checkin.css
// and /checkin/checkin.js), so the strict CSP (worker/security-headers.ts) needs
// no inline script or style.
import type { Site, Store } from '../db/sites';

const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

export const CHECKIN_CSS = `body{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;padding:24px;color:#222;background:#faf8f5;text-align:center}
main{max-width:420px;margin:0 auto}h1{font-size:22px;margin:8px 0 4px}.muted{color:#777;font-size:14px}
.code{font:700 40px/1.2 ui-monospace,Menlo,monospace;letter-spacing:6px;margin:16px 0;padding:12px;background:#fff;border:2px dashed #b08050;border-radius:8px}
.hidden{display:none}.err{color:#b00020}
@page{size:A4;margin:15mm}.poster main{max-width:180mm}.poster h1.store{font-size:36px}.qr svg{width:120mm;height:120mm}
@media print{.poster{background:#fff}.noprint{display:none}}`;

function shell(title: string, body: string, { head = '', bodyClass = '' } = {}): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><link rel="stylesheet" href="/checkin/checkin.css">${head}</head><body${bodyClass ? ` class="${bodyClass}"` : ''}><main>${body}</main></body></html>`;
}

// The localStorage key where the script tag keeps [visitor id, session id, last
// activity] (sdk/storage.ts KEYS.ids; test/worker/checkin.test.ts checks they
// agree).
export const SDK_IDS_KEY = 'o2o_id';

// The pages' script. On the poster it wires the print button. On the check-in
// page it runs on load, after the deferred script tag, so even a first visit
// has the visitor id the tracker just made. Without the tracker (blocked) the
// page checks in under a one-off id: a direct walk-in, as far as anyone can tell.
// The site and key come from its own tag's data- attributes.
export const CHECKIN_SCRIPT = `(function(){var d=document.currentScript.dataset,$=function(i){return document.getElementById(i)};
var p=$('print');if(p)p.addEventListener('click',function(){print()});if(!d.site)return;
function vid(){var v;try{v=(JSON.parse(localStorage.getItem('${SDK_IDS_KEY}'))||[])[0]}catch(e){}
if(!v){v='';var a=crypto.getRandomValues(new Uint8Array(21));for(var i=0;i<21;i++)v+=(a[i]%36).toString(36)}return v}
function fail(m){$('wait').className='hidden';$('fail').className='err';$('fail').textContent=m}
addEventListener('load',function(){fetch(location.pathname,{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify({s:d.site,k:d.key,v:vid()})})
.then(function(r){return r.json().then(function(j){if(!r.ok)throw new Error(j.error&&j.error.message||r.status);return j})})
.then(function(j){$('wait').className='hidden';$('done').className='';if(j.lead){$('code').textContent=j.lead.code;$('haslead').className=''}else{$('walkin').className=''}})
.catch(function(e){fail('签到没有成功，请告诉门店顾问。Check-in failed: '+e.message)})})})();`;

export function checkinPage(site: Site, store: Store, key: string): string {
  const body = `<p class="muted">${esc(site.name)}</p><h1>${esc(store.name)}</h1>
<p id="wait">正在签到… Checking you in…</p>
<div id="done" class="hidden"><h1>签到成功 ✓</h1><p class="muted">Welcome! You are checked in.</p>
<div id="haslead" class="hidden"><p>您的预约码 Your appointment code</p><div class="code" id="code"></div><p class="muted">请出示给门店顾问。Show it to the staff.</p></div>
<p id="walkin" class="hidden">欢迎光临，顾问马上为您服务。A consultant will be with you shortly.</p></div>
<p id="fail" class="hidden"></p>
<script src="/checkin/checkin.js" data-site="${esc(site.siteKey)}" data-key="${esc(key)}"></script>`;
  return shell(`签到 · ${store.name}`, body, { head: `<script defer src="/o2o.js" data-site="${esc(site.siteKey)}"></script>` });
}

export function posterPage(site: Site, store: Store, svg: string): string {
  const body = `<p class="muted">${esc(site.name)}</p><h1 class="store">${esc(store.name)}</h1>
<h2>扫码签到 · Scan to check in</h2><div class="qr">${svg}</div>
<p>用您浏览官网的手机扫码，出示预约码，享受预约礼遇。<br>Scan with the phone you browsed our site on.</p>
<p class="noprint muted"><button type="button" id="print">打印 Print</button></p>
<script src="/checkin/checkin.js"></script>`;
  return shell(`海报 · ${store.name}`, body, { bodyClass: 'poster' });
}

export function errorPage(message: string): string {
  return shell('签到 Check-in', `<h1>签到 Check-in</h1><p class="err">${esc(message)}</p>`);
}
