// GBK bytes for a string, as Chinese Excel writes its "CSV": Node can decode
// GBK (TextDecoder) but not encode it, so the encoder is the WHATWG gbk
// decoder's own table turned round: every two-byte code decoded once, each
// character mapped back to the first code that makes it. No package needed,
// and the test can check its bytes decode back to the text.
let table;

function gbkTable() {
  if (table) return table;
  table = new Map();
  const dec = new TextDecoder('gbk');
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      const ch = dec.decode(new Uint8Array([lead, trail]));
      if (ch.length === 1 && ch !== '\ufffd' && !table.has(ch)) table.set(ch, [lead, trail]);
    }
  }
  return table;
}

/** `text` as GBK bytes; throws on a character GBK cannot write. */
export function gbk(text) {
  const map = gbkTable();
  const out = [];
  for (const ch of text) {
    const c = ch.codePointAt(0);
    if (c < 0x80) out.push(c);
    else if (map.has(ch)) out.push(...map.get(ch));
    else throw new Error(`GBK has no code for ${JSON.stringify(ch)}`);
  }
  return Buffer.from(out);
}
