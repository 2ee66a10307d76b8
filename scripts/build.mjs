#!/usr/bin/env node
// Builds dist/ with `nest build` only when its inputs changed since the last build (`--force`: always).
// The inputs' fingerprint (a hash of their paths and contents) is kept in dist/ and written after a
// successful build only, so a failed or interrupted build is retried next time. `nest build` empties
// dist/ first (nest-cli.json deleteOutDir), so a source file removed leaves nothing stale behind.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const INPUTS = [
  'src',
  'migrations',
  'tsconfig.json',
  'tsconfig.build.json',
  'nest-cli.json',
  'package.json',
  'package-lock.json',
];
const STAMP = path.join(root, 'dist', '.build-fingerprint');
const OUTPUT = path.join(root, 'dist', 'src', 'main.js');

function files(rel) {
  const abs = path.join(root, rel);
  if (!fs.existsSync(abs)) return [];
  if (!fs.statSync(abs).isDirectory()) return [rel];
  return fs
    .readdirSync(abs, { withFileTypes: true })
    .flatMap((e) => files(path.join(rel, e.name)))
    .sort();
}

function fingerprint() {
  const hash = createHash('sha256');
  for (const rel of INPUTS.flatMap(files)) {
    hash.update(`${rel.split(path.sep).join('/')}\0`);
    hash.update(fs.readFileSync(path.join(root, rel)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

const force = process.argv.includes('--force');
const current = fingerprint();
const built = fs.existsSync(OUTPUT) && fs.existsSync(STAMP) ? fs.readFileSync(STAMP, 'utf8').trim() : null;
if (!force && built === current) {
  console.log('build: dist/ is up to date');
  process.exit(0);
}

const nest = path.join(root, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js');
const started = Date.now();
const result = spawnSync(process.execPath, [nest, 'build'], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);
fs.writeFileSync(STAMP, `${current}\n`);
console.log(`build: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
