/** One readable line per action, and a canonical identity string for it. */
import { formatTs } from '../protocol/timestamp.ts';
import { MSG_NAMES, type Msg } from '../protocol/types.ts';
import type { ClusterAction } from './actions.ts';

export function describeMsg(m: Msg): string {
  const name = MSG_NAMES[m.type];
  switch (m.type) {
    case 0:
      return `${name}(k${m.key}, ts ${formatTs(m.ts)}, v${m.value}, e${m.epoch})`;
    case 1:
      return `${name}(k${m.key}, ts ${formatTs(m.ts)}, e${m.epoch})`;
    case 8:
      return `${name}(e${m.epoch})`;
    case 9:
      return `${name}(k${m.key}, ts ${formatTs(m.ts)}, v${m.value}, ${m.valid ? 'valid' : 'invalid'})`;
    case 10:
      return `${name}(count ${m.count})`;
    default:
      return `${name}(k${m.key}, ts ${formatTs(m.ts)})`;
  }
}

export function describeAction(a: ClusterAction): string {
  switch (a.kind) {
    case 'write':
      return `client writes k${a.key} at n${a.node}`;
    case 'read':
      return `client reads k${a.key} at n${a.node}`;
    case 'scope-end':
      return `client ends its scope at n${a.node}`;
    case 'deliver':
      return `n${a.msg.to} delivers ${describeMsg(a.msg)} from n${a.msg.from}`;
    case 'persist':
      return `n${a.node} completes the persist of k${a.key} ts ${formatTs(a.ts)}`;
    case 'crash':
      return `n${a.node} crashes (membership removes it)`;
    case 'restart':
      return `n${a.node} restarts and is admitted as a shadow`;
    case 'promote':
      return `n${a.node} is promoted to replica`;
  }
}

export function actionKey(a: ClusterAction): string {
  switch (a.kind) {
    case 'deliver': {
      const m = a.msg;
      return `deliver:${m.type}:${m.from}:${m.to}:${m.key}:${m.ts}:${m.value}:${m.epoch}:${m.durableAt}:${m.count}:${m.valid ? 1 : 0}`;
    }
    case 'persist':
      return `persist:${a.node}:${a.key}:${a.ts}`;
    case 'write':
    case 'read':
      return `${a.kind}:${a.node}:${a.key}`;
    default:
      return `${a.kind}:${a.node}`;
  }
}
