/** Types of bundle.mjs for the TypeScript tests that drive it. */
import type { Message, Metafile, Plugin } from 'esbuild';

export const OPTIONAL_EXTERNALS: string[];
export function sshCryptoSeam(root: string, importers: string[]): Plugin;
export function buildCommit(root: string): string;
export function buildDate(): string;
export function computedRequires(warnings: Message[]): string[];
export function createdRequires(code: string): string[];
export function checkSeam(metafile: Metafile, importers: string[]): boolean;
export function bundle(opts: { root: string; outfile: string; commit: string; date: string }): Promise<Metafile>;
