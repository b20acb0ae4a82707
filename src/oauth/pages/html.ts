/**
 * A markup fragment that `html` produced itself, so it is known to be escaped. The text sits in a
 * private field: an object that merely looks like a fragment (from a request body, say) is escaped
 * like any other value instead of being trusted.
 */
export class SafeHtml {
  readonly #text: string;

  private constructor(text: string) {
    this.#text = text;
  }

  /** Only `html` builds fragments; there is deliberately no public way to mark a string as safe. */
  static fromTemplate(text: string, token: typeof BUILD_TOKEN): SafeHtml {
    if (token !== BUILD_TOKEN) throw new TypeError('SafeHtml is built by the html template only');
    return new SafeHtml(text);
  }

  static is(value: unknown): value is SafeHtml {
    return typeof value === 'object' && value !== null && #text in value;
  }

  toString(): string {
    return this.#text;
  }
}

const BUILD_TOKEN: unique symbol = Symbol('html fragment');

/** What may be interpolated: text (escaped), fragments (kept), arrays of either (joined), or nothing. */
export type HtmlValue = SafeHtml | string | number | false | null | undefined | readonly HtmlValue[];

const ENTITIES: Record<string, string> = {
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
};

/** Escapes text for element content and for quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ENTITIES[ch] ?? ch);
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  if (SafeHtml.is(value)) return value.toString();
  return escapeHtml(String(value));
}

/**
 * Tagged template for page markup: every interpolation is escaped unless it is a fragment this tag
 * built. Attribute values must be written inside double quotes in the template.
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return SafeHtml.fromTemplate(out, BUILD_TOKEN);
}
