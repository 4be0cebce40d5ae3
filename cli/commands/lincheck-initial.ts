/** `heal lincheck --initial V`: the initial value of the model, in JSON or EDN. */
import { EdnList, EdnMap, EdnSymbol, Keyword, readEdn, type EdnValue } from '../../checker/history/edn.ts';
import { readJson } from '../../checker/history/json-text.ts';
import type { InitialValue } from '../../spec/models/registry.ts';
import type { HistoryValue } from '../../spec/history.ts';
import { InputError } from '../errors.ts';

export /** JSON or EDN: nil, a number, a string, a keyword (its name), or a map of registers for multi-register. */
function parseInitial(v: string): InitialValue {
  if (v === 'nil') return null;
  if (v === '') return '';
  try {
    const parsed = readJson(v, '--initial').value;
    if (parsed === null || ['number', 'bigint', 'string', 'boolean'].includes(typeof parsed)) return parsed as HistoryValue;
    if (typeof parsed === 'object' && !Array.isArray(parsed)) {
      const out: Record<string, HistoryValue> = {};
      for (const [k, x] of Object.entries(parsed)) {
        if (x !== null && typeof x === 'object') throw new InputError(`--initial: register ${k} must hold one value, got ${JSON.stringify(x)}`);
        out[k] = x as HistoryValue;
      }
      return out;
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
  }
  try {
    const forms = readEdn(v, '--initial');
    if (forms.length === 1) {
      const plain = (x: EdnValue): HistoryValue => {
        if (x instanceof Keyword || x instanceof EdnSymbol) return x.name;
        if (x instanceof EdnList || x instanceof EdnMap) throw new InputError(`--initial: expected one value per register, got '${v}'`);
        return x;
      };
      const form = forms[0].value;
      if (form instanceof EdnMap) return Object.fromEntries(form.entries.map(([k, x]) => [String(plain(k)), plain(x)]));
      return plain(form);
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
  }
  throw new InputError(`--initial: expected nil, a number, true/false, a string or keyword, or a map such as {"x": 0} or {:x 0}; got '${v}'`);
}
