function escapeAttribute(value: string): string {
  return value.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The dashboard's HTML shell; the script draws the rest. The demo user's token is written into
 * the page because this is a local demo with one user: a real app signs its users in instead.
 */
export function dashboardPage(input: { demoToken: string; demo: boolean }): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="finkit-demo-token" content="${escapeAttribute(input.demoToken)}">
<title>finkit demo dashboard</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/dashboard.css">
<script type="module" src="/dashboard.js"></script>
</head><body data-demo="${input.demo}">
<noscript>The dashboard needs JavaScript. The REST API's reference is at <a href="/docs">/docs</a>.</noscript>
<p>Loading… (API reference: <a href="/docs">/docs</a>, live events: <code>GET /ws?token=…</code>)</p>
</body></html>`;
}
