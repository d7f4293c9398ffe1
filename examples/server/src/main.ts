import { readConfig } from './read-config.js';
import { startExampleServer } from './start-example-server.js';

const config = readConfig(process.env);
const started = Date.now();
const server = await startExampleServer(config);
console.log(`finkit example server listening on ${server.url} (ready in ${Date.now() - started} ms)`);
console.log(`Data: ${config.dataDir}`);
console.log(`Demo token: ${server.demoToken}`);
console.log(`Try: curl -H "Authorization: Bearer <token>" ${server.url}/accounts`);

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping`);
  await server.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
