import { isCorruptEvent } from '../../src-core';
import { diff } from '../../src-core';
import { foldRecords, type FoldStart, type UpcastSource } from '../../src-core';
import type { EventReader } from '../../src-core';
import type { ReplayPageArgs, ReplayPageView } from '../shared/api';
import type { ViewerRebuilder, ViewerReducers } from './viewer-service';

export interface ReplayPageDeps {
  reader: EventReader;
  rebuilder: ViewerRebuilder;
  reducers: ViewerReducers;
  schemas: UpcastSource;
}

/**
 * One window of an aggregate's replay: the events of steps [from, from + limit) read by
 * sequence range, folded from the state just before the window (the rebuilder's, snapshots
 * and all), with diffs for these steps only. Opening a 100,000-event aggregate costs one page,
 * not the whole history; jumping to its end costs one rebuild plus one page.
 */
export async function replayPage(deps: ReplayPageDeps, args: ReplayPageArgs): Promise<ReplayPageView> {
  const { reader, rebuilder, reducers, schemas } = deps;
  const total = await reader.aggregateVersion(args.aggregateType, args.aggregateId);
  // Past the end (the renderer asks for "the last window" before it knows the total): the last aligned window.
  const from = Math.max(0, Math.min(args.from, Math.floor(Math.max(0, total - 1) / args.limit) * args.limit));
  const events = await reader.readAggregate(args.aggregateType, args.aggregateId, {
    fromSequence: from + 1,
    toSequence: from + args.limit,
  });
  const view: ReplayPageView = {
    aggregateType: args.aggregateType,
    aggregateId: args.aggregateId,
    hasReducer: reducers.has(args.aggregateType),
    total,
    from,
    steps: [],
    events,
    corrupt: events.filter(isCorruptEvent),
  };
  if (!view.hasReducer || events.length === 0) return view;
  const reducer = reducers.require(args.aggregateType);
  let start: FoldStart<unknown>;
  if (from === 0) {
    start = { state: structuredClone(reducer.initialState(args.aggregateId)), version: 0, lastEvent: null };
  } else {
    const before = await rebuilder.rebuild(args.aggregateType, args.aggregateId, { asOfSequence: from });
    start = { state: before.state, version: before.version, lastEvent: before.lastEvent };
  }
  foldRecords(reducer, start, events, {
    upcaster: schemas,
    onStep: (step) => {
      view.steps.push({
        index: step.event.sequence_number - 1,
        event: step.event,
        changes: diff(step.before, step.after),
        anomaly: step.anomaly ? `${step.anomaly.kind}: ${step.anomaly.reason}` : null,
      });
    },
  });
  view.events = [];
  return view;
}
