// Appointments (预约单) from forms marked data-o2o-appointment: which fields are
// sent, and where the worker's lead code is shown.
import type { Props } from './protocol';

/**
 * Privacy by default: only these fields, and the ones the form names in its
 * attribute (data-o2o-appointment="date,size"), leave the browser. A phone
 * number, a name or a free-text note stays unless the brand names it there.
 */
export const APPOINTMENT_FIELDS = ',store,budget,style,sku';

/** The form's sendable fields, as strings; `budget` as a number of yuan exactly as typed (the worker converts it to minor units). */
export const formProps = (form: HTMLFormElement, named: string): Props =>
  Object.fromEntries(
    [...new FormData(form)]
      .filter(([name, v]) => v && (named + APPOINTMENT_FIELDS).split(',').includes(name))
      // A budget that is not a plain number ("1万") stays as typed, for the worker to judge.
      .map(([name, v]) => [name, name == 'budget' && +v >= 0 ? +v : v]),
  );

/** Shows a lead code: as the text of every [data-o2o-lead] inside the form, and as data-o2o-lead-code on the form (for the brand's own script or CSS). */
export const showLead = (form: HTMLFormElement, code: string | undefined): unknown =>
  code && (form.setAttribute('data-o2o-lead-code', code), form.querySelectorAll('[data-o2o-lead]').forEach((el) => (el.textContent = code)));
