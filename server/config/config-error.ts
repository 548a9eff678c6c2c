/** A configuration problem; its message is one line meant for the operator's terminal. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
