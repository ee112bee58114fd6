import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

/** Name of the Cognito group whose members see the admin pages and may search every order. */
export const ADMIN_GROUP_NAME = 'admin';

export interface ShopperIdentityProps {
  /** What happens to the user pool when its stack is deleted. */
  readonly removalPolicy: RemovalPolicy;
  /** Refuse to delete the user pool (on in prod). */
  readonly deletionProtection: boolean;
}

/**
 * Who the shoppers and shop staff are: a Cognito user pool with email sign-in, self sign-up
 * confirmed by an emailed code, a strong password policy, optional TOTP MFA, an `admin` group,
 * and a public web client (no secret) for the storefront.
 */
export class ShopperIdentity extends Construct {
  public readonly userPool: cognito.UserPool;
  public readonly webClient: cognito.UserPoolClient;
  public readonly adminGroup: cognito.UserPoolGroup;

  constructor(scope: Construct, id: string, props: ShopperIdentityProps) {
    super(scope, id);

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: true,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      userVerification: {
        emailSubject: 'Your verification code for the shop',
        emailBody: 'Your verification code is {####}',
        emailStyle: cognito.VerificationEmailStyle.CODE,
      },
      deletionProtection: props.deletionProtection,
      removalPolicy: props.removalPolicy,
    });

    this.adminGroup = new cognito.UserPoolGroup(this, 'AdminGroup', {
      userPool: this.userPool,
      groupName: ADMIN_GROUP_NAME,
      description: 'Shop staff: live analytics and every order',
    });

    this.webClient = this.userPool.addClient('WebClient', {
      generateSecret: false,
      // USER_PASSWORD_AUTH as well as SRP: the password goes to Cognito over TLS only, and it is the
      // flow the local platform's Cognito (cognito-local) and the integration tests sign in with.
      authFlows: { userSrp: true, userPassword: true },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });

    Validations.of(this.userPool).acknowledge(
      {
        id: 'AwsSolutions-COG2',
        reason:
          'Shoppers may turn on TOTP MFA (offered, not required): requiring it at sign-up loses buyers. ' +
          'Staff accounts in the admin group are expected to enrol.',
      },
      ...['AwsSolutions-COG3', 'AwsSolutions-COG8'].map((id) => ({
        id,
        reason:
          'Threat protection needs the Plus feature plan (billed per monthly active user); the Essentials ' +
          'plan keeps a new shop at no per-user cost. Turn it on with featurePlan PLUS when traffic justifies it.',
      })),
    );
  }
}
