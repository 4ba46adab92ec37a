/**
 * The message format of the UI catalogues, and the one function that fills it in. A message is a string with
 * `{name}` placeholders, or a plural pair chosen by the `count` variable (English needs two forms; Japanese
 * has none, so its entries are plain strings). Pure: no React, no store, so tests and non-React code use it.
 */

export type Plural = { one: string; other: string };
export type Message = string | Plural;
export type Vars = Record<string, string | number>;

/** Replace `{name}` by vars.name; an unknown placeholder stays visible, so a typo shows up instead of vanishing. */
export function interpolate(template: string, vars: Vars = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** Pick the plural form (count === 1 ⇒ one), then interpolate. */
export function formatMessage(message: Message, vars: Vars = {}): string {
  if (typeof message === 'string') return interpolate(message, vars);
  const form = Number(vars.count) === 1 ? message.one : message.other;
  return interpolate(form, vars);
}
