import { lazy, Suspense, useCallback, useMemo, useState } from 'react';
import { ActionCenterPage } from './actions/action-center-page';
import { ActionPage } from './actions/action-page';
import { AlertPage } from './alerts/alert-page';
import { AlertsPage } from './alerts/alerts-page';
import { ApiClient } from './api/api-client';
import type { LoginResponse } from './api/types';
import { AuthContext, type AuthValue } from './auth/auth-context';
import { LoginPage } from './auth/login-page';
import { clearSession, loadSession, type Session, saveSession } from './auth/session-store';
import { Loading } from './common/status-views';
import { DevicePage } from './devices/device-page';
import { DevicesPage } from './devices/devices-page';
import { IndicatorsPage } from './indicators/indicators-page';
import { Layout } from './layout/layout';
import { hrefOf, type Route } from './router/routes';
import { useRoute } from './router/use-route';
import { RulesPage } from './rules/rules-page';

// Monaco and echarts are large: the hunting page loads them only when it is opened.
const HuntingPage = lazy(() => import('./hunting/hunting-page').then((m) => ({ default: m.HuntingPage })));

/** The portal: the sign-in page, or the signed-in pages behind the layout. */
export function App({ fetchImpl }: { readonly fetchImpl?: typeof fetch }) {
  const [session, setSession] = useState<Session | null>(() => loadSession());
  const [notice, setNotice] = useState<string | undefined>();
  const route = useRoute();

  const signOut = useCallback((message?: string) => {
    clearSession();
    setSession(null);
    setNotice(message);
  }, []);

  const api = useMemo(
    () =>
      new ApiClient({
        token: session?.token ?? null,
        ...(fetchImpl ? { fetch: fetchImpl } : {}),
        onUnauthorized: () => signOut('Your session has ended; please sign in again.'),
      }),
    [session, fetchImpl, signOut],
  );

  const onLogin = useCallback((login: LoginResponse) => {
    setNotice(undefined);
    setSession(saveSession(login));
  }, []);

  const auth = useMemo<AuthValue | null>(() => {
    if (!session) return null;
    return {
      session,
      api,
      signOut: () => {
        api.logout().catch(() => undefined);
        signOut();
      },
    };
  }, [session, api, signOut]);

  if (!auth) return <LoginPage api={api} notice={notice} onLogin={onLogin} />;
  return (
    <AuthContext.Provider value={auth}>
      <Layout active={activeNav(route)}>
        <Suspense fallback={<Loading what="the page" />}>
          <Page route={route} />
        </Suspense>
      </Layout>
    </AuthContext.Provider>
  );
}

function activeNav(route: Route): string {
  if (route.kind === 'device') return 'devices';
  if (route.kind === 'alert') return 'alerts';
  if (route.kind === 'action') return 'actions';
  return route.kind;
}

function Page({ route }: { readonly route: Route }) {
  switch (route.kind) {
    case 'devices':
      return <DevicesPage page={route.page} />;
    case 'device':
      return <DevicePage id={route.id} />;
    case 'hunting':
      return <HuntingPage key={route.query ?? ''} initialQuery={route.query} />;
    case 'alerts':
      // A new URL is a new queue: the page reloads with the filters and page of the link.
      return <AlertsPage key={hrefOf(route)} filters={route.filters} page={route.page} />;
    case 'alert':
      return <AlertPage key={route.id} id={route.id} />;
    case 'indicators':
      return <IndicatorsPage />;
    case 'rules':
      return <RulesPage tab={route.tab} />;
    case 'actions':
      return <ActionCenterPage key={route.tab} tab={route.tab} page={route.page} />;
    case 'action':
      return <ActionPage key={route.id} id={route.id} />;
    case 'not-found':
      return (
        <div className="status error" role="alert">
          No page at “{route.path}”. <a href="#/devices">Go to the devices</a>.
        </div>
      );
  }
}
