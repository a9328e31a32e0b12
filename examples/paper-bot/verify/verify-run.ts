import type { Rebuilder, VerifyDifference } from 'catalyst-events';
import type { Bot } from '../bot';
import { orderStateOf } from './order-state';
import { positionStateOf } from './position-state';

export interface AggregateMismatch {
  aggregateType: string;
  aggregateId: string;
  differences: VerifyDifference[];
}

export interface VerifyReport {
  verified: number;
  mismatches: AggregateMismatch[];
}

/**
 * Rebuilds every order and position the bot created from the log and compares each with
 * the bot's live state. A difference means the log would tell a story the bot did not live.
 */
export async function verifyRun(bot: Bot, rebuilder: Pick<Rebuilder, 'verify'>): Promise<VerifyReport> {
  const targets: [string, string, unknown][] = [
    ...bot.executor.all().map((o): [string, string, unknown] => ['order', o.request.order_id, orderStateOf(o)]),
    ...bot.positions.all().map((p): [string, string, unknown] => ['position', p.position_id, positionStateOf(p)]),
  ];
  const mismatches: AggregateMismatch[] = [];
  for (const [type, id, live] of targets) {
    const result = await rebuilder.verify(type, id, live);
    if (!result.equal) mismatches.push({ aggregateType: type, aggregateId: id, differences: result.differences });
  }
  return { verified: targets.length - mismatches.length, mismatches };
}
