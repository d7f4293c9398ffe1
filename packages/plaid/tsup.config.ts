import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/sandbox/index.ts', 'src/sandbox/cli.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
});
