// The scenario's options as the command line gives them: the agencies' behaviour table and the
// population seed, so the CLI depends on the scenario only.
export { parseBehaviourTable, type BehaviourTable } from '../agencies/behaviour.ts';
export { DEFAULT_SEED } from '../agencies/synthetic.ts';
