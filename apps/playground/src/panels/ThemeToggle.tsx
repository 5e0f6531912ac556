import { type ReactNode, useEffect, useState } from 'react';

type Theme = 'system' | 'light' | 'dark';
const NEXT: Record<Theme, Theme> = { system: 'light', light: 'dark', dark: 'system' };

/** Cycles the colour scheme: system → light → dark; remembered in localStorage. */
export function ThemeToggle(): ReactNode {
  const [theme, setTheme] = useState<Theme>(() => {
    const saved = localStorage.getItem('pg-theme');
    return saved === 'light' || saved === 'dark' ? saved : 'system';
  });
  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') root.removeAttribute('data-theme');
    else root.setAttribute('data-theme', theme);
    localStorage.setItem('pg-theme', theme);
  }, [theme]);
  return (
    <button type="button" className="pi-button" onClick={() => setTheme(NEXT[theme])}>
      Theme: {theme}
    </button>
  );
}
