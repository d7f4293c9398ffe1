/**
 * Where the server serves the push service worker. A stable path: the browser keys its
 * registration (and so its push subscription) to this URL, and a new path would leave the old
 * worker registered beside the new one. At the root, so its scope covers the dashboard at `/`.
 */
export const PUSH_SERVICE_WORKER_URL = '/push-service-worker.js';
