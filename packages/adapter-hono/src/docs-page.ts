/**
 * A reference page that needs nothing but the app: it fetches the OpenAPI document and renders
 * the operations with a small inline script, so it works offline and behind strict firewalls.
 */
export function docsPage(openApiUrl: string, title = 'finkit API'): string {
  const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:980px;padding:1rem 1.5rem;color:#1c1c1c}
h2{margin-top:2rem;border-bottom:1px solid #ddd}
details{border:1px solid #e3e3e3;border-radius:6px;margin:.4rem 0;padding:.3rem .7rem}
summary{cursor:pointer}
.m{display:inline-block;min-width:4.2rem;font:bold 12px monospace;text-transform:uppercase}
.get{color:#0a7}.post{color:#06c}.put{color:#a60}.patch{color:#a0a}.delete{color:#c22}
code,pre{font-family:ui-monospace,monospace;font-size:13px}
pre{background:#f6f6f6;padding:.6rem;overflow:auto;border-radius:4px}
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>OpenAPI document: <a href="${escapeHtml(openApiUrl)}">${escapeHtml(openApiUrl)}</a>. Authenticate with <code>Authorization: Bearer &lt;token&gt;</code>.</p>
<div id="ops">Loading…</div>
<script>
(async () => {
  const root = document.getElementById('ops');
  const el = (tag, attrs, ...kids) => {
    const node = document.createElement(tag);
    Object.assign(node, attrs);
    for (const kid of kids) node.append(kid);
    return node;
  };
  try {
    const doc = await (await fetch(${JSON.stringify(openApiUrl).replaceAll('<', '\\u003c')})).json();
    const groups = new Map();
    for (const [path, item] of Object.entries(doc.paths || {})) {
      for (const [method, op] of Object.entries(item)) {
        const tag = (op.tags && op.tags[0]) || 'Other';
        if (!groups.has(tag)) groups.set(tag, []);
        groups.get(tag).push({ path, method, op });
      }
    }
    root.textContent = '';
    for (const [tag, ops] of groups) {
      root.append(el('h2', { textContent: tag }));
      for (const { path, method, op } of ops) {
        const body = el('div', {});
        const params = (op.parameters || []).map((p) => p.in + ' ' + p.name + (p.required ? ' (required)' : ''));
        if (params.length) body.append(el('p', { textContent: 'Parameters: ' + params.join(', ') }));
        const reqSchema = op.requestBody && op.requestBody.content && Object.values(op.requestBody.content)[0];
        if (reqSchema) body.append(el('p', { textContent: 'Body:' }), el('pre', { textContent: JSON.stringify(reqSchema.schema, null, 2) }));
        for (const [status, res] of Object.entries(op.responses || {})) {
          body.append(el('p', { textContent: status + ': ' + (res.description || '') }));
        }
        root.append(el('details', {},
          el('summary', {}, el('span', { className: 'm ' + method, textContent: method }), el('code', { textContent: path }), ' ' + (op.summary || '')),
          body));
      }
    }
  } catch (error) {
    root.textContent = 'Could not load the OpenAPI document: ' + error;
  }
})();
</script>
</body>
</html>`;
}
