import { isAppError } from '../shared/errors';
import type { NextSlotLookup } from './directory.service';

/** The part of scheduling's ScheduleService this needs (structural, so directory does not import it). */
export interface SlotSource {
  listTypes(activeOnly?: boolean): Promise<readonly { readonly id: string }[]>;
  listSlots(query: { therapistId: string; typeId: string; zone: string; days?: number }): Promise<{
    readonly days: readonly { readonly slots: readonly { readonly start: Date }[] }[];
  }>;
}

/**
 * A therapist's next open slot for the clinic's first active appointment type, looking four weeks
 * ahead. A therapist without booking hours simply has no slot (scheduling answers not_found).
 */
export function nextSlotFrom(schedule: SlotSource, daysAhead = 28): NextSlotLookup {
  return {
    async nextOpenSlot(therapistId) {
      const [type] = await schedule.listTypes(true);
      if (!type) return null;
      try {
        const listing = await schedule.listSlots({
          therapistId,
          typeId: type.id,
          zone: 'UTC',
          days: daysAhead,
        });
        return listing.days[0]?.slots[0]?.start ?? null;
      } catch (error) {
        if (isAppError(error) && (error.kind === 'not_found' || error.kind === 'bad_request')) return null;
        throw error;
      }
    },
  };
}
