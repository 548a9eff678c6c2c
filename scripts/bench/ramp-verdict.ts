import type { StepResult } from './media-ramp';

/** A load generator process this busy (or frames it had to skip) means it, not mediasoup, is the limit. */
export const GENERATOR_BUSY_PERCENT = 90;
/** The whole machine this busy means other work competes with the worker for its core. */
export const HOST_BUSY_PERCENT = 95;

export interface Limits {
  readonly lossLimitPercent: number;
  readonly cpuLimitPercent: number;
}

/** Whether a step met the target: loss and worker CPU both under their limits, full load delivered. */
export function stepHeld(step: StepResult, limits: Limits): boolean {
  return (
    step.lossPercent < limits.lossLimitPercent &&
    step.workerCpuPercent < limits.cpuLimitPercent &&
    step.skippedFrames === 0
  );
}

/** Why a step did not hold, in words for the report. */
export function limitOf(step: StepResult, limits: Limits): string {
  const generator = Math.max(step.senderCpuPercent, step.sinkCpuPercent);
  if (step.workerCpuPercent >= limits.cpuLimitPercent) {
    return `worker CPU (${step.workerCpuPercent.toFixed(0)}% of one core)`;
  }
  const generatorSaturated = step.skippedFrames > 0 || generator >= GENERATOR_BUSY_PERCENT;
  if (generatorSaturated && step.hostBusyPercent < HOST_BUSY_PERCENT) {
    return `the load generator (${generator.toFixed(0)}% of a core, ${step.skippedFrames} frames skipped), not the worker (${step.workerCpuPercent.toFixed(0)}%)`;
  }
  if (step.hostBusyPercent >= HOST_BUSY_PERCENT) {
    return (
      `the shared machine: all cores ${step.hostBusyPercent.toFixed(0)}% busy, the worker waited for a core ` +
      `${step.workerWaitPercent.toFixed(0)}% of the time and the generator ${step.generatorWaitPercent.toFixed(0)}% ` +
      `(worker used ${step.workerCpuPercent.toFixed(0)}% of one core; ${step.lossPercent.toFixed(2)}% loss, ${step.skippedFrames} frames skipped)`
    );
  }
  return `loss (${step.lossPercent.toFixed(2)}%) with the worker at ${step.workerCpuPercent.toFixed(0)}% of one core`;
}

/**
 * The largest session count held before the first step that failed (the ramp stops there), and
 * what stopped it. `held` is 0 when even the first step failed.
 */
export function rampVerdict(
  steps: readonly StepResult[],
  limits: Limits,
): { held: number; limitedBy: string } {
  let held = 0;
  for (const step of steps) {
    if (!stepHeld(step, limits)) return { held, limitedBy: limitOf(step, limits) };
    held = step.sessions;
  }
  return { held, limitedBy: 'nothing yet: the step list ended first (add larger --steps)' };
}

/**
 * Sessions at which the worker would reach the CPU limit if its CPU grew linearly from the largest
 * held step. On a shared machine, where loss from starvation stops the ramp before the worker's own
 * limit, this is the better guide to an uncontended core; it is an estimate, never a measurement.
 */
export function linearCpuEstimate(
  steps: readonly StepResult[],
  held: number,
  limits: Limits,
): { fromSessions: number; fromCpuPercent: number; sessions: number } | null {
  const base = steps.find((s) => s.sessions === held);
  if (!base || base.workerCpuPercent <= 0) return null;
  return {
    fromSessions: base.sessions,
    fromCpuPercent: base.workerCpuPercent,
    sessions: Math.floor((base.sessions * limits.cpuLimitPercent) / base.workerCpuPercent),
  };
}
