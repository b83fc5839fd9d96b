// Fits the morning report into a robot's message limit (WeCom: 4096 bytes of
// UTF-8) by whole lines: the head and the dashboard link always stay, each
// section shows its first items, and what is left out is said ("另有 N 项"),
// never cut mid-line. The head and tail are bounded by the schemas (a site
// name of 200 characters, a URL of 2048), so they always fit.
import { bytes } from './format';

export interface Section {
  heading: string;
  items: string[];
  /** The most items shown even when there is room: a morning message is read on a phone. */
  cap: number;
}

const EMPTY = '- 暂无';
const CUT = '……篇幅所限，其余内容请打开看板查看';
// Room always kept for one section's "另有 N 项" line and the cut note.
const RESERVE = 128;

export function fitLines(head: string, sections: Section[], tail: string, budget: number): string {
  const out = [head];
  let used = bytes(head) + 1 + bytes(tail);
  const fits = (s: string) => used + bytes(s) + 1 + RESERVE <= budget;
  const add = (s: string) => {
    out.push(s);
    used += bytes(s) + 1;
  };
  let full = false;
  for (const s of sections) {
    const shown = s.items.slice(0, s.cap);
    if (!fits(`${s.heading}\n${shown[0] ?? EMPTY}`)) {
      full = true;
      break;
    }
    add(s.heading);
    if (!shown.length) add(EMPTY);
    let omitted = s.items.length - shown.length;
    for (let i = 0; i < shown.length; i++) {
      if (!fits(shown[i])) {
        full = true;
        omitted += shown.length - i;
        break;
      }
      add(shown[i]);
    }
    if (omitted > 0) add(`- ……另有 ${omitted} 项，见看板`);
    if (full) break;
  }
  if (full) add(CUT);
  out.push(tail);
  return out.join('\n');
}
