import type { AzureSignIn } from '../../identity/azure-sign-in.ts';
import { parseScopes } from '../../smart/parse-scope.ts';
import type { AuthorizationRequest } from '../authorization-request.ts';
import type { SignInOption } from '../pages/sign-in-page.ts';

export const B2B_LABEL = 'Sign in with your organization';
export const B2C_LABEL = 'Sign in as a patient';

/**
 * The Azure AD sign-ins the page offers for this request (DESIGN §3). B2C only where a patient-portal user
 * could be granted something: not for an EHR launch (staff only) nor for a request of user/ or system/
 * scopes alone. A request with patient/ scopes leads with B2C.
 */
export function azureButtons(
  azure: AzureSignIn, request: Pick<AuthorizationRequest, 'scope' | 'launch'>, authPath: string, transactionId: string,
): { buttons: SignInOption[]; providersFirst: boolean } {
  const resources = parseScopes(request.scope.join(' ')).resources;
  const patientScopes = resources.some((scope) => scope.context === 'patient');
  const portalMayUse = !request.launch && (patientScopes || resources.length === 0);
  const tid = encodeURIComponent(transactionId);
  const b2c: SignInOption[] = portalMayUse && azure.policies.length > 0 ? [{ label: B2C_LABEL, href: `${authPath}/azure/b2c/start?transaction_id=${tid}` }] : [];
  const b2b: SignInOption[] = azure.tenants.length === 0 ? []
    : azure.tenants.length === 1 ? [{ label: B2B_LABEL, href: `${authPath}/azure/b2b/start?transaction_id=${tid}` }]
      : [{ label: B2B_LABEL, action: `${authPath}/azure/b2b/start`, fields: { transaction_id: transactionId }, emailLabel: 'Work email' }];
  const leadWithB2c = patientScopes && b2c.length > 0;
  return { buttons: leadWithB2c ? [...b2c, ...b2b] : [...b2b, ...b2c], providersFirst: leadWithB2c };
}
