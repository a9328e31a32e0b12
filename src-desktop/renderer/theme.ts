/** Light, dark, or follow the system; remembered per machine. */
export type ThemeChoice = 'system' | 'light' | 'dark';

const KEY = 'catalyst-viewer-theme';

export function loadTheme(): ThemeChoice {
  try {
    const value = localStorage.getItem(KEY);
    return value === 'light' || value === 'dark' ? value : 'system';
  } catch {
    return 'system';
  }
}

export function applyTheme(choice: ThemeChoice): void {
  if (choice === 'system') document.documentElement.removeAttribute('data-theme');
  else document.documentElement.setAttribute('data-theme', choice);
  try {
    localStorage.setItem(KEY, choice);
  } catch {
    // storage may be unavailable (a locked-down profile): the choice just isn't remembered
  }
}
