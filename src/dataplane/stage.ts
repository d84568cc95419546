// A stage of the data-plane pipeline: created once from checked configuration, it reads and
// enriches the exchange, or throws a coded error that stops the pipeline.
import type { Exchange } from './exchange.ts';

export interface Stage {
  readonly name: string;
  /**
   * What happens when the stage breaks itself (an uncoded exception, i.e. a bug): 'open' logs it
   * and carries on, 'closed' refuses the exchange. Only a stage whose absence cannot let a caller
   * see or do more than allowed may fail open.
   */
  readonly failMode: 'open' | 'closed';
  run(ex: Exchange): void | Promise<void>;
}

/** A stage that finishes before it returns, so it may be run outside the pipeline, e.g. by a metaservice. */
export interface SyncStage extends Stage {
  run(ex: Exchange): void;
}
