import type { CatalystType, Sentiment } from './types';

/**
 * The catalyst table: how the classifier recognises a catalyst (keywords), how much it
 * weighs, which way it points, and (for the simulator only) how hard it moves the stock.
 * The bot never sees `move`: it trades on the words, the market answers with the move.
 */
export interface CatalystSpec {
  type: CatalystType;
  keywords: readonly string[];
  weight: number;
  sentiment: Sentiment;
  /** Typical absolute move as a fraction (the simulator draws around it). */
  move: number;
  /** How often the move goes the "wrong" way (sell the news, squeeze). */
  surprise: number;
  headlines: readonly string[];
}

export const CATALYSTS: readonly CatalystSpec[] = [
  {
    type: 'fda_approval',
    keywords: ['fda approval', 'fda approves', 'receives fda', 'breakthrough therapy', 'approval'],
    weight: 0.62,
    sentiment: 1,
    move: 0.11,
    surprise: 0.2,
    headlines: [
      '{co} receives FDA approval for {drug}',
      'FDA approves {co} {drug} for adult patients',
      '{co} granted breakthrough therapy designation for {drug}',
      '{co} announces approval pathway update for {drug}',
    ],
  },
  {
    type: 'earnings_beat',
    keywords: ['beats estimates', 'earnings beat', 'raises guidance', 'record revenue', 'tops'],
    weight: 0.55,
    sentiment: 1,
    move: 0.05,
    surprise: 0.3,
    headlines: [
      '{co} beats estimates, raises guidance on record revenue',
      '{co} Q{q} earnings beat as revenue tops consensus',
      '{co} reports record revenue for Q{q}',
    ],
  },
  {
    type: 'partnership',
    keywords: ['partnership', 'collaboration', 'strategic alliance', 'agreement with'],
    weight: 0.5,
    sentiment: 1,
    move: 0.04,
    surprise: 0.4,
    headlines: [
      '{co} announces strategic partnership with {partner}',
      '{co} enters collaboration and agreement with {partner}',
      '{co} and {partner} form strategic alliance',
    ],
  },
  {
    type: 'contract_award',
    keywords: ['awarded', 'contract', 'purchase order', 'million order'],
    weight: 0.52,
    sentiment: 1,
    move: 0.05,
    surprise: 0.35,
    headlines: ['{co} awarded ${n} million government contract', '{co} receives ${n} million purchase order from {partner}'],
  },
  {
    type: 'analyst_upgrade',
    keywords: ['upgrades', 'upgraded', 'price target raised', 'outperform'],
    weight: 0.4,
    sentiment: 1,
    move: 0.02,
    surprise: 0.45,
    headlines: ['{bank} upgrades {co} to outperform', '{co} price target raised at {bank}'],
  },
  {
    type: 'offering',
    keywords: ['public offering', 'direct offering', 'priced offering', 'dilution', 'offering'],
    weight: 0.55,
    sentiment: -1,
    move: 0.09,
    surprise: 0.2,
    headlines: ['{co} announces proposed public offering of common stock', '{co} prices ${n} million registered direct offering'],
  },
  {
    type: 'lawsuit',
    keywords: ['lawsuit', 'class action', 'investigation', 'sued'],
    weight: 0.42,
    sentiment: -1,
    move: 0.03,
    surprise: 0.4,
    headlines: ['Class action lawsuit filed against {co}', '{co} shareholders alerted to investigation'],
  },
  {
    type: 'earnings_miss',
    keywords: ['misses', 'cuts outlook', 'lowers guidance', 'below estimates'],
    weight: 0.5,
    sentiment: -1,
    move: 0.06,
    surprise: 0.3,
    headlines: ['{co} misses Q{q} estimates, cuts outlook', '{co} lowers guidance as revenue comes in below estimates'],
  },
  {
    type: 'trial_failure',
    keywords: ['fails to meet', 'primary endpoint', 'discontinues', 'halts trial'],
    weight: 0.6,
    sentiment: -1,
    move: 0.14,
    surprise: 0.1,
    headlines: ['{co} {drug} trial fails to meet primary endpoint', '{co} discontinues {drug} program'],
  },
  {
    type: 'conference',
    keywords: ['to present', 'conference', 'webcast'],
    weight: 0.15,
    sentiment: 0,
    move: 0.005,
    surprise: 0.5,
    headlines: ['{co} to present at {bank} growth conference', '{co} to host webcast on Q{q} results'],
  },
];

export function catalystSpec(type: CatalystType): CatalystSpec | undefined {
  return CATALYSTS.find((c) => c.type === type);
}

/** How much each wire is trusted: added to the score, and to the classifier's confidence. */
export const SOURCE_RELIABILITY: Readonly<Record<string, number>> = {
  businesswire: 0.06,
  globenewswire: 0.05,
  prnewswire: 0.05,
  sec_edgar: 0.08,
  benzinga: 0.03,
  social: -0.08,
};
