/**
 * Shell completion scripts generated from the commander program itself, so every command and
 * option (including ones added later) completes: subcommands, long/short options and argument
 * choices, per command path.
 */
import type { Command } from 'commander';

/** Completion data of one command path (`""` is the root, `"user add"` a nested command). */
export interface CompletionNode {
  path: string;
  description: string;
  subcommands: { name: string; description: string }[];
  options: { long?: string; short?: string; description: string }[];
  choices: string[];
}

/** Every command path of the program. */
export function collectCompletion(root: Command): CompletionNode[] {
  const out: CompletionNode[] = [];
  const walk = (cmd: Command, path: string) => {
    out.push({
      path,
      description: cmd.description(),
      subcommands: cmd.commands.map((c) => ({ name: c.name(), description: c.description() })),
      options: [...cmd.options, ...(path ? [] : [])].map((o) => ({
        ...(o.long ? { long: o.long } : {}), ...(o.short ? { short: o.short } : {}), description: o.description,
      })).concat([{ long: '--help', short: '-h', description: 'help' }]),
      choices: cmd.registeredArguments.flatMap((a) => a.argChoices ?? []),
    });
    for (const c of cmd.commands) walk(c, path ? `${path} ${c.name()}` : c.name());
  };
  walk(root, '');
  return out;
}

const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const words = (n: CompletionNode) => [
  ...n.subcommands.map((s) => s.name), ...n.choices,
  ...n.options.flatMap((o) => [o.long, o.short].filter((x): x is string => !!x)),
];

/** Bash script (also used by zsh through bashcompinit). */
export function bashCompletion(root: Command): string {
  const nodes = collectCompletion(root);
  const name = root.name();
  const fn = `_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
  const subs = nodes.map((n) => `    ${shq(n.path)}) echo ${shq(n.subcommands.map((s) => s.name).join(' '))} ;;`).join('\n');
  const all = nodes.map((n) => `    ${shq(n.path)}) echo ${shq(words(n).join(' '))} ;;`).join('\n');
  return `# bash completion for ${name}; source it or put it in /etc/bash_completion.d/${name}
${fn}_subs() {
  case "$1" in
${subs}
  esac
}
${fn}_words() {
  case "$1" in
${all}
  esac
}
${fn}() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="" w i
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    case "$w" in -*) continue ;; esac
    case " $(${fn}_subs "$path") " in *" $w "*) path="\${path:+$path }$w" ;; esac
  done
  COMPREPLY=($(compgen -W "$(${fn}_words "$path")" -- "$cur"))
}
complete -o default -F ${fn} ${name}
`;
}

/** Zsh script: the bash completion through zsh's bashcompinit. */
export function zshCompletion(root: Command): string {
  return `#compdef ${root.name()}
autoload -U +X bashcompinit && bashcompinit
${bashCompletion(root)}`;
}

/** Fish script: one `complete` line per subcommand and option, conditioned on the command path. */
export function fishCompletion(root: Command): string {
  const name = root.name();
  const lines = [`# fish completion for ${name}`, `complete -c ${name} -f`];
  for (const n of collectCompletion(root)) {
    const segs = n.path ? n.path.split(' ') : [];
    const cond = segs.length === 0
      ? '__fish_use_subcommand'
      : segs.map((s) => `__fish_seen_subcommand_from ${s}`).join('; and ');
    for (const s of n.subcommands) lines.push(`complete -c ${name} -n ${shq(cond)} -a ${shq(s.name)} -d ${shq(s.description)}`);
    for (const c of n.choices) lines.push(`complete -c ${name} -n ${shq(cond)} -a ${shq(c)}`);
    for (const o of n.options) {
      const flags = [o.long ? `-l ${o.long.slice(2)}` : '', o.short ? `-s ${o.short.slice(1)}` : ''].filter(Boolean).join(' ');
      lines.push(`complete -c ${name} -n ${shq(cond)} ${flags} -d ${shq(o.description)}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** PowerShell script: a native argument completer keyed by command path. */
export function powershellCompletion(root: Command): string {
  const name = root.name();
  const psq = (s: string) => `'${s.replace(/'/g, "''")}'`;
  const table = collectCompletion(root)
    .map((n) => `  ${psq(n.path)} = @(${words(n).map(psq).join(', ')})`).join('\n');
  const subs = collectCompletion(root)
    .map((n) => `  ${psq(n.path)} = @(${n.subcommands.map((s) => psq(s.name)).join(', ')})`).join('\n');
  return `# powershell completion for ${name}
Register-ArgumentCompleter -Native -CommandName ${psq(name)} -ScriptBlock {
  param($wordToComplete, $commandAst, $cursorPosition)
  $words = @{
${table}
  }
  $subs = @{
${subs}
  }
  $path = ''
  foreach ($e in $commandAst.CommandElements | Select-Object -Skip 1) {
    $t = $e.ToString()
    if ($t -eq $wordToComplete) { break }
    if ($t.StartsWith('-')) { continue }
    if ($subs[$path] -contains $t) { $path = ($path + ' ' + $t).Trim() }
  }
  $words[$path] | Where-Object { $_ -like "$wordToComplete*" } | ForEach-Object {
    [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
  }
}
`;
}

/** The script for `shell`. */
export function completionScript(root: Command, shell: 'bash' | 'zsh' | 'fish' | 'powershell'): string {
  switch (shell) {
    case 'bash': return bashCompletion(root);
    case 'zsh': return zshCompletion(root);
    case 'fish': return fishCompletion(root);
    case 'powershell': return powershellCompletion(root);
  }
}
