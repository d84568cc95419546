// The oversight commands: filled in by its module.
import type { Command } from 'commander';

export function registerOversightCommands(_program: Command): void {}
