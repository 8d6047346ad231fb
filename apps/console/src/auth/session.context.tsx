import { DingrelayApiError, type ApiKeyResponse, type DingrelayClient } from '@dingrelay/contracts/client';
import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { createConsoleClient } from '../api/console-client';
import { keyStorage } from './key-storage';
import { type Permissions, permissionsOf } from './permissions';

/** Why the user is on the sign-in page: shown there so a revoked key is not a mystery. */
export type SignOutReason = 'signed-out' | 'key-rejected';

export interface Session {
  client: DingrelayClient;
  /** The key as the API describes it (`GET /v1/api-keys/current`): name, role, scope; never its secret. */
  identity: ApiKeyResponse;
  permissions: Permissions;
}

interface SessionState {
  session: Session | null;
  /** Set when the last session ended, until the next sign-in. */
  signOutReason: SignOutReason | null;
  /** Checks the key with the API, then keeps it for this tab. Rejects with the API's error (401 for a bad key). */
  signIn(apiKey: string): Promise<void>;
  signOut(reason?: SignOutReason): void;
}

const SessionContext = createContext<SessionState | null>(null);

/** Asks the API who the key is; a key it does not accept rejects with its 401. */
export async function openSession(apiKey: string): Promise<Session> {
  const client = createConsoleClient(apiKey);
  const identity = await client.getCurrentApiKey();
  return { client, identity, permissions: permissionsOf(identity) };
}

export function SessionProvider({ initial, initialReason, children }: { initial: Session | null; initialReason?: SignOutReason; children: ReactNode }) {
  const queryClient = useQueryClient();
  const [session, setSession] = useState<Session | null>(initial);
  const [signOutReason, setSignOutReason] = useState<SignOutReason | null>(initialReason ?? null);

  const signOut = useCallback(
    (reason: SignOutReason = 'signed-out') => {
      keyStorage.forget();
      // Nothing read with the old key may show to whoever signs in next.
      queryClient.clear();
      setSession(null);
      setSignOutReason(reason);
    },
    [queryClient],
  );

  const signIn = useCallback(async (apiKey: string) => {
    const opened = await openSession(apiKey);
    keyStorage.write(apiKey);
    setSignOutReason(null);
    setSession(opened);
  }, []);

  // A 401 from any read or change means the key was revoked or expired while the user worked: back to sign-in, saying why.
  useEffect(() => {
    if (!session) return;
    const onFailure = (error: unknown) => {
      if (isKeyRejected(error)) signOut('key-rejected');
    };
    const unsubscribeQueries = queryClient.getQueryCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error') onFailure(event.action.error);
    });
    const unsubscribeMutations = queryClient.getMutationCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error') onFailure(event.action.error);
    });
    return () => {
      unsubscribeQueries();
      unsubscribeMutations();
    };
  }, [queryClient, session, signOut]);

  const value = useMemo(() => ({ session, signOutReason, signIn, signOut }), [session, signOutReason, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSessionState(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSessionState outside SessionProvider');
  return state;
}

/** The signed-in session; only pages behind the sign-in gate call it. */
export function useSession(): Session {
  const { session } = useSessionState();
  if (!session) throw new Error('useSession without a signed-in session');
  return session;
}

export function isKeyRejected(error: unknown): boolean {
  return error instanceof DingrelayApiError && error.status === 401;
}
