/** Bad input or usage: the CLI prints the message alone and exits with code 2. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

export const EXIT_OK = 0;
export const EXIT_VIOLATION = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_UNKNOWN = 3;
