// What a report reads besides the rollups: members' names, and the savings and baselines the
// registry's oversight data declares (src/registry/oversight-data.ts).
import type { Registry } from '../registry/registry.ts';
import { buildReport, type Report } from './report.ts';
import { registryDirectory } from './stats-source.ts';
import type { StatsQueries } from './rollup-reader.ts';

export async function reportFromRegistry(reader: StatsQueries, registry: Registry, year: number, top?: number): Promise<Report> {
  const [directory, savings, baselines] = await Promise.all([
    registryDirectory(registry), registry.oversight.listSavings(), registry.oversight.listBaselines(),
  ]);
  return buildReport({ reader, year, directory, savings, baselines, top });
}
