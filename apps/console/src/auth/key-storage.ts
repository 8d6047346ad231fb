/**
 * Where the pasted API key lives: sessionStorage only, so it is gone when the tab closes and never shared with other
 * tabs' history, never in localStorage, a URL or a log.
 */
const STORAGE_KEY = 'dingrelay.console.apiKey';

export const keyStorage = {
  read(storage: Storage = sessionStorage): string | null {
    const key = storage.getItem(STORAGE_KEY);
    return key && key.trim() !== '' ? key : null;
  },
  write(key: string, storage: Storage = sessionStorage): void {
    storage.setItem(STORAGE_KEY, key.trim());
  },
  forget(storage: Storage = sessionStorage): void {
    storage.removeItem(STORAGE_KEY);
  },
};
