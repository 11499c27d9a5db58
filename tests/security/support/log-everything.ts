/**
 * Imported before any function module: every log line on (DEBUG) and every invocation event requested, as an
 * operator could set POWERTOOLS_LOG_LEVEL and POWERTOOLS_LOGGER_LOG_EVENT on a function. The shared logger reads
 * both once, when it is created, and falls back to that level at each invocation.
 */
process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
process.env.POWERTOOLS_LOGGER_LOG_EVENT = 'true';
