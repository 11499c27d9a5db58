/** Imported first by a test that loads the functions' code: their Powertools logger stays quiet. */
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
