import type { ReactNode } from 'react';
import { useAuth } from '../auth/auth-context';
import { visibleNavItems } from './nav-items';

/** The frame of every signed-in page: header with the user, side navigation, content. */
export function Layout({ active, children }: { readonly active: string; readonly children: ReactNode }) {
  const { session, signOut } = useAuth();
  return (
    <div className="shell">
      <header className="topbar">
        <a className="brand" href="#/devices">
          Vigil
        </a>
        <span className="tenant">tenant {session.tenant}</span>
        <span className="spacer" />
        <span className="user">
          {session.username} ({session.role})
        </span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <nav className="sidenav" aria-label="Main">
        <ul>
          {visibleNavItems().map((item) => (
            <li key={item.id}>
              <a href={item.href} aria-current={item.id === active ? 'page' : undefined}>
                {item.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main className="content">{children}</main>
    </div>
  );
}
