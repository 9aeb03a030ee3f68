import type { AttachmentStore, QueuedAttachment } from './attachments';
import type { QueueStore, QueuedReport, Receipt } from './queue';

/*
 * What the report pages keep on this device, in IndexedDB (plain API, no library): the draft being
 * written, the reports waiting to be sent, and the receipts of those sent. The draft and the queue
 * hold testimony, so each is deleted as soon as it is no longer needed (the draft when queued, the
 * queued report when the server has it); receipts stay until the reporter forgets them.
 */

const DB_NAME = 'vigia-report';
const DB_VERSION = 2;
const DRAFTS = 'drafts';
const QUEUE = 'queue';
const RECEIPTS = 'receipts';
/** Files to send with a report, kept with it until the server has them (version 2). */
const ATTACHMENTS = 'attachments';
const DRAFT_KEY = 'current';

export interface StoredReceipt extends Receipt {
  /** When it was kept on this device. */
  savedAt: string;
}

export interface ReportStore extends QueueStore, AttachmentStore {
  /** False when the browser refused storage (private modes, full disk): nothing survives a reload. */
  readonly persistent: boolean;
  /** `key` names the form: the public report's draft (the default) and each member's are kept apart. */
  readDraft<T>(key?: string): Promise<T | undefined>;
  writeDraft<T>(draft: T, key?: string): Promise<void>;
  clearDraft(key?: string): Promise<void>;
  listReceipts(): Promise<StoredReceipt[]>;
  forgetReceipt(receiptCode: string): Promise<void>;
}

function promised<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

function finished(transaction: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB transaction failed'));
    transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB transaction aborted'));
  });
}

function openDatabase(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains(DRAFTS)) db.createObjectStore(DRAFTS);
      if (!db.objectStoreNames.contains(QUEUE)) db.createObjectStore(QUEUE, { keyPath: 'id' });
      if (!db.objectStoreNames.contains(RECEIPTS)) db.createObjectStore(RECEIPTS, { keyPath: 'receiptCode' });
      if (!db.objectStoreNames.contains(ATTACHMENTS)) db.createObjectStore(ATTACHMENTS, { keyPath: 'id' });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB could not be opened'));
    request.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
  });
}

class IndexedDbReportStore implements ReportStore {
  readonly persistent = true;
  constructor(private readonly db: IDBDatabase) {}

  private async run<T>(
    names: string | string[],
    mode: IDBTransactionMode,
    work: (transaction: IDBTransaction) => IDBRequest<T> | undefined,
  ): Promise<T | undefined> {
    const transaction = this.db.transaction(names, mode);
    const request = work(transaction);
    const [result] = await Promise.all([request ? promised(request) : Promise.resolve(undefined), finished(transaction)]);
    return result;
  }

