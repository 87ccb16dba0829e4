import {
  type CredentialProvider,
  type CredentialResolver,
  registerCredentialResolver,
} from "@switchyard/core";

/**
 * Lets every credential variable the CLI reads hold an `aws-sm://secret-id#key` reference. The AWS SDK is
 * loaded only when a reference is first used, so `switchyard serve` starts as fast without one.
 */
export function registerSecretStores(): void {
  let resolver: Promise<CredentialResolver> | undefined;
  const load = () => {
    resolver ??= import("@switchyard/aws-secrets").then((module) => module.createAwsSecretsResolver());
    return resolver;
  };
  registerCredentialResolver("aws-sm", (reference, context): CredentialProvider => {
    let provider: CredentialProvider | undefined;
    const real = async () => {
      provider ??= (await load())(reference, context);
      return provider;
    };
    return {
      description: context.description,
      get: async (options) => (await real()).get(options),
      invalidate: (credential) => provider?.invalidate(credential),
    };
  });
}
