// Refusals of callers the node could not identify. They are not written one by one into the legal
// record (an anonymous flood would fill the disk with records naming nobody); they are counted, and
// logged at most once per interval with how many were refused since the last line and the latest
// remote address, so that an operator can see and block a flood without the log becoming one.
import type { Logger } from 'pino';

export class UnidentifiedRefusals {
  private suppressed = 0;
  private lastLineAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly log: Logger,
    private readonly now: () => number,
    private readonly intervalMs = 1000,
    private readonly count: (errorType: string) => void = () => {},
  ) {}

  refused(errorType: string, remoteAddress: string | undefined): void {
    this.count(errorType);
    this.suppressed++;
    const t = this.now();
    if (t - this.lastLineAt < this.intervalMs) return;
    this.log.warn({ refused: this.suppressed, type: errorType, remoteAddress }, 'refused unidentified callers (not recorded)');
    this.suppressed = 0;
    this.lastLineAt = t;
  }
}
