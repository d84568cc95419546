// Histogram buckets (seconds) of exchange and provider durations: from half a millisecond, a
// provider on the same network, to ten seconds, beyond any service's usual timeout.
export const DURATION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
