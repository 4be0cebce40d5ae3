/** Bad input or usage: the CLI prints the message alone and exits with code 2. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

export const EXIT_OK = 0;
export const EXIT_VIOLATION = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_UNKNOWN = 3;

/**
 * Control characters (an ESC that recolours or clears the terminal, a carriage return
 * that overwrites the line) and invisible or bidirectional formatting characters (which
 * can make a file name read as another) escaped as \xNN or \uNNNN. Line breaks stay:
 * messages span lines on purpose.
 */
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]/g;

export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
