import type { Command } from "commander";

/**
 * Shell completion scripts generated from the command tree itself, so they list exactly the
 * commands and options `cxo` has: bash (also used by zsh through bashcompinit) and fish.
 */

/** One command of the tree: its path of names, sub-command names and option flags. */
interface Node {
  path: string[];
  description: string;
  subcommands: string[];
  options: Array<{ flag: string; takesValue: boolean; description: string }>;
}

function nodesOf(program: Command): Node[] {
  const nodes: Node[] = [];
  const visit = (command: Command, path: string[]) => {
    const options = [...command.options, ...(path.length === 0 ? [] : program.options)]
      .filter((o) => o.long)
      .map((o) => ({
        flag: o.long as string,
        takesValue: o.required || o.optional,
        description: o.description,
      }));
    const unique = [...new Map(options.map((o) => [o.flag, o])).values()];
    nodes.push({
      path,
      description: command.description(),
      subcommands: command.commands.map((c) => c.name()),
      options: [...unique, { flag: "--help", takesValue: false, description: "display help" }],
    });
    for (const sub of command.commands) visit(sub, [...path, sub.name()]);
  };
  visit(program, []);
  return nodes;
}

const quote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;

export function bashCompletion(program: Command): string {
  const nodes = nodesOf(program);
  const valueFlags = [
    ...new Set(nodes.flatMap((n) => n.options.filter((o) => o.takesValue).map((o) => o.flag))),
  ];
  const cases = nodes
    .map(
      (n) =>
        `    ${quote(n.path.join(" "))}) words=${quote([...n.subcommands, ...n.options.map((o) => o.flag)].join(" "))} ;;`,
    )
    .join("\n");
  return `# cxo completion for bash (source it, or save it in /etc/bash_completion.d/cxo)
_cxo() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" path="" words="" i w
  local value_flags=${quote(` ${valueFlags.join(" ")} `)}
  # An option that takes a value: complete file names.
  if [[ "$value_flags" == *" $prev "* ]]; then COMPREPLY=( $(compgen -f -- "$cur") ); return; fi
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    if [[ "$w" == -* ]]; then
      [[ "$w" != *=* && "$value_flags" == *" $w "* ]] && ((i++))
      continue
    fi
    path="\${path:+$path }$w"
  done
  case "$path" in
${cases}
    *) words="" ;;
  esac
  COMPREPLY=( $(compgen -W "$words" -- "$cur") )
}
complete -o default -F _cxo cxo
`;
}

export function zshCompletion(program: Command): string {
  return `# cxo completion for zsh (source it from ~/.zshrc)
autoload -U +X compinit && compinit
autoload -U +X bashcompinit && bashcompinit
${bashCompletion(program).replace(/^# .*\n/, "")}`;
}

export function fishCompletion(program: Command): string {
  const lines = [
    "# cxo completion for fish (save as ~/.config/fish/completions/cxo.fish)",
    "complete -c cxo -f",
  ];
  const nodes = nodesOf(program);
  const describe = (path: string[]) =>
    nodes.find((n) => n.path.join(" ") === path.join(" "))?.description.slice(0, 80) ?? "";
  for (const node of nodes) {
    // The condition: every word of the path typed, and none of this node's sub-commands yet.
    const seen = node.path.map((name) => `__fish_seen_subcommand_from ${name}`);
    const notYet = node.subcommands.length
      ? [`not __fish_seen_subcommand_from ${node.subcommands.join(" ")}`]
      : [];
    const condition = node.path.length === 0 ? "__fish_use_subcommand" : [...seen, ...notYet].join("; and ");
    for (const name of node.subcommands)
      lines.push(
        `complete -c cxo -n ${quote(condition)} -a ${quote(name)} -d ${quote(describe([...node.path, name]))}`,
      );
    for (const option of node.options)
      lines.push(
        `complete -c cxo -n ${quote(condition)} -l ${option.flag.slice(2)}${option.takesValue ? " -r -F" : ""} -d ${quote(option.description.slice(0, 80))}`,
      );
  }
  return `${lines.join("\n")}\n`;
}
