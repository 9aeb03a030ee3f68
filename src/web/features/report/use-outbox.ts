import { useCallback, useEffect, useRef, useState } from 'react';
import { publicReportsApi, type ReportContent } from '../../api/public-reports';
import { enqueueReport, flushQueue, type QueueActivity, type QueuedReport, type Receipt } from './queue';
import { solveChallenge } from './solver';
import { openReportStore, type ReportStore, type StoredReceipt } from './store';

/*
 * The report queue as the page uses it: the device's store, sending on page load, when the connection
 * comes back, when an item's wait is over and when the reporter asks; one round at a time in this page
 * and, through the Web Locks API where there is one, across the tabs of this browser.
 */

const LOCK_NAME = 'vigia-report-queue';

interface Locks {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

export interface Outbox {
  store: ReportStore | undefined;
  queued: QueuedReport[];
  receipts: StoredReceipt[];
  activity: QueueActivity | undefined;
  online: boolean;
  /** The receipt of a report sent since this page opened, to show with its secret. */
  justSent: Receipt | undefined;
  enqueue(content: ReportContent): Promise<void>;
  retry(): void;
  discard(id: string): Promise<void>;
  forgetReceipt(code: string): Promise<void>;
}

export function useOutbox(): Outbox {
  const [store, setStore] = useState<ReportStore>();
  const [queued, setQueued] = useState<QueuedReport[]>([]);
  const [receipts, setReceipts] = useState<StoredReceipt[]>([]);
  const [activity, setActivity] = useState<QueueActivity>();
  const [online, setOnline] = useState(() => navigator.onLine);
  const [justSent, setJustSent] = useState<Receipt>();
  const running = useRef(false);
  const again = useRef<boolean | undefined>(undefined);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);

  const refresh = useCallback(async (current: ReportStore) => {
    const [items, kept] = await Promise.all([current.listQueued(), current.listReceipts()]);
    setQueued(items.sort((a, b) => a.queuedAt.localeCompare(b.queuedAt)));
    setReceipts(kept);
  }, []);

  const flush = useCallback(
    async (current: ReportStore, force: boolean) => {
      if (running.current) {
        again.current = (again.current ?? false) || force;
        return;
      }
      if (!navigator.onLine) return;
      running.current = true;
      clearTimeout(timer.current);
      try {
        const round = () =>
          flushQueue(
            {
              store: current,
              server: publicReportsApi,
              solve: solveChallenge,
              onActivity: (next) => {
                setActivity(next);
                if (next.kind === 'sent') setJustSent(next.receipt);
                if (next.kind !== 'solving') void refresh(current);
              },
            },
            { force },
          );
        const locks = (navigator as Navigator & { locks?: Locks }).locks;
        const result = locks ? await locks.request(LOCK_NAME, round) : await round();
        if (result.nextAttemptAt !== undefined) {
          const wait = Math.max(0, result.nextAttemptAt - Date.now());
          timer.current = setTimeout(() => void flush(current, false), wait);
        }
      } catch {
        // The store itself failed (quota, a browser bug); the items stay queued for the next round.
        timer.current = setTimeout(() => void flush(current, false), 30_000);
      } finally {
        running.current = false;
        setActivity((last) => (last?.kind === 'solving' || last?.kind === 'sending' ? undefined : last));
        await refresh(current);
        const pending = again.current;
        again.current = undefined;
        if (pending !== undefined) void flush(current, pending);
      }
    },
    [refresh],
  );

  useEffect(() => {
    let cancelled = false;
    void openReportStore().then(async (opened) => {
      if (cancelled) return;
      setStore(opened);
      await refresh(opened);
      void flush(opened, false);
    });
    return () => {
      cancelled = true;
      clearTimeout(timer.current);
    };
  }, [refresh, flush]);

  useEffect(() => {
    if (!store) return;
    const cameOnline = () => {
      setOnline(true);
      void flush(store, true);
    };
    const wentOffline = () => setOnline(false);
    window.addEventListener('online', cameOnline);
    window.addEventListener('offline', wentOffline);
    return () => {
      window.removeEventListener('online', cameOnline);
      window.removeEventListener('offline', wentOffline);
    };
  }, [store, flush]);

  const enqueue = useCallback(
    async (content: ReportContent) => {
      if (!store) return;
      await enqueueReport(store, content);
      await refresh(store);
      void flush(store, true);
    },
    [store, refresh, flush],
  );

  const retry = useCallback(() => {
    if (store) void flush(store, true);
  }, [store, flush]);

  const discard = useCallback(
    async (id: string) => {
      if (!store) return;
      await store.removeQueued(id);
      await refresh(store);
    },
    [store, refresh],
  );

  const forgetReceipt = useCallback(
    async (code: string) => {
      if (!store) return;
      await store.forgetReceipt(code);
      setJustSent((shown) => (shown?.receiptCode === code ? undefined : shown));
      await refresh(store);
    },
    [store, refresh],
  );

  return { store, queued, receipts, activity, online, justSent, enqueue, retry, discard, forgetReceipt };
}
