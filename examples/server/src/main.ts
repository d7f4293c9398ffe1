// The example server arrives with its issue (Hono + PGlite + the Plaid sandbox + the dashboard).
// Until then `pnpm start` says so instead of failing.
console.log(
  'finkit example server: not built yet. It will serve the REST API, WebSocket and dashboard here.',
);
