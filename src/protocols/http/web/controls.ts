/**
 * Form controls of the web pages: labelled inputs, check boxes, selects and text areas, all
 * escaped through `html`. Each control's id is its field name, so an error naming a field (the
 * data service's `field: message`) points at the control users see.
 */
import { CSRF_FORM_FIELD } from './csrf.js';
import { html, type SafeHtml } from './html.js';

export interface FieldOptions {
  help?: string;
  required?: boolean;
  placeholder?: string;
  autocomplete?: string;
}

function wrap(label: string, name: string, control: SafeHtml, opts: FieldOptions): SafeHtml {
  return html`<div class="field"><label for="${name}">${label}</label>${control}${opts.help ? html`<div class="help">${opts.help}</div>` : ''}</div>`;
}

function common(opts: FieldOptions): SafeHtml {
  return html`${opts.required ? html` required` : ''}${opts.placeholder ? html` placeholder="${opts.placeholder}"` : ''}${opts.autocomplete ? html` autocomplete="${opts.autocomplete}"` : ''}`;
}

/** A text-like input (`type` text, password, number, email, date). */
export function input(label: string, name: string, value: string | number | undefined, type = 'text', opts: FieldOptions = {}): SafeHtml {
  const min = type === 'number' ? html` min="0"` : '';
  return wrap(label, name, html`<input type="${type}" id="${name}" name="${name}" value="${value ?? ''}"${min}${common(opts)}>`, opts);
}

/** A text area. */
export function textarea(label: string, name: string, value: string, opts: FieldOptions = {}): SafeHtml {
  return wrap(label, name, html`<textarea id="${name}" name="${name}"${common(opts)}>${value}</textarea>`, opts);
}

/** A single check box (value "1"). */
export function checkbox(label: string, name: string, checked: boolean, help?: string): SafeHtml {
  return html`<div class="field checks"><label><input type="checkbox" id="${name}" name="${name}" value="1"${checked ? html` checked` : ''}> ${label}</label>${help ? html`<div class="help">${help}</div>` : ''}</div>`;
}

/** Check boxes sharing one name, one per option. */
export function checkGroup(label: string, name: string, options: readonly string[], selected: readonly string[], help?: string): SafeHtml {
  const boxes = options.map((o) => html`<label><input type="checkbox" name="${name}" value="${o}"${selected.includes(o) ? html` checked` : ''}> ${o}</label>`);
  return html`<div class="field"><label>${label}</label><div class="checks" id="${name}">${boxes}</div>${help ? html`<div class="help">${help}</div>` : ''}</div>`;
}

/** A select with value/label pairs. */
export function select(label: string, name: string, options: readonly [string, string][], value: string, opts: FieldOptions = {}): SafeHtml {
  const items = options.map(([v, l]) => html`<option value="${v}"${v === value ? html` selected` : ''}>${l}</option>`);
  return wrap(label, name, html`<select id="${name}" name="${name}">${items}</select>`, opts);
}

/** The hidden CSRF field every POST form carries. */
export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="${CSRF_FORM_FIELD}" value="${token}">`;
}

/** A POST form with its CSRF field. */
export function postForm(action: string, token: string, body: SafeHtml, opts: { multipart?: boolean; id?: string } = {}): SafeHtml {
  const enc = opts.multipart ? html` enctype="multipart/form-data"` : '';
  const id = opts.id ? html` id="${opts.id}"` : '';
  return html`<form method="post" action="${action}"${enc}${id}>${csrfField(token)}${body}</form>`;
}

/** A button that calls `url` with the CSRF header (delete by default) and removes its row. */
export function ajaxButton(label: string, url: string, opts: { post?: boolean; confirm?: string; danger?: boolean } = {}): SafeHtml {
  const cls = opts.danger ? 'small danger' : 'small secondary';
  return html`<button type="button" class="${cls}" data-action="${opts.post ? 'post' : 'delete'}" data-url="${url}"${opts.confirm ? html` data-confirm="${opts.confirm}"` : ''}>${label}</button>`;
}
