/**
 * Shell-like splitting of an exec command line (INVENTORY §3.2): single quotes are literal, double
 * quotes honour backslash escapes of `"`, `\`, `$` and backtick, a backslash outside quotes escapes
 * the next character. No expansion of any kind happens. Unbalanced quotes are an error.
 */
import { invalidInput } from '../../../util/errors.js';

const DQ_ESCAPABLE = new Set(['"', '\\', '$', '`', '\n']);

/** Splits `line` into words. */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === ' ' || ch === '\t' || ch === '\n') {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
      continue;
    }
    inWord = true;
    if (ch === '\\') {
      cur += line[++i] ?? '';
    } else if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw invalidInput('unbalanced single quote in command');
      cur += line.slice(i + 1, end);
      i = end;
    } else if (ch === '"') {
      const [text, end] = doubleQuoted(line, i + 1);
      cur += text;
      i = end;
    } else {
      cur += ch;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

/** Reads a double-quoted string starting after the quote; returns its text and the closing index. */
function doubleQuoted(line: string, start: number): [string, number] {
  let out = '';
  for (let i = start; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '"') return [out, i];
    if (ch === '\\' && i + 1 < line.length && DQ_ESCAPABLE.has(line[i + 1]!)) {
      out += line[++i];
    } else {
      out += ch;
    }
  }
  throw invalidInput('unbalanced double quote in command');
}
