// `tabadol stats`: the exchange's statistics from the node's rollups, as a table or JSON.
import type { Command } from 'commander';
import { Errors, fail } from '../errors/catalogue.ts';
import { STATS_BY } from '../oversight/stats.ts';
import { statsRequest } from '../oversight/stats-request.ts';
import { openStatsSource, registryDirectory } from '../oversight/stats-source.ts';
import { statsText } from '../oversight/stats-text.ts';
import { globals, runOf, withRegistry } from './context.ts';

interface StatsFlags { from?: string; to?: string; by?: string; json?: boolean; compare: boolean; limit: string }

export function registerStatsCommands(program: Command): void {
  program.command('stats')
    .description('inquiries of a Jalali period by provider, consumer, service, province, month or year, from the rollups')
    .option('--from <date>', 'first Jalali day, YYYY/MM/DD (default: the first day of this Jalali year)')
    .option('--to <date>', 'last Jalali day, inclusive (default: today in Tehran)')
    .option('--by <grouping>', STATS_BY.join(' | '), 'provider')
    .option('--no-compare', 'no growth against the period just before')
    .option('--limit <n>', 'lines in the table', '20')
    .option('--json', 'print JSON')
    .action(async (o: StatsFlags, cmd: Command) => {
      const q = statsRequest(o);
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1) fail(Errors.InvalidInput, '--limit must be a positive whole number');
      const directory = await withRegistry(cmd, registryDirectory);
      const source = openStatsSource(globals(cmd).data);
      try {
        const answer = source.reader.query({ ...q, compare: o.compare, directory });
        const run = runOf(cmd);
        if (o.json) run.print(answer);
        else run.out(statsText(answer, { limit }));
      } finally {
        source.close();
      }
    });
}
