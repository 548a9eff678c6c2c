import { TypedEmitter } from '../shared/typed-emitter';
import type { AppointmentStatus } from './scheduling.types';

/** What scheduling tells the features above it (billing makes charges from `settled`). */
export interface SchedulingEventMap {
  /**
   * An appointment reached an outcome that may bill: completed, recorded as a no-show, or
   * cancelled (`late` says whether inside the late-cancel window). Emitted after the commit.
   */
  settled: [{ appointmentId: string; status: AppointmentStatus; late: boolean }];
}

/** Scheduling's typed events; listeners' failures never reach the booking that caused them. */
export class SchedulingEvents extends TypedEmitter<SchedulingEventMap> {
  settled(appointmentId: string, status: AppointmentStatus, late: boolean): void {
    this.emit('settled', { appointmentId, status, late });
  }
}
