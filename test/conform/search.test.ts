/**
 * The generic constrained search (checker/conform) on a toy protocol that knows nothing of
 * HEAL: node 0 sends numbered tokens, node 1 receives them in order and logs an ack for
 * each. Events are strings; the binding is unused.
 */
import { describe, expect, it } from 'vitest';
import { searchConformance, type ConformProblem, type LoggedEvent } from '../../checker/conform/search.ts';

interface S {
  readonly sent: number;
  readonly received: number;
}
type A = 'send' | 'recv';

/** match returns the binding on success and null on failure, so the toy's binding is a box. */
type Box = { readonly ok: true };
const box: Box = { ok: true };

function boxed(streams: string[][], over: Partial<ConformProblem<S, A, string, string, Box>> = {}): ConformProblem<S, A, string, string, Box> {
  let line = 0;
  const logged: LoggedEvent<string>[][] = streams.map((events) =>
    events.flatMap((e, i) => (e === '' ? [] : [{ seq: i + 1, line: ++line, event: e }])),
  );
  return {
    initial: { sent: 0, received: 0 },
    actions: (s) => [...(s.sent < 5 ? (['send'] as const) : []), ...(s.received < s.sent ? (['recv'] as const) : [])],
    next: (s, a) => (a === 'send' ? { ...s, sent: s.sent + 1 } : { ...s, received: s.received + 1 }),
    stateKey: (s) => `${s.sent},${s.received}`,
    streams: logged,
    trigger: (s, a) => (a === 'send' ? { stream: 0, event: `send ${s.sent + 1}` } : { stream: 1, event: `recv ${s.received + 1}` }),
    produced: (s, a) =>
      a === 'send'
        ? [{ stream: 0, event: `send ${s.sent + 1}` }]
        : [{ stream: 1, event: `recv ${s.received + 1}` }, { stream: 1, event: `ack ${s.received + 1}` }],
    match: (l, e, b) => (l === e ? b : null),
    initialBinding: box,
    bindingKey: () => '',
    maxStates: 10_000,
    ...over,
  };
}

const node0 = ['send 1', 'send 2', 'send 3'];
const node1 = ['recv 1', 'ack 1', 'recv 2', 'ack 2', 'recv 3', 'ack 3'];

describe('searchConformance', () => {
  it('replays a complete log one model step per logged step', () => {
    const r = searchConformance(boxed([node0, node1]));
    expect(r.kind).toBe('accepted');
    if (r.kind !== 'accepted') return;
    expect(r.run.path.map((s) => s.action)).toHaveLength(6);
    expect(r.run.path.reduce((t, s) => t + s.consumed.length, 0)).toBe(9);
  });

  it('fills missing sequence numbers with what the model produces there', () => {
    const r = searchConformance(boxed([['send 1', '', 'send 3'], ['', 'ack 1', 'recv 2', '', '', 'ack 3']]));
    expect(r.kind).toBe('accepted');
  });

  it('rejects at the first logged event no run produces, and names the furthest run', () => {
    const r = searchConformance(boxed([node0, ['recv 1', 'ack 1', 'recv 3', 'ack 3']]));
    expect(r.kind).toBe('rejected');
    if (r.kind !== 'rejected') return;
    expect(r.stuck).toEqual({ stream: 1, index: 2 });
    expect(r.best.path.some((s) => s.action === 'recv')).toBe(true);
  });

  it('a gap too small for the step that must fill it is a rejection, not a guess', () => {
    // recv 2 and ack 2 need two positions; the log leaves one.
    const r = searchConformance(boxed([node0, ['recv 1', 'ack 1', '', 'recv 3']]));
    expect(r.kind).toBe('rejected');
  });

  it('stops at the state bound with the furthest run so far', () => {
    const r = searchConformance(boxed([node0, ['recv 1', 'ack 1', 'recv 3']], { maxStates: 3 }));
    expect(r.kind).toBe('bound');
    if (r.kind === 'bound') expect(r.reason).toBe('max-states');
  });

  it('with ended, a run must stop where the log does: the log end is the rejection', () => {
    const ended = (s: S) => s.received === s.sent;
    expect(searchConformance(boxed([node0, node1], { ended })).kind).toBe('accepted');
    const r = searchConformance(boxed([node0, ['recv 1', 'ack 1', 'recv 2', 'ack 2']], { ended }));
    expect(r.kind).toBe('rejected');
    if (r.kind === 'rejected') expect(r.stuck.index).toBe(r.stuck.stream === 0 ? 3 : 4);
  });
});
