/** The landing page until the dashboard arrives: where things are and how to call the API. */
export function homePage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>finkit example server</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:3rem auto;padding:0 1rem}code{background:#f3f3f3;padding:0 .25rem}</style>
</head><body>
<h1>finkit example server</h1>
<p>The REST API is served here; its reference is at <a href="/docs">/docs</a> and the document at
<a href="/openapi.json">/openapi.json</a>. Live events: <code>GET /ws?token=…</code>.</p>
<p>Authenticate with the <code>Demo token</code> the server printed at start:</p>
<pre><code>curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:3000/transactions?limit=5</code></pre>
<p>Sandbox helpers: <code>POST /demo/public-token</code> (stands in for Plaid Link),
<code>POST /demo/advance {"days": 3}</code> (time passes; new transactions arrive by webhook).</p>
</body></html>`;
}
