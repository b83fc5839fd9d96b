// Consult clicks (online consult, phone, WeChat, QQ, …): which clicked element
// is a consult, of what kind and with what label. One delegated listener in the
// tracker asks this for every click.

/** Marked elements and every tel: link; a brand adds selectors for third-party chat buttons. */
export const CONSULT_SELECTOR = 'a[href^="tel:"],[data-o2o-consult]';

/** The consult a click on `el` (the closest match of the consult selector) makes. Kind: the data-o2o-consult value, `phone` for tel: links, else `chat`; label: the element's text (the worker trims it and cuts it to LIMITS.labelLength; cut here too, loosely, since a consult container's
 * whole text could push the batch past the body limit and cost the other events with it). */
export const consultOf = (el: Element): { c: string; l: string } => ({
    c: (el as HTMLElement).dataset.o2oConsult || ((el as HTMLAnchorElement).protocol == 'tel:' ? 'phone' : 'chat'), // the brand's own short word
    l: el.textContent!.slice(0, 500),
  });
