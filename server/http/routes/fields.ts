import { z } from 'zod';
import { idSchema, tokenSchema } from '../../shared/ids';

/**
 * The shapes of values at the HTTP edge, for route declarations (`endpoint()`). They say what a
 * value can be at all (an id, a token, text of at most so many characters, a list); what it must
 * mean (a valid email, a date in the future) is the feature's schema, which answers with friendly
 * messages. Form fields are optional here because a browser leaves out empty checkboxes and
 * disabled inputs; the feature decides what is required.
 */

/** C0 control characters other than tab, line feed and carriage return, and DEL: never typed into a form. */
function hasControlCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i += 1) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) return true;
  }
  return false;
}

/** Free text of at most `max` characters (no control characters). */
function textOf(max: number) {
  return z
    .string()
    .max(max, 'errors:field.atMost')
    .refine((s) => !hasControlCharacter(s), 'errors:field.controlCharacter');
}

/** A record id in a path (required: a route with `:id` always has one). */
export const id = idSchema;

/** An emailed or feed token in a path. */
export const token = tokenSchema;

/** A record id in a form or query (optional: an empty choice arrives as ''). */
export const optionalId = z.union([z.literal(''), idSchema]).optional();

/**
 * One line or a short text: names, emails, search terms, choices from a list. The limit is a
 * ceiling well above the feature's own (which answers with a friendly message); past it the value
 * is garbage, refused here.
 */
export const text = (max = 2_000) => textOf(max).optional();

/** A long text a person writes (a note section, a message, a bio). */
export const longText = (max = 40_000) => textOf(max).optional();

/**
 * A field that may repeat (checkboxes with one name, multi-selects): one value or a list of at most
 * `maxItems`, each text of at most `itemMax` characters.
 */
export const list = (maxItems = 50, itemMax = 200) => repeated(textOf(itemMax), maxItems);

/** Like `list`, of record ids. */
export const idList = (maxItems = 50) => repeated(idSchema, maxItems);

function repeated<T extends z.ZodType<string>>(item: T, maxItems: number) {
  return z.union([item, z.array(item).max(maxItems, 'errors:field.chooseAtMost')]).optional();
}
