/**
 * Imported first by bench/main.ts: the handlers' log level and metrics, set before any module builds the shared
 * Logger and Metrics (shared/observability.ts reads them once, when it is first imported). The local runtime sets
 * the same when it starts, but the cost summary imports the stack's code, which imports them earlier; without
 * this every request of a measured phase would also write its INFO lines and EMF metrics to the bench's output.
 */
process.env.POWERTOOLS_LOG_LEVEL ??= process.env.LOG_LEVEL ?? 'WARN';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
