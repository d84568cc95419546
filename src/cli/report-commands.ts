// `tabadol report <year>`: the exchange's annual report (src/oversight/report.ts) from the node's own
// rollups and registry, as text, JSON or a printable Persian HTML document.
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { Errors, fail } from '../errors/catalogue.ts';
import { reportYear } from '../oversight/report.ts';
import { reportHtml } from '../oversight/report-html.ts';
import { reportFromRegistry } from '../oversight/report-source.ts';
import { reportText } from '../oversight/report-text.ts';
import { openStatsSource } from '../oversight/stats-source.ts';
import { globals, runOf, withRegistry } from './context.ts';

interface ReportFlags { json?: boolean; html?: string; top: string }

export function registerReportCommands(program: Command): void {
  program.command('report <year>')
    .description('the annual report of a Jalali year: inquiries and growth, providers and services, top providers and consumers, visits and letters avoided')
    .option('--top <n>', 'lines in the top providers and consumers', '10')
    .option('--json', 'print JSON')
    .option('--html <file>', 'write a printable Persian HTML document to this file')
    .action(async (yearText: string, o: ReportFlags, cmd: Command) => {
      const year = reportYear(yearText);
      const top = Number(o.top);
      if (!Number.isInteger(top) || top < 1 || top > 100) fail(Errors.InvalidInput, '--top must be a whole number from 1 to 100');
      const source = openStatsSource(globals(cmd).data);
      try {
        const report = await withRegistry(cmd, (r) => reportFromRegistry(source.reader, r, year, top));
        const run = runOf(cmd);
        if (o.html !== undefined) {
          try {
            await writeFile(o.html, reportHtml(report));
          } catch (e) {
            fail(Errors.InvalidInput, `cannot write ${o.html}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, e);
          }
          if (!o.json) run.out(`wrote the ${year} report to ${o.html}\n`);
        }
        if (o.json) run.print(report);
        else if (o.html === undefined) run.out(reportText(report));
      } finally {
        source.close();
      }
    });
}
