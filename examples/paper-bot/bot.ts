import type { CausalContext, Clock } from 'catalyst-events';
import { AlertPipeline } from './alerts/alert-pipeline';
import { DEFAULT_POLICY, type DecisionPolicy } from './alerts/decision-policy';
import { PaperDiscord } from './alerts/notifier';
import { NewsWire } from './alerts/news-wire';
import { SlidingWindowLimiter } from './alerts/rate-limiter';
import { AccountReporter } from './broker/account-reporter';
import { DEFAULT_EXECUTOR_OPTIONS, OrderExecutor } from './broker/order-executor';
import { DEFAULT_BROKER_OPTIONS, PaperBroker } from './broker/paper-broker';
import { CsvBarFeed, loadBarsCsv } from './market/csv-bars';
import { MINUTE_MS, type TradingDay } from './market/calendar';
import { PriceTape } from './market/price-tape';
import { MarketSimulator } from './market/simulator';
import { profileFor, type TickerProfile } from './market/tickers';
import type { MarketFeed } from './market/types';
import { PositionManager } from './positions/position-manager';
import { DEFAULT_EXIT_RULES, type ExitRules } from './positions/types';
import { DEFAULT_LIMITS, type RiskLimits } from './risk/limits';
import { RiskManager } from './risk/risk-manager';
import { RunIds } from './util/ids';
import { Prng } from './util/prng';
import { cents } from './util/round';

export interface BotConfig {
  seed: number;
  runId: string;
  tickers: readonly string[];
  /** Replay these bars instead of simulating. */
  barsFile?: string;
  limits?: Partial<RiskLimits>;
  exitRules?: Partial<ExitRules>;
  policy?: Partial<DecisionPolicy>;
}

/** The bot's parts, wired to each other. Plain objects: no core needed to trade. */
export interface Bot {
  config: BotConfig;
  ids: RunIds;
  feed: MarketFeed;
  tape: PriceTape;
  wire: NewsWire;
  broker: PaperBroker;
  risk: RiskManager;
  positions: PositionManager;
  executor: OrderExecutor;
  pipeline: AlertPipeline;
  discord: PaperDiscord;
  account: AccountReporter;
  /** The instances whose decorated methods a loaded plugin turns into events. */
  hooked(): object[];
  /** Minutes since the open of the current day. */
  minuteOfSession(): number;
  setDay(day: TradingDay): void;
}

export function createBot(config: BotConfig, clock: Clock, causal?: CausalContext): Bot {
  const prng = new Prng(`paper-bot:${config.seed}`);
  const ids = new RunIds(config.runId);
  const profiles: TickerProfile[] = config.tickers.map((t) => profileFor(t, prng));
  const feed: MarketFeed = config.barsFile
    ? new CsvBarFeed(loadBarsCsv(config.barsFile), config.tickers)
    : new MarketSimulator(profiles, prng.fork('market'));
  const exitRules: ExitRules = { ...DEFAULT_EXIT_RULES, ...config.exitRules };
  const limits: RiskLimits = { ...DEFAULT_LIMITS, ...config.limits };
  const policy: DecisionPolicy = { ...DEFAULT_POLICY, ...config.policy };
  const stopsFor = (side: 'long' | 'short', price: number): { stop: number; target: number } => {
    const d = side === 'long' ? 1 : -1;
    return { stop: cents(price * (1 - d * exitRules.stopLossPct)), target: cents(price * (1 + d * exitRules.takeProfitPct)) };
  };
  const tape = new PriceTape();
  const broker = new PaperBroker(feed, prng.fork('broker'), ids, DEFAULT_BROKER_OPTIONS);
  const risk = new RiskManager(ids.riskBook(), limits, clock);
  const positions = new PositionManager(exitRules, clock);
  const executor = new OrderExecutor(broker, risk, positions, ids, clock, stopsFor, DEFAULT_EXECUTOR_OPTIONS);
  const discord = new PaperDiscord('#catalyst-trades', config.runId);
  const account = new AccountReporter(ids.account(), broker, positions, risk);
  let dayOpen = 0;
  const minuteOfSession = (): number => Math.floor((clock.now() - dayOpen) / MINUTE_MS);
  const pipeline = new AlertPipeline({
    clock,
    feed,
    tape,
    positions,
    executor,
    discord,
    limiter: new SlidingWindowLimiter(2, 300),
    policy,
    ids,
    stopsFor,
    minuteOfSession,
    ...(causal ? { causal } : {}),
  });
  const wire = new NewsWire(
    feed.tickers.map((t) => profiles.find((p) => p.ticker === t) ?? profileFor(t, prng)),
    prng.fork('news'),
    ids,
  );
  return {
    config,
    ids,
    feed,
    tape,
    wire,
    broker,
    risk,
    positions,
    executor,
    pipeline,
    discord,
    account,
    hooked: () => [pipeline, discord, executor, positions, risk, account],
    minuteOfSession,
    setDay: (day) => {
      dayOpen = day.open;
    },
  };
}
