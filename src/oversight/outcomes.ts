// What became of an exchange, for statistics and service levels. The status alone misleads: X-Road
// answers an access refusal with 500 (Server.ServerProxy.AccessDenied), and a provider's own 404
// ("no such person") is an answer, not a failure. So the error type decides:
// - answered: the provider answered (no error type, status below 500), "not found" included;
// - refused: the exchange refused the caller (Client.*, no access right, no such service);
// - providerFailed: the provider failed, timed out, answered outside its contract or could not be
//   reached, or answered 5xx itself; these count against its service level;
// - exchangeFailed: the exchange itself could not act (stale snapshot, records, an internal fault).
export type Outcome = 'answered' | 'refused' | 'providerFailed' | 'exchangeFailed';

const REFUSED = new Set(['Server.ServerProxy.AccessDenied', 'Server.ServerProxy.UnknownService']);
const EXCHANGE = new Set(['Server.ServerProxy.OutdatedGlobalConf', 'Server.ServerProxy.RecordFailed', 'Server.ServerProxy.InternalError']);

export function outcomeOf(status: number, errorType: string): Outcome {
  if (errorType === '') return status < 500 ? 'answered' : 'providerFailed';
  if (errorType.startsWith('Client.') || REFUSED.has(errorType)) return 'refused';
  if (EXCHANGE.has(errorType)) return 'exchangeFailed';
  return 'providerFailed';
}
