/**
 * The API key, asked for once and kept for the browser session (sessionStorage: gone when the tab closes,
 * never written to disk like localStorage). One small form element per page that needs it.
 */
import { byId } from './dom';

const STORAGE_KEY = 'apiKey';

export function storedApiKey(): string | undefined {
  try {
    return sessionStorage.getItem(STORAGE_KEY) ?? undefined;
  } catch {
    return undefined; // storage disabled: the key is asked for again
  }
}

export function storeApiKey(key: string | undefined): void {
  try {
    if (key) sessionStorage.setItem(STORAGE_KEY, key);
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // storage disabled: the key lives only as long as this page
  }
}

/**
 * Wires the shared key panel (`#api-key-form`, `#api-key-status`, `#api-key-change`) and calls `onChange`
 * whenever a key is set or forgotten. Returns a getter for the current key.
 */
export function setupApiKeyPanel(onChange: (key: string | undefined) => void): () => string | undefined {
  const form = byId<HTMLFormElement>('api-key-form');
  const status = byId('api-key-status');
  const input = form.elements.namedItem('apiKey') as HTMLInputElement;
  const error = byId('api-key-error');
  let current = storedApiKey();
  const show = (): void => {
    form.hidden = current !== undefined;
    status.hidden = current === undefined;
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = input.value.trim();
    if (value === '') {
      error.textContent = 'Enter the API key.';
      error.hidden = false;
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    error.hidden = true;
    input.removeAttribute('aria-invalid');
    current = value;
    storeApiKey(value);
    input.value = '';
    show();
    onChange(current);
  });
  byId('api-key-change').addEventListener('click', () => {
    current = undefined;
    storeApiKey(undefined);
    show();
    input.focus();
    onChange(undefined);
  });
  show();
  return () => current;
}
