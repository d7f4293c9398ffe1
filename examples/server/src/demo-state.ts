import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateTokenKey } from '@finkit/core';

/**
 * What the example keeps beside its database so a second start is the same server: the keys
 * (tokens stay decryptable, demo tokens stay valid) and the in-process sandbox's history (the
 * sandbox is deterministic, so replaying its items and clock advances rebuilds it exactly).
 */
export interface DemoState {
  jwtSecret: string;
  tokenKeys: Record<string, string>;
  primaryKeyId: string;
  sandbox: {
    seed: number;
    startDate: string;
    /** Institutions linked through the sandbox, in order. */
    institutions: string[];
    /** Every `advance(days)` call, in order. */
    advances: number[];
  };
}

export interface DemoStateFile {
  readonly state: DemoState;
  /** True when this start created the file (a fresh data dir). */
  readonly created: boolean;
  save(): Promise<void>;
}

export async function openDemoState(dataDir: string, seed: number, today: string): Promise<DemoStateFile> {
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, 'finkit-example.json');
  let state: DemoState;
  let created = false;
  try {
    state = JSON.parse(await readFile(path, 'utf8')) as DemoState;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    created = true;
    state = {
      jwtSecret: randomBytes(32).toString('base64url'),
      tokenKeys: { k1: generateTokenKey() },
      primaryKeyId: 'k1',
      sandbox: { seed, startDate: today, institutions: [], advances: [] },
    };
  }
  const save = async () => {
    // Write then rename, so a crash never leaves half a file (and unreadable keys).
    const temporary = `${path}.tmp`;
    await writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, path);
  };
  if (created) await save();
  return { state, created, save };
}
