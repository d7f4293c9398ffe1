// A second process for the event bus test: waits for the parent's event, answers with a large one.
import pg from 'pg';
import { createPgEventBus } from '../src/create-pg-event-bus.js';

const [url, schema] = process.argv.slice(2);
const pool = new pg.Pool({ connectionString: url, options: `-c search_path=${schema}`, max: 2 });
const bus = await createPgEventBus({ pool });
bus.subscribe('connection.removed', (event) => {
  void (async () => {
    await bus.publish({
      type: 'notification.created',
      userId: event.userId,
      at: new Date().toISOString(),
      data: {
        notificationId: event.data.connectionId,
        type: 'reply',
        title: 'big',
        body: 'x'.repeat(20_000),
      },
    });
    await bus.close();
    await pool.end();
    process.exit(0);
  })();
});
process.stdout.write('ready\n');
