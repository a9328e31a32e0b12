import { cents } from '../util/round';

/** Per-share commission with a minimum per fill (the usual retail-broker schedule). */
export interface CommissionSchedule {
  perShare: number;
  minimum: number;
}

export const DEFAULT_COMMISSION: CommissionSchedule = { perShare: 0.005, minimum: 1 };

export function commissionFor(quantity: number, schedule: CommissionSchedule): number {
  return cents(Math.max(schedule.minimum, quantity * schedule.perShare));
}
