// Names and provinces as plain maps: a Directory (stats.ts) that can be handed to the statistics
// reader's thread (a structured clone carries maps, not functions).
import type { Directory } from './stats.ts';

export interface DirectoryData {
  members: Map<string, { name: string; nameFa: string | null }>;
  /** Subsystem → province code ('00'–'30') or 'national'. */
  provinces: Map<string, string>;
}

export class MapDirectory implements Directory {
  constructor(readonly data: DirectoryData) {}
  // Arrow properties: callers pass these on as functions of their own.
  readonly memberName = (memberId: string) => this.data.members.get(memberId);
  readonly provinceOf = (subsystemId: string) => this.data.provinces.get(subsystemId);
}
