import type { Response } from 'express';
import { builtInTypeKey } from '../../scheduling';
import { pageT } from '../middleware/language-locals';

/**
 * A kind of appointment as this page's reader sees it: a built-in kind under its shipped name in
 * the reader's language, a clinic's own name exactly as the clinic wrote it.
 */
export function typeForReader<T extends { readonly id: string; readonly name: string }>(
  res: Response,
  type: T,
): T {
  const key = builtInTypeKey(type);
  return key ? { ...type, name: pageT(res)(key) } : type;
}
