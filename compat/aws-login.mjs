// Logs in with the official SDK's AWS IAM auth (auth().awsIamAuth.login), reads the secrets of one
// project environment with the token, renews it, and prints one JSON line with what happened.
// NodeSdkAwsLoginTest runs it against a server whose STS calls go to a loopback stand-in; the
// SDK signs with the AWS credentials in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY /
// AWS_SESSION_TOKEN for AWS_REGION, exactly as it would on AWS.
//   KEYHAVEN_URL=… KEYHAVEN_IDENTITY_ID=… KEYHAVEN_PROJECT_ID=… AWS_…=… node aws-login.mjs
import { InfisicalSDK } from '@infisical/sdk';

const siteUrl = process.env.KEYHAVEN_URL.replace(/\/+$/, '');
const sdk = new InfisicalSDK({ siteUrl });
try {
  await sdk.auth().awsIamAuth.login({ identityId: process.env.KEYHAVEN_IDENTITY_ID });
  const first = sdk.auth().getAccessToken();
  const res = await sdk.secrets().listSecrets({ projectId: process.env.KEYHAVEN_PROJECT_ID, environment: 'dev' });
  await sdk.auth().awsIamAuth.renew();
  const renewed = sdk.auth().getAccessToken();
  console.log(JSON.stringify({
    loggedIn: typeof first === 'string' && first.length > 0,
    renewed: typeof renewed === 'string' && renewed.length > 0,
    secrets: res.secrets.map((s) => ({ key: s.secretKey, value: s.secretValue })),
  }));
} catch (err) {
  console.log(JSON.stringify({ error: String(err?.message ?? err) }));
  process.exit(1);
}
