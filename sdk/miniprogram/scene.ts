// The channel and promoter inside a mini program code's `scene`. A code made by
// wxacode.getUnlimited carries at most 32 visible characters of
// [0-9A-Za-z!#$&'()*+,/:;=?@-._~] and opens the page with them as `scene` in its
// query (URI-encoded). `ch~pr` fits two codes in that space where `ch=…&pr=…`
// spends 7 characters on the names: "dy_live~p0123" is channel dy_live, promoter
// p0123; "~p0123" is a promoter alone; "dy_live" a channel alone.

/** At most this many characters in a scene (WeChat's limit). */
export const SCENE_MAX = 32;
// A code as the scene may carry it; `~` separates the two, so a code never holds one.
const CODE = /^[0-9A-Za-z_.-]*$/;

/**
 * The scene of a mini program code for a channel and a promoter: `ch~pr`, or `ch` alone.
 * Throws when a code holds a character other than letters, digits, `_`, `.`, `-`, or the two
 * together are longer than 31 characters (32 with the `~`).
 * @example encodeScene({ ch: 'dy_live', pr: 'p0123' }) // 'dy_live~p0123'
 */
export function encodeScene(codes: { ch?: string; pr?: string }): string {
  const ch = codes.ch || '';
  const pr = codes.pr || '';
  if (!CODE.test(ch) || !CODE.test(pr)) throw Error('o2o encodeScene: ch and pr may hold only letters, digits, _ . -');
  const scene = pr ? ch + '~' + pr : ch;
  if (scene.length > SCENE_MAX) throw Error(`o2o encodeScene: "${scene}" is longer than a scene's ${SCENE_MAX} characters`);
  return scene;
}

/**
 * The channel and promoter in a scene: the compact `ch~pr`, or the longer `ch=…&pr=…`
 * (either order, other keys ignored). Empty when the scene is neither (`id=42`, `a~b~c`,
 * other characters). A plain word is a channel alone: a brand whose scenes carry something
 * else (a product id) turns this off with the tracker's `sceneCodes: false`. Accepts the
 * scene as the page gets it, URI-encoded or not.
 * @example decodeScene(decodeURIComponent(query.scene)) // { ch: 'dy_live', pr: 'p0123' }
 */
export function decodeScene(scene: string | undefined): { ch?: string; pr?: string } {
  let s = scene || '';
  try {
    s = decodeURIComponent(s);
  } catch {
    // a stray % stays as it is, and matches neither form below
  }
  const out: { ch?: string; pr?: string } = {};
  if (s.indexOf('=') >= 0) {
    for (const pair of s.split('&')) {
      const [k, v] = pair.split('=');
      if ((k == 'ch' || k == 'pr') && v) out[k] = v;
    }
    return out;
  }
  const [ch, pr, extra] = s.split('~');
  if (extra !== undefined || !CODE.test(ch) || (pr !== undefined && !CODE.test(pr))) return out;
  if (ch) out.ch = ch;
  if (pr) out.pr = pr;
  return out;
}
