import type { OpenAPIHono } from '@hono/zod-openapi';
import type { FinkitEnv } from '../finkit-env.js';

/** The app every route module registers on. */
export type FinkitApp = OpenAPIHono<FinkitEnv>;
