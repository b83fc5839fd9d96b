// Appointments (预约单) from forms marked data-o2o-appointment: which fields are
// sent, and where the worker's lead code is shown.
import { SCRIPT_TAG } from './build';
import type { Props } from '../protocol/wire';

/**
 * Privacy by default: only these fields, and the ones the form names in its
 * attribute (data-o2o-appointment="date,size"), leave the browser. A phone
 * number, a name or a free-text note stays unless the brand names it there.
 */
export const APPOINTMENT_FIELDS = ',store,budget,style,sku';

/** The form's sendable fields, as typed: `budget` in yuan as a string ("12000"; the worker converts a plain number to minor units and keeps "1万" as typed). */
export const formProps = (form: HTMLFormElement, named: string): Props =>
  Object.fromEntries([...new FormData(form)].filter(([name, v]) => v && (named + APPOINTMENT_FIELDS).split(',').includes(name))) as Props;

/** Shows a lead code: as the text of every [data-o2o-lead] inside the form, and (npm build; not in the script tag: byte budget) as data-o2o-lead-code on the form. */
export const showLead = (form: HTMLFormElement, code: string | undefined): unknown =>
  code && (SCRIPT_TAG || (form.dataset.o2oLeadCode = code), form.querySelectorAll('[data-o2o-lead]').forEach((el) => (el.textContent = code)));
