#!/usr/bin/env node
import { runFinkitMigrate } from '../run-finkit-migrate.js';

// No top-level await: this entry is also built as CommonJS.
void runFinkitMigrate(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
