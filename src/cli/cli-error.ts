/** Thrown by a command to stop with a message and a non-zero exit, without a stack trace. */
export class CliError extends Error {
  override name = 'CliError';
}
