const PREFIX = 'authorization-code-clients:';

function withoutHeaders(value: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return value;
  }
  if (parsed === null || typeof parsed !== 'object') return value;
  return JSON.stringify(parsed, (key, inner: unknown) => (key === 'headers' ? null : inner));
}

/**
 * GraphiQL's storage: `backing` (localStorage) under this service's own key prefix, with every
 * `headers` field (tabs, history, favorites) written as null, so a bearer token pasted into the
 * headers editor is never persisted, whatever GraphiQL or a plugin decides to save.
 */
export function createHeaderlessStorage(backing: Storage): Storage {
  const ownKeys = (): string[] => {
    const keys: string[] = [];
    for (let index = 0; index < backing.length; index += 1) {
      const key = backing.key(index);
      if (key?.startsWith(PREFIX)) keys.push(key);
    }
    return keys;
  };
  return {
    get length() {
      return ownKeys().length;
    },
    key: (index) => ownKeys()[index]?.slice(PREFIX.length) ?? null,
    getItem: (key) => backing.getItem(PREFIX + key),
    setItem: (key, value) => backing.setItem(PREFIX + key, withoutHeaders(value)),
    removeItem: (key) => backing.removeItem(PREFIX + key),
    clear: () => ownKeys().forEach((key) => backing.removeItem(key)),
  };
}
