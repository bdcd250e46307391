import { useEffect, useState } from 'react';

type Theme = 'system' | 'light' | 'dark';
const NEXT: Record<Theme, Theme> = { system: 'light', light: 'dark', dark: 'system' };
const KEY = 'artificial-mri.theme';

function stored(): Theme {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

/** Light, dark, or the system's setting (the default): `data-theme` on <html>, remembered in localStorage. */
export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>(stored);
  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme;
    try {
      if (theme === 'system') localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, theme);
    } catch {
      // Storage may be unavailable (private mode, sandboxed iframe): the choice lasts for this page only.
    }
  }, [theme]);
  return (
    <button type="button" className="button" data-testid="theme-toggle" title="Colour theme: system, light or dark" onClick={() => setTheme(NEXT[theme])}>
      theme: {theme}
    </button>
  );
}
