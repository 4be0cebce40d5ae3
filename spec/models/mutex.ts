/** A lock, as Knossos's Mutex: acquire only when free, release only when held. */
import { ILLEGAL, type SeqModel } from './types.ts';
import { anyValue } from './values.ts';

export function mutexModel(): SeqModel<boolean> {
  return {
    name: 'mutex',
    init: () => false,
    ops: {
      acquire: { input: anyValue, output: anyValue, step: (locked) => (locked ? ILLEGAL : true), describe: () => 'acquire()' },
      release: { input: anyValue, output: anyValue, step: (locked) => (locked ? false : ILLEGAL), describe: () => 'release()' },
    },
    describeState: (locked) => (locked ? 'locked' : 'free'),
  };
}
