/**
 * The API key, asked for once and kept for the browser session (sessionStorage: gone when the tab closes,
 * never written to disk like localStorage). One small form element per page that needs it.
 */
import { byId, render } from './dom';
import { html } from './html';

/** The panel's content, rendered into the page's `#api-key-panel` (a card labelled by its heading). */
const PANEL = html`<h2 id="key-heading">API key</h2>
<form id="api-key-form" novalidate>
  <div class="field">
    <label for="apiKey">API key <span class="hint">Kept for this browser session only.</span></label>
    <input id="apiKey" name="apiKey" type="password" autocomplete="off" aria-describedby="api-key-error" required>
    <p id="api-key-error" class="field-error" hidden></p>
  </div>
  <button type="submit">Use this key</button>
</form>
<p id="api-key-status" hidden>The API key is set for this session. <button type="button" id="api-key-change" class="link-button">Change key</button></p>`;

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
 * Fills the page's `#api-key-panel` with the key form and its status line, and calls `onChange` whenever a key
 * is set or forgotten. Returns a getter for the current key.
 */
export function setupApiKeyPanel(onChange: (key: string | undefined) => void): () => string | undefined {
  render(byId('api-key-panel'), PANEL);
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
