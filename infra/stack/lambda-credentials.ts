/**
 * What a function's bundle uses in place of `@aws-sdk/credential-provider-node` (the alias in bundling.ts).
 * On Lambda the role's credentials are always in the environment, the first link of the SDK's default chain, so
 * the rest of the chain (profiles, SSO, web identity, the container and instance endpoints, with the STS, SSO and
 * sign-in clients they bring: about a fifth of every bundle) is never reached there. Locally, where the code runs
 * from source, the SDK's own chain is used.
 */
export const defaultProvider =
  () =>
  async (): Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }> => {
    const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = process.env;
    if (!accessKeyId || !secretAccessKey) throw new Error('No AWS credentials in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY): a bundle runs on Lambda only');
    return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
  };

/** The default chain's own helpers, which the SDK's clients import beside it: environment credentials never expire early. */
export const credentialsWillNeedRefresh = (): boolean => false;
export const credentialsTreatedAsExpired = (): boolean => false;
