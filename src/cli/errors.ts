/** Errors the command line reports as one line, with the exit code they carry. */

/** Bad flags or arguments: exit code 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
}

/** The first line of an error's message, without the stack: what a person sees. */
export function errorLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return (message.split("\n")[0] ?? message).trim();
}

/** Exit code of an error: 2 for usage errors, 1 for everything else. */
export function exitCodeOf(err: unknown): number {
  return err instanceof UsageError ? err.exitCode : 1;
}
