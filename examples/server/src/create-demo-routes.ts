import {
  type Authenticate,
  errorBody,
  type FinkitEnv,
  requireUser,
  toFinkitError,
} from '@finkit/adapter-hono';
import type { PlaidSandbox } from '@finkit/plaid/sandbox';
import { sandboxInstitutions } from '@finkit/plaid/sandbox';
import { Hono } from 'hono';
import type { DemoStateFile } from './demo-state.js';

/**
 * What a real app gets from Plaid Link and from time passing, for the in-process sandbox: a
 * public token for an institution, and a clock to move forward. Not part of finkit's API.
 */
export function createDemoRoutes(input: {
  sandbox: PlaidSandbox;
  demo: DemoStateFile;
  authenticate: Authenticate;
  webhookUrl: string;
}): Hono<FinkitEnv> {
  const { sandbox, demo, authenticate, webhookUrl } = input;
  const app = new Hono<FinkitEnv>();
  // The API's own auth and error shape, so the demo routes answer exactly like finkit's.
  app.onError((error, c) => {
    const finkitError = toFinkitError(error);
    return c.json(errorBody(finkitError), finkitError.httpStatus as 400);
  });
  app.use('*', requireUser(authenticate));
  app.get('/institutions', (c) =>
    c.json({
      today: sandbox.today(),
      institutions: sandboxInstitutions.map(({ institutionId, name }) => ({ institutionId, name })),
    }),
  );
  // Stands in for Plaid Link: the app posts the returned public token to POST /accounts/link.
  app.post('/public-token', async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { institutionId?: unknown };
    const institutionId = typeof body.institutionId === 'string' ? body.institutionId : 'ins_109508';
    if (!sandboxInstitutions.some((i) => i.institutionId === institutionId)) {
      return c.json(
        { error: { code: 'VALIDATION', message: `Unknown sandbox institution: ${institutionId}` } },
        400,
      );
    }
    const publicToken = sandbox.createPublicToken(institutionId, { webhook: webhookUrl, daysRequested: 730 });
    demo.state.sandbox.institutions.push(institutionId);
    await demo.save();
    return c.json({ publicToken });
  });
  // Moves the sandbox's clock: new, posted, changed and removed transactions arrive by webhook.
  app.post('/advance', async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { days?: unknown };
    const days = body.days === undefined ? 1 : body.days;
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > 365) {
      return c.json(
        { error: { code: 'VALIDATION', message: 'days must be a whole number from 1 to 365' } },
        400,
      );
    }
    demo.state.sandbox.advances.push(days);
    await demo.save();
    await sandbox.advance(days);
    return c.json({ today: sandbox.today() });
  });
  return app;
}
