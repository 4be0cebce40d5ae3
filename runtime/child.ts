/**
 * Entry of the processes `heal cluster` starts: `child.js node <json>` or
 * `child.js membership <json>`. Talks to the supervisor over the IPC channel of fork():
 * where it listens, the peers' addresses, partitions, status requests.
 */
import { EXIT_FENCED, NodeProcess, type NodeOptions } from './node/node.ts';
import { MembershipService, type ServiceOptions } from './membership/service.ts';
import type { Addr } from './node/peers.ts';

export type ToChild =
  | { readonly type: 'peers'; readonly peers: readonly Addr[] }
  | { readonly type: 'partition'; readonly node: number; readonly drop: boolean }
  | { readonly type: 'status'; readonly id: number };

export type FromChild =
  | { readonly type: 'listening'; readonly clientPort: number; readonly peerPort: number }
  | { readonly type: 'view'; readonly view: unknown }
  | { readonly type: 'status'; readonly id: number; readonly status: unknown };

function tell(m: FromChild): void {
  process.send?.(m);
}

/** A signal, or the supervisor going away (the IPC channel closes), closes `what` and exits 0. */
function stopOnExitRequest(what: { close(): void }): void {
  const stop = () => {
    what.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('disconnect', stop);
}

async function runNode(opts: NodeOptions): Promise<void> {
  let node: NodeProcess | null = null;
  node = new NodeProcess(opts, () => {
    node?.close();
    process.exit(EXIT_FENCED);
  });
  const ports = await node.listen();
  process.on('message', (m: ToChild) => {
    if (m.type === 'peers') node.setPeers(m.peers);
    else if (m.type === 'partition') node.partition(m.node, m.drop);
    else if (m.type === 'status') tell({ type: 'status', id: m.id, status: node.status() });
  });
  stopOnExitRequest(node);
  tell({ type: 'listening', ...ports });
}

async function runService(opts: ServiceOptions): Promise<void> {
  const svc = new MembershipService(opts, (view) => tell({ type: 'view', view }));
  const port = await svc.listen();
  stopOnExitRequest(svc);
  tell({ type: 'listening', clientPort: port, peerPort: 0 });
}

const [role, json] = process.argv.slice(2);
const config = JSON.parse(json ?? '{}') as unknown;
if (role === 'node') await runNode(config as NodeOptions);
else if (role === 'membership') await runService(config as ServiceOptions);
else {
  process.stderr.write(`runtime child: unknown role ${String(role)}\n`);
  process.exit(2);
}
