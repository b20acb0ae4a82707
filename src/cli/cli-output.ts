/** Where CLI commands write; the entry point passes process streams, tests pass collectors. */
export interface CliOutput {
  line(text: string): void;
  error(text: string): void;
}

/** A mistake in the command line (exit code 2 by default), reported without a stack trace. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(message: string, readonly exitCode = 2) {
    super(message);
  }
}
