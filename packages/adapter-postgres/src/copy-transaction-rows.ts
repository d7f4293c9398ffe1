import type { Transaction } from '@finkit/core';
import type { Connection, PoolClient, Submittable } from 'pg';
import { transactionCopyText } from './transaction-copy-text.js';
import { transactionColumnList } from './transaction-rows.js';

// Rows per chunk written to the socket, so a 100k-row batch is not one 30 MB string.
const chunkSize = 2000;
// CopyDone: 'c' and the length of the message itself.
const copyDone = Buffer.from([0x63, 0, 0, 0, 4]);

/**
 * A `COPY ... FROM STDIN` whose data goes out right behind the statement instead of after the
 * server's CopyInResponse (pg-copy-streams waits for it): one round trip per COPY instead of two.
 * That is safe because the server reads its messages in order, and one whose COPY failed to start
 * or failed midway ignores the CopyData and CopyDone still on their way (PostgreSQL accepts and
 * drops copy messages outside copy mode for exactly this case). Later chunks wait for the socket to
 * drain, and stop coming once the COPY has failed.
 */
class PipelinedCopy implements Submittable {
  readonly done: Promise<void>;
  private settle!: (error?: Error) => void;
  private settled = false;
  /** A failure on our side that ended the COPY with CopyFail: the caller sees it, not the echo. */
  private cause: Error | undefined;

  constructor(
    private readonly text: string,
    private readonly chunks: Iterator<Buffer>,
  ) {
    this.done = new Promise<void>((resolve, reject) => {
      this.settle = (error) => {
        this.settled = true;
        if (error === undefined) resolve();
        else reject(error);
      };
    });
  }

  submit(connection: Connection): void {
    connection.query(this.text);
    const socket = connection.stream;
    const pump = () => {
      if (this.settled) return;
      try {
        for (let next = this.chunks.next(); next.done !== true; next = this.chunks.next()) {
          const header = Buffer.allocUnsafe(5);
          header[0] = 0x64; // CopyData
          header.writeUInt32BE(next.value.length + 4, 1);
          socket.write(header);
          if (!socket.write(next.value)) {
            socket.once('drain', pump);
            return;
          }
        }
      } catch (error) {
        // The server must still be told, or it would wait for the rest of the data forever.
        this.cause = error instanceof Error ? error : new Error(String(error));
        const message = Buffer.from(`${this.cause.message}\0`, 'utf8');
        const header = Buffer.allocUnsafe(5);
        header[0] = 0x66; // CopyFail
        header.writeUInt32BE(message.length + 4, 1);
        socket.write(Buffer.concat([header, message]));
        return;
      }
      socket.write(copyDone);
    };
    pump();
  }

  // pg replaces `callback` with its own when the client has a query_timeout, to clear that timer.
  callback(): void {}

  handleCopyInResponse(): void {}

  handleCommandComplete(): void {}

  handleReadyForQuery(): void {
    this.callback();
    this.settle();
  }

  // pg forgets the active query on an error message and never tells it of the ReadyForQuery after.
  handleError(error: Error): void {
    this.callback();
    this.settle(this.cause ?? error);
  }
}

/**
 * Inserts rows with `COPY transactions FROM STDIN` on `client`, inside whatever transaction the
 * client is in: the server parses COPY text several times faster than it expands `unnest` arrays
 * into rows. Like a plain insert it has no conflict clause: a row that breaks a constraint makes
 * the COPY fail and, with it, the transaction.
 */
export async function copyTransactionRows(client: PoolClient, rows: readonly Transaction[]): Promise<void> {
  if (rows.length === 0) return;
  function* chunks() {
    for (let i = 0; i < rows.length; i += chunkSize) {
      yield Buffer.from(transactionCopyText(rows.slice(i, i + chunkSize)), 'utf8');
    }
  }
  const copy = new PipelinedCopy(`copy transactions (${transactionColumnList}) from stdin`, chunks());
  client.query(copy);
  await copy.done;
}
