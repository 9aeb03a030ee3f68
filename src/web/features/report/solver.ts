import type { PowChallengeAnswer } from '../../api/public-reports';
import { expectedAttempts, searchNonce } from './pow';
import type { PowWorkerMessage, PowWorkerRequest } from './pow.worker';

const SLICE = 20_000;

/**
 * Solves a challenge in a Web Worker, reporting progress as a share of the expected work (capped
 * below 1: the search is a lottery, and may take longer than expected). Where workers are missing or
 * fail to start, it searches on the page's thread in slices, yielding between them.
 */
export function solveChallenge(challenge: PowChallengeAnswer, onProgress?: (share: number) => void): Promise<string> {
  const share = (tried: number) => Math.min(0.95, tried / expectedAttempts(challenge.bits));
  if (typeof Worker === 'undefined') return solveHere(challenge, onProgress, share);
  return new Promise((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(new URL('./pow.worker.ts', import.meta.url), { type: 'module' });
    } catch {
      solveHere(challenge, onProgress, share).then(resolve, reject);
      return;
    }
    worker.onmessage = (event: MessageEvent<PowWorkerMessage>) => {
      if (event.data.kind === 'progress') {
        onProgress?.(share(event.data.tried));
        return;
      }
      worker.terminate();
      resolve(event.data.nonce);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      worker.terminate();
      solveHere(challenge, onProgress, share).then(resolve, reject);
    };
    const request: PowWorkerRequest = { challenge: challenge.challenge, bits: challenge.bits };
    worker.postMessage(request);
  });
}

async function solveHere(
  challenge: PowChallengeAnswer,
  onProgress: ((share: number) => void) | undefined,
  share: (tried: number) => number,
): Promise<string> {
  for (let from = 0; ; from += SLICE) {
    const nonce = searchNonce(challenge.challenge, challenge.bits, from, SLICE);
    if (nonce !== undefined) return nonce;
    onProgress?.(share(from + SLICE));
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}
