import { Argument, type Command } from "commander";
import { bashCompletion, fishCompletion, zshCompletion } from "../completion.ts";

/**
 * `cxo completion bash|zsh|fish`: prints the shell's completion script, generated from every
 * command of the program it is registered in (main.ts defines them all for this one, unlike a
 * normal run: its entry `readsEveryCommand`).
 *   bash: source <(cxo completion bash)      zsh: source <(cxo completion zsh)
 *   fish: cxo completion fish > ~/.config/fish/completions/cxo.fish
 */
export function registerCompletionCommands(program: Command): void {
  program
    .command("completion")
    .description("print the shell completion script: bash, zsh or fish")
    .addArgument(new Argument("<shell>", "bash, zsh or fish").choices(["bash", "zsh", "fish"]))
    .action((shell: "bash" | "zsh" | "fish") => {
      const everything = program;
      const script =
        shell === "bash"
          ? bashCompletion(everything)
          : shell === "zsh"
            ? zshCompletion(everything)
            : fishCompletion(everything);
      process.stdout.write(script);
    });
}
