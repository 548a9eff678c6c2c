import type { Response } from 'express';
import type { ChartLocale } from '../../clinical';
import { pageT } from '../middleware/language-locals';

/**
 * A progress chart written for this page's reader: its words through the page's `t`, numbers in the
 * page's digits, and right to left (time from right to left, the score axis on the right) in Arabic.
 */
export function chartLocaleOf(res: Response): ChartLocale {
  const t = pageT(res);
  return {
    rtl: res.locals.dir === 'rtl',
    number: res.locals.number as (n: number) => string,
    words: {
      title: (name) => t('clinical:chart.title', { name }),
      noScores: t('clinical:chart.noScores'),
      noScoresOf: (name) => t('clinical:chart.noScoresOf', { name }),
      latest: (total, band, day) => t('clinical:chart.latest', { total, band, day }),
      change: (direction, by, from) => t(`clinical:chart.${direction}`, { by, from }),
      targetLabel: (below) => t('clinical:chart.targetLabel', { below }),
      target: (below, by) =>
        by ? t('clinical:chart.targetBy', { below, by }) : t('clinical:chart.target', { below }),
      targetDate: (day) => t('clinical:chart.targetDate', { day }),
      band: (severity) => t(`clinical:band.${severity}`),
    },
  };
}
