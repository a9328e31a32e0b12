import type { Clock } from 'catalyst-events';
import { PositionHooks, type PositionFillInput } from 'catalyst-events/plugins/position';
import type { Bar } from '../market/types';
import { cents } from '../util/round';
import { close, dir, increase, mark, moveStop, moveTarget, noteTrigger, openBook, reduce, type PositionBook } from './ledger';
import type { ExitReason, ExitRequest, ExitRules, PositionSide } from './types';

/** The bot's position: the ledger (what the log also records) plus the bot's own working notes. */
export interface LivePosition extends PositionBook {
  /** Latest traded price (marks are only reported past the threshold). */
  market_price: number;
  /** Best price since entry (highest for a long), for the trailing stop. */
  best_price: number;
  /** Largest quantity held. */
  max_quantity: number;
  /** Set while an exit order is working: no further triggers. */
  exiting: ExitReason | null;
}

/**
 * A fill as the position manager receives it: the position plugin's PositionFillInput, with
 * the keys this bot always knows made required. Derived, so a change to the plugin's contract
 * fails the bot's typecheck instead of silently recording less.
 */
export type PositionFill = Required<
  Pick<PositionFillInput, 'position_id' | 'trade_id' | 'ticker' | 'side' | 'quantity' | 'price' | 'commission'>
> &
  Pick<PositionFillInput, 'stop_loss_price' | 'take_profit_price'> & {
    order_id: string;
    signal_id: string | null;
    /** The bot's own reasons, a subset of the plugin's. */
    exit_reason?: ExitReason & PositionFillInput['exit_reason'];
  };

/**
 * Opens positions from fills, marks them to market, trails stops, fires stop-loss and
 * take-profit triggers, and closes them with a reason and realized P&L when exit fills
 * arrive. Each decorated method changes exactly what its event reports.
 */
export class PositionManager {
  private readonly positions = new Map<string, LivePosition>();

  constructor(
    private readonly rules: ExitRules,
    private readonly clock: Clock,
  ) {}

  get(positionId: string): LivePosition | undefined {
    return this.positions.get(positionId);
  }

  all(): LivePosition[] {
    return [...this.positions.values()];
  }

  open(): LivePosition[] {
    return this.all().filter((p) => p.status === 'open');
  }

  isTrading(ticker: string): boolean {
    return this.open().some((p) => p.ticker === ticker);
  }

  /** Opens, adds to, reduces or closes a position with one execution. */
  @PositionHooks.fill()
  applyFill(fill: PositionFill): { position_id: string; status: 'open' | 'closed' } {
    const at = this.clock.now();
    const p = this.positions.get(fill.position_id);
    if (p?.trade_ids.includes(fill.trade_id)) return { position_id: fill.position_id, status: p.status };
    const f = {
      quantity: fill.quantity,
      price: fill.price,
      commission: fill.commission,
      trade_id: fill.trade_id,
      order_id: fill.order_id,
      at,
    };
    if (!p) {
      const side: PositionSide = fill.side === 'buy' ? 'long' : 'short';
      const book = openBook({
        ...f,
        position_id: fill.position_id,
        ticker: fill.ticker,
        side,
        signal_id: fill.signal_id,
        stop_loss: fill.stop_loss_price ?? null,
        take_profit: fill.take_profit_price ?? null,
      });
      this.positions.set(book.position_id, {
        ...book,
        market_price: fill.price,
        best_price: fill.price,
        max_quantity: fill.quantity,
        exiting: null,
      });
      return { position_id: book.position_id, status: 'open' };
    }
    const adds = (fill.side === 'buy') === (p.side === 'long');
    if (adds) {
      increase(p, f);
      p.max_quantity = Math.max(p.max_quantity, p.open_quantity);
    } else if (fill.quantity < p.open_quantity) {
      reduce(p, f);
    } else {
      // Exit orders are sized to the open quantity, so a fill never flips the position.
      close(p, f, fill.exit_reason ?? p.exiting ?? 'manual');
    }
    return { position_id: p.position_id, status: p.status };
  }

  @PositionHooks.updatePrice()
  updatePrice(update: { position_id: string; new_price: number; price_source: string }): void {
    const p = this.positions.get(update.position_id);
    if (p) mark(p, update.new_price, this.clock.now());
  }

  @PositionHooks.modifyStop()
  modifyStop(change: { position_id: string; new_stop_loss_price: number; reason: string }): void {
    const p = this.positions.get(change.position_id);
    if (p) moveStop(p, change.new_stop_loss_price, change.reason, this.clock.now());
  }

