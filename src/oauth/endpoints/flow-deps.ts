import type { Request, RequestHandler } from 'express';
import type { Passport } from 'passport';
import type { PluginLogger } from '../../config/options.ts';
import type { HostDirectory } from '../../host/host-directory.ts';
import type { AzureSignIn } from '../../identity/azure-sign-in.ts';
import type { ClientsStore } from '../../store/clients-store.ts';
import type { InteractionDeps } from '../interaction.ts';
import type { createOAuth2Server } from '../oauth2-server.ts';
import type { SessionTransactionStore } from '../transaction-store.ts';

/** What the authorization endpoint and its pages share. */
export interface FlowDeps {
  server: ReturnType<typeof createOAuth2Server>;
  clients: ClientsStore;
  store: SessionTransactionStore;
  directory: HostDirectory;
  interaction: InteractionDeps;
  passport: InstanceType<typeof Passport>;
  session: RequestHandler;
  csrfKey: Buffer;
  fhirBaseUrl: string;
  /** The path of the auth routes as the browser sees it, e.g. `/smart/auth`. */
  authPath: string;
  currentHostUser: ((req: Request) => string | undefined | Promise<string | undefined>) | undefined;
  logger: PluginLogger;
  /** Azure AD sign-ins (none enabled unless the `azure` option configures them). */
  azure: AzureSignIn;
}
