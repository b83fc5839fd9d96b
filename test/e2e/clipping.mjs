// The no-clipped-text check of the screenshot test, run inside the page. Every
// rendered element that shows text (its own text nodes, or a button, label,
// table cell, legend or tab) must fit its own box (scrollWidth <= clientWidth)
// and must not stick out of an ancestor that hides overflow. Sticking out of
// an ancestor that scrolls sideways (overflow-x auto or scroll: a wide table in
// its panel) is fine, as long as that ancestor can really scroll; and the page
// itself never scrolls sideways. Charts are SVG: their text is checked by
// chartLabels, not here.

/** In the page: a list of what is clipped, each naming the element and its widths; [] when nothing is. */
export function findClipped() {
  const SKIP = new Set(['SCRIPT', 'STYLE', 'OPTION', 'SELECT', 'INPUT', 'TEXTAREA', 'NOSCRIPT', 'svg']);
  const TEXTY = 'button, label, th, td, legend, caption, .tab, h1, h2, h3, .tag';
  const problems = [];
  const name = (el) => {
    const cls = typeof el.className === 'string' && el.className.trim() ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
    const where = el.closest('[data-chart], section, header, nav, form, main');
    const text = (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 60);
    return `<${el.localName}${cls}> "${text}"${where && where !== el ? ` in <${where.localName}${where.className ? `.${String(where.className).split(/\s+/).join('.')}` : ''}>` : ''}`;
  };
  const scrolls = (s) => s === 'auto' || s === 'scroll';
  for (const el of document.body.querySelectorAll('*')) {
    if (SKIP.has(el.localName) || SKIP.has(el.tagName) || el.closest('svg, [data-chart], select')) continue;
    if (!el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden') continue;
    const ownText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!ownText && !el.matches(TEXTY)) continue;
    // Its own box: text wider than the element (cut off, or spilling over its neighbours).
    if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1 && !scrolls(style.overflowX)) {
      problems.push(`${name(el)}: scrollWidth ${el.scrollWidth} > clientWidth ${el.clientWidth}`);
      continue;
    }
    // Its ancestors: the first one that does not let overflow show decides.
    const r = el.getBoundingClientRect();
    for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
      const ox = getComputedStyle(a).overflowX;
      if (ox === 'visible') continue;
      const b = a.getBoundingClientRect();
      const out = r.right > b.right + 1 || r.left < b.left - 1;
      if (!out) break;
      if (scrolls(ox)) {
        if (a.scrollWidth <= a.clientWidth) problems.push(`${name(el)} sticks out of ${name(a)}, which cannot scroll`);
      } else {
        problems.push(`${name(el)}: cut off by ${name(a)} (overflow-x ${ox})`);
      }
      break;
    }
  }
  const page = document.documentElement;
  if (page.scrollWidth > innerWidth) problems.push(`the page scrolls sideways: scrollWidth ${page.scrollWidth} > ${innerWidth}`);
  return problems;
}

/**
 * In the page: the charts' SVG text that overlaps other text (a legend measured
 * with the wrong font) or leaves its chart's box; [] when none does. Rotated
 * labels (axis labels on a phone) are left out of the overlap test: their
 * boxes overlap though their letters do not.
 */
export function findChartClashes() {
  const problems = [];
  for (const chart of document.querySelectorAll('[data-chart]')) {
    const box = chart.getBoundingClientRect();
    const texts = [...chart.querySelectorAll('svg text')]
      .filter((t) => t.textContent.trim() && t.getClientRects().length)
      .map((t) => {
        const m = /matrix\(([^)]+)\)/.exec(t.getAttribute('transform') || '');
        const rotated = m ? Math.abs(Number(m[1].split(/[ ,]+/)[1])) > 0.01 : false;
        // The glyphs' box: the text's box less the line's leading (a 12 px label's box is 17 px high).
        const b = t.getBoundingClientRect();
        const lead = Math.max(0, (b.height - parseFloat(getComputedStyle(t).fontSize)) / 2);
        return { text: t.textContent.trim(), r: { left: b.left, right: b.right, top: b.top + lead, bottom: b.bottom - lead }, rotated };
      });
    for (const t of texts) {
      if (t.r.left < box.left - 2 || t.r.right > box.right + 2) problems.push(`chart ${chart.dataset.chart}: "${t.text}" leaves the chart (${Math.round(t.r.left)}..${Math.round(t.r.right)} of ${Math.round(box.left)}..${Math.round(box.right)})`);
    }
    const flat = texts.filter((t) => !t.rotated);
    for (let i = 0; i < flat.length; i++) {
      for (let j = i + 1; j < flat.length; j++) {
        const [a, b] = [flat[i].r, flat[j].r];
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > 2 && h > 2) problems.push(`chart ${chart.dataset.chart}: "${flat[i].text}" overlaps "${flat[j].text}"`);
      }
    }
  }
  return problems;
}

/** In the page: each chart's SVG text, by chart name (the test checks a bar chart named every category). */
export function chartTexts() {
  const out = {};
  for (const el of document.querySelectorAll('[data-chart]')) {
    out[el.dataset.chart] = [...el.querySelectorAll('svg text')].map((t) => t.textContent).filter(Boolean);
  }
  return out;
}
