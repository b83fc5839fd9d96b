// Scanning a lead code with the camera, where the browser has BarcodeDetector
// (Chrome on Android, Safari 17+ on iOS behind a flag; not desktop Linux): the
// QR holds the code itself or a URL that carries it. Where the API is missing
// the Scan button is never shown and staff type the code.
import { h } from '../dom.js';
import { t } from './i18n.js';

const CODE = /^[2-9A-HJ-NP-Z]{6}$/;

export const canScan = () => typeof globalThis.BarcodeDetector === 'function' && !!navigator.mediaDevices?.getUserMedia;

/** The lead code in a scanned text: the text itself, or a query value, path segment or fragment of a URL. */
export function codeIn(text) {
  const norm = (s) => String(s).toUpperCase().replace(/[\s-]/g, '');
  const parts = [text];
  try {
    const u = new URL(text);
    parts.push(...u.searchParams.values(), ...u.pathname.split('/'), u.hash.slice(1));
  } catch {
    // not a URL: the text itself
  }
  return parts.map(norm).find((p) => CODE.test(p)) ?? null;
}

/** A Scan button; `found(code)` gets the first lead code the camera reads. */
export function scanButton(found) {
  const video = h('video.scan', { playsInline: true, muted: true, hidden: true });
  let stream = null;
  const stop = () => {
    stream?.getTracks().forEach((tr) => tr.stop());
    stream = null;
    video.hidden = true;
    btn.textContent = t('checkin.scan');
  };
  const loop = async (detector) => {
    if (!stream) return;
    try {
      for (const b of await detector.detect(video)) {
        const code = codeIn(b.rawValue);
        if (code) {
          stop();
          return found(code);
        }
      }
    } catch {
      // a frame not ready yet: try the next
    }
    setTimeout(() => loop(detector), 250);
  };
  const btn = h('button.btn.secondary', {
    type: 'button',
    onclick: async () => {
      if (stream) return stop();
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } }).catch(() => null);
      if (!stream) return;
      video.srcObject = stream;
      video.hidden = false;
      await video.play().catch(() => {});
      btn.textContent = t('checkin.stop');
      loop(new globalThis.BarcodeDetector({ formats: ['qr_code'] }));
    },
  }, t('checkin.scan'));
  return [btn, video];
}
