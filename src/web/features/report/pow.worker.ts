import { searchNonce } from './pow';

/*
 * Runs the proof-of-work search off the page's thread, so the page stays responsive and can say how
 * far along it is. One message in ({ challenge, bits }); progress messages, then the nonce, out.
 */

export type PowWorkerRequest = { challenge: string; bits: number };
export type PowWorkerMessage = { kind: 'progress'; tried: number } | { kind: 'solved'; nonce: string };

const SLICE = 20_000;

// The DOM library types `self` as a window; in a worker it is the worker's scope.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<PowWorkerRequest>) => void) | null;
  postMessage(message: PowWorkerMessage): void;
};

scope.onmessage = (event) => {
  const { challenge, bits } = event.data;
  for (let from = 0; ; from += SLICE) {
    const nonce = searchNonce(challenge, bits, from, SLICE);
    if (nonce !== undefined) {
      scope.postMessage({ kind: 'solved', nonce });
      return;
    }
    scope.postMessage({ kind: 'progress', tried: from + SLICE });
  }
};
