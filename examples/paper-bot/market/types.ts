/** One minute of trading for one ticker. Times are Unix ms (UTC), the bar's start. */
export interface Bar {
  ticker: string;
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** Where bars come from: the simulator or a CSV replay. */
export interface MarketFeed {
  readonly tickers: readonly string[];
  /** Bars for the minute starting at `time` (a ticker with no bar that minute is absent). */
  barsAt(time: number): Bar[];
  /** Whether trading in the ticker is halted at `time` (news pause). */
  isHalted(ticker: string, time: number): boolean;
  /** News moves the price: a jump now and a decaying drift after it. */
  applyNews(ticker: string, time: number, impactPct: number): void;
  /** Last traded price known to the feed. */
  lastPrice(ticker: string): number | undefined;
  /** Called at each session's open (a replay picks which recorded day plays). */
  startDay?(index: number, open: number): void;
}