  async readDraft<T>(key = DRAFT_KEY): Promise<T | undefined> {
    return (await this.run(DRAFTS, 'readonly', (t) => t.objectStore(DRAFTS).get(key))) as T | undefined;
  }
  async writeDraft<T>(draft: T, key = DRAFT_KEY): Promise<void> {
    await this.run(DRAFTS, 'readwrite', (t) => t.objectStore(DRAFTS).put(draft, key));
  }
  async clearDraft(key = DRAFT_KEY): Promise<void> {
    await this.run(DRAFTS, 'readwrite', (t) => t.objectStore(DRAFTS).delete(key));
  }
  async listQueued(): Promise<QueuedReport[]> {
    return ((await this.run(QUEUE, 'readonly', (t) => t.objectStore(QUEUE).getAll())) ?? []) as QueuedReport[];
  }
  async putQueued(item: QueuedReport): Promise<void> {
    await this.run(QUEUE, 'readwrite', (t) => t.objectStore(QUEUE).put(item));
  }
  async removeQueued(id: string): Promise<void> {
    const files = (await this.listAttachments()).filter((a) => a.reportId === id);
    await this.run([QUEUE, ATTACHMENTS], 'readwrite', (t) => {
      for (const file of files) t.objectStore(ATTACHMENTS).delete(file.id);
      return t.objectStore(QUEUE).delete(id);
    });
  }
  /** Also hands the receipt to the report's files in the same transaction, so none is left without it. */
  async completeQueued(id: string, receipt: Receipt): Promise<void> {
    const stored: StoredReceipt = { ...receipt, savedAt: new Date().toISOString() };
    const files = (await this.listAttachments()).filter((a) => a.reportId === id);
    await this.run([QUEUE, RECEIPTS, ATTACHMENTS], 'readwrite', (t) => {
      t.objectStore(QUEUE).delete(id);
      for (const file of files) t.objectStore(ATTACHMENTS).put({ ...file, receipt });
      return t.objectStore(RECEIPTS).put(stored);
    });
  }
  async listAttachments(): Promise<QueuedAttachment[]> {
    return ((await this.run(ATTACHMENTS, 'readonly', (t) => t.objectStore(ATTACHMENTS).getAll())) ?? []) as QueuedAttachment[];
  }
  async putAttachment(item: QueuedAttachment): Promise<void> {
    await this.run(ATTACHMENTS, 'readwrite', (t) => t.objectStore(ATTACHMENTS).put(item));
  }
  async removeAttachment(id: string): Promise<void> {
    await this.run(ATTACHMENTS, 'readwrite', (t) => t.objectStore(ATTACHMENTS).delete(id));
  }
  async listReceipts(): Promise<StoredReceipt[]> {
    const all = ((await this.run(RECEIPTS, 'readonly', (t) => t.objectStore(RECEIPTS).getAll())) ?? []) as StoredReceipt[];
    return all.sort((a, b) => b.submittedAt.localeCompare(a.submittedAt));
  }
  async forgetReceipt(receiptCode: string): Promise<void> {
    await this.run(RECEIPTS, 'readwrite', (t) => t.objectStore(RECEIPTS).delete(receiptCode));
  }
}

/** Kept in memory when IndexedDB is unavailable: the page still works until it is closed. */
class MemoryReportStore implements ReportStore {
  readonly persistent = false;
  private readonly drafts = new Map<string, unknown>();
  private readonly queue = new Map<string, QueuedReport>();
  private readonly receipts = new Map<string, StoredReceipt>();

  async readDraft<T>(key = DRAFT_KEY): Promise<T | undefined> {
    return this.drafts.get(key) as T | undefined;
  }
  async writeDraft<T>(draft: T, key = DRAFT_KEY): Promise<void> {
    this.drafts.set(key, draft);
  }
  async clearDraft(key = DRAFT_KEY): Promise<void> {
    this.drafts.delete(key);
  }
  async listQueued(): Promise<QueuedReport[]> {
    return [...this.queue.values()];
  }
  async putQueued(item: QueuedReport): Promise<void> {
    this.queue.set(item.id, item);
  }
  private readonly attachments = new Map<string, QueuedAttachment>();

  async removeQueued(id: string): Promise<void> {
    this.queue.delete(id);
    for (const file of [...this.attachments.values()]) if (file.reportId === id) this.attachments.delete(file.id);
  }
  async completeQueued(id: string, receipt: Receipt): Promise<void> {
    this.queue.delete(id);
    this.receipts.set(receipt.receiptCode, { ...receipt, savedAt: new Date().toISOString() });
    for (const file of this.attachments.values()) if (file.reportId === id) this.attachments.set(file.id, { ...file, receipt });
  }
  async listAttachments(): Promise<QueuedAttachment[]> {
    return [...this.attachments.values()];
  }
  async putAttachment(item: QueuedAttachment): Promise<void> {
    this.attachments.set(item.id, item);
  }
  async removeAttachment(id: string): Promise<void> {
    this.attachments.delete(id);
  }
  async listReceipts(): Promise<StoredReceipt[]> {
    return [...this.receipts.values()].sort((a, b) => b.submittedAt.localeCompare(a.submittedAt));
  }
  async forgetReceipt(receiptCode: string): Promise<void> {
    this.receipts.delete(receiptCode);
  }
}

let opened: Promise<ReportStore> | undefined;

/** The device's report store, opened once per page; falls back to memory when IndexedDB refuses. */
export function openReportStore(): Promise<ReportStore> {
  opened ??= (typeof indexedDB === 'undefined' ? Promise.reject(new Error('no IndexedDB')) : openDatabase()).then(
    (db) => new IndexedDbReportStore(db) as ReportStore,
    () => new MemoryReportStore(),
  );
  return opened;
}
