// The stats commands: filled in by its module.
import type { Command } from 'commander';

export function registerStatsCommands(_program: Command): void {}