  @PositionHooks.modifyTakeProfit()
  modifyTakeProfit(change: { position_id: string; new_take_profit_price: number; reason: string }): void {
    const p = this.positions.get(change.position_id);
    if (p) moveTarget(p, change.new_take_profit_price, change.reason, this.clock.now());
  }

  @PositionHooks.triggerStop()
  triggerStop(trigger: { position_id: string; trigger_price: number; current_price: number }): void {
    const p = this.positions.get(trigger.position_id);
    if (!p) return;
    noteTrigger(p, 'stop_loss', trigger.trigger_price, trigger.current_price, this.clock.now());
    p.exiting = 'stop_loss';
  }

  @PositionHooks.triggerTakeProfit()
  triggerTakeProfit(trigger: { position_id: string; trigger_price: number; current_price: number }): void {
    const p = this.positions.get(trigger.position_id);
    if (!p) return;
    noteTrigger(p, 'take_profit', trigger.trigger_price, trigger.current_price, this.clock.now());
    p.exiting = 'take_profit';
  }

  /** A follow-on catalyst for a ticker we hold: let the winner run further. */
  extendTarget(ticker: string, reason: string): void {
    for (const p of this.open()) {
      if (p.ticker !== ticker || p.exiting || p.take_profit === null) continue;
      const extended = cents(p.take_profit * (1 + dir(p.side) * this.rules.takeProfitExtendPct));
      this.modifyTakeProfit({ position_id: p.position_id, new_take_profit_price: extended, reason });
    }
  }

  /** Marks positions in the bar's ticker and returns the exits the bar calls for. */
  onBar(bar: Bar): ExitRequest[] {
    const exits: ExitRequest[] = [];
    for (const p of this.open()) {
      if (p.ticker !== bar.ticker || p.exiting) continue;
      // Triggers first, against the levels in force during the bar; only then move the stop.
      const reason = this.checkTriggers(p, bar);
      if (reason) {
        exits.push(this.exitRequest(p, reason, bar.close));
        continue;
      }
      this.reportPrice(p, bar.close);
      this.trail(p);
      if (bar.time - p.opened_at >= this.rules.maxHoldMinutes * 60_000) {
        p.exiting = 'timeout';
        exits.push(this.exitRequest(p, 'timeout', bar.close));
      }
    }
    return exits;
  }

  /** Exits for every open position not already exiting (end of session, risk limit). */
  flattenAll(reason: ExitReason): ExitRequest[] {
    return this.open()
      .filter((p) => !p.exiting)
      .map((p) => {
        p.exiting = reason;
        return this.exitRequest(p, reason, p.market_price);
      });
  }

  /** An exit order that was refused or ended short of its quantity: triggers may fire again. */
  clearExit(positionId: string): void {
    const p = this.positions.get(positionId);
    if (p && p.status === 'open') p.exiting = null;
  }

  private checkTriggers(p: LivePosition, bar: Bar): ExitReason | null {
    const long = p.side === 'long';
    if (p.stop_loss !== null && (long ? bar.low <= p.stop_loss : bar.high >= p.stop_loss)) {
      this.triggerStop({ position_id: p.position_id, trigger_price: p.stop_loss, current_price: bar.close });
      return 'stop_loss';
    }
    if (p.take_profit !== null && (long ? bar.high >= p.take_profit : bar.low <= p.take_profit)) {
      this.triggerTakeProfit({ position_id: p.position_id, trigger_price: p.take_profit, current_price: bar.close });
      return 'take_profit';
    }
    return null;
  }

  private reportPrice(p: LivePosition, price: number): void {
    p.market_price = price;
    p.best_price = p.side === 'long' ? Math.max(p.best_price, price) : Math.min(p.best_price, price);
    // The position plugin's throttle, applied at the source: only moves past the threshold are news.
    if (Math.abs(price - p.current_price) / p.current_price > this.rules.priceThreshold) {
      this.updatePrice({ position_id: p.position_id, new_price: price, price_source: 'bar_close' });
    }
  }

  private trail(p: LivePosition): void {
    const d = dir(p.side);
    const gain = ((p.best_price - p.entry_price) / p.entry_price) * d;
    if (gain < this.rules.trailActivationPct || p.stop_loss === null) return;
    const candidate = cents(p.best_price * (1 - d * this.rules.trailPct));
    if ((candidate - p.stop_loss) * d >= p.best_price * this.rules.trailStepPct) {
      this.modifyStop({ position_id: p.position_id, new_stop_loss_price: candidate, reason: 'trailing' });
    }
  }

  private exitRequest(p: LivePosition, reason: ExitReason, price: number): ExitRequest {
    return {
      position_id: p.position_id,
      ticker: p.ticker,
      side: p.side === 'long' ? 'sell' : 'buy',
      quantity: p.open_quantity,
      reason,
      price,
    };
  }
}
