/**
 * Just enough HTML reading for the page tests. It relies on what the pages guarantee: every attribute
 * value is double-quoted and escaped, so no `>` or `"` ever appears inside one.
 */
export type Attributes = Record<string, string>;

function attributes(source: string): Attributes {
  const attrs: Attributes = {};
  for (const match of source.matchAll(/([a-z-]+)(?:="([^"]*)")?/g)) {
    attrs[match[1] as string] = match[2] ?? '';
  }
  return attrs;
}

/** The attributes of every `<tag ...>` in the document, in order. */
export function elements(doc: string, tag: string): Attributes[] {
  return [...doc.matchAll(new RegExp(`<${tag}\\b([^>]*)>`, 'g'))].map((m) => attributes(m[1] as string));
}

/** Each button's attributes and inner markup. */
export function buttons(doc: string): { attrs: Attributes; text: string }[] {
  return [...doc.matchAll(/<button\b([^>]*)>([\s\S]*?)<\/button>/g)]
    .map((m) => ({ attrs: attributes(m[1] as string), text: m[2] as string }));
}

/** The inner markup of every `<label for="id">`. */
export function labelsFor(doc: string, id: string): string[] {
  return [...doc.matchAll(/<label for="([^"]*)">([\s\S]*?)<\/label>/g)]
    .filter((m) => m[1] === id).map((m) => m[2] as string);
}

/** The inner markup of the one element with this id. */
export function textOf(doc: string, id: string): string | undefined {
  const match = new RegExp(`<([a-z0-9]+)\\b[^>]*\\bid="${id}"[^>]*>([\\s\\S]*?)</\\1>`).exec(doc);
  return match?.[2];
}

/** The markup of each `<form>` element, whole. */
export function forms(doc: string): string[] {
  return [...doc.matchAll(/<form\b[\s\S]*?<\/form>/g)].map((m) => m[0]);
}

export function count(doc: string, text: string): number {
  return doc.split(text).length - 1;
}

/** The hidden inputs by name (each name at most once per form in these pages). */
export function hiddenFields(formMarkup: string): Attributes {
  const fields: Attributes = {};
  for (const input of elements(formMarkup, 'input')) {
    if (input.type === 'hidden' && input.name !== undefined) fields[input.name] = input.value ?? '';
  }
  return fields;
}
