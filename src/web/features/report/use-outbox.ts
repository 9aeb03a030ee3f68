import { useCallback, useEffect, useRef, useState } from 'react';
import { publicReportsApi, type ReportContent } from '../../api/public-reports';
import { flushAttachments, newAttachments, type AttachmentProgress } from './attachments';
import { enqueueReport, flushQueue, newIdempotencyKey, type QueueActivity, type QueuedReport, type Receipt } from './queue';
import { solveChallenge } from './solver';
import { openReportStore, type ReportStore, type StoredReceipt } from './store';

/*
 * The report queue as the page uses it: the device's store, sending on page load, when the connection
 * comes back, when an item's wait is over and when the reporter asks; one round at a time in this page
 * and, through the Web Locks API where there is one, across the tabs of this browser.
 */

const LOCK_NAME = 'vigia-report-queue';
/** A file that could not go (no connection, a server error) is tried again after this long. */
const ATTACHMENT_RETRY_MS = 30_000;

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
  /** Files on their way (or waiting for their report), with how far each has got, in the order chosen. */
  attachments: AttachmentProgress[];
  enqueue(content: ReportContent, files?: readonly File[]): Promise<void>;
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
  const [attachments, setAttachments] = useState<AttachmentProgress[]>([]);
  const running = useRef(false);
  const again = useRef<boolean | undefined>(undefined);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);

  const refresh = useCallback(async (current: ReportStore) => {
    const [items, kept, files] = await Promise.all([current.listQueued(), current.listReceipts(), current.listAttachments()]);
    setQueued(items.sort((a, b) => a.queuedAt.localeCompare(b.queuedAt)));
    setReceipts(kept);
    // Files still on the device; those sent in this page stay listed as complete.
    setAttachments((shown) => {
      const stored = files.map<AttachmentProgress>((f) => {
        const before = shown.find((p) => p.id === f.id);
        return before ?? { id: f.id, size: f.size, offset: f.offset, phase: f.refused ? 'refused' : 'waiting' };
      });
      const done = shown.filter((p) => p.phase === 'complete' && !files.some((f) => f.id === p.id));
      return [...done, ...stored];
    });
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
        const progress = (next: AttachmentProgress) => setAttachments((shown) => shown.map((p) => (p.id === next.id ? next : p)));
        const round = async () => {
          const result = await flushQueue(
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
          // The files go after their reports, which gave them their receipts.
          const filesLeft = await flushAttachments(current, progress);
          if (!filesLeft) return result;
          const soon = Date.now() + ATTACHMENT_RETRY_MS;
          return { ...result, nextAttemptAt: Math.min(result.nextAttemptAt ?? soon, soon) };
        };
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
    async (content: ReportContent, files: readonly File[] = []) => {
      if (!store) return;
      // The files first: a round running meanwhile must find them when it hands the report's receipt over.
      const id = newIdempotencyKey();
      for (const file of newAttachments(id, files, newIdempotencyKey)) await store.putAttachment(file);
      await enqueueReport(store, content, { idempotencyKey: id });
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

  return { store, queued, receipts, activity, online, justSent, attachments, enqueue, retry, discard, forgetReceipt };
}
