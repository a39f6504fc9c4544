package check

import "testing"

func TestCFNSecretName(t *testing.T) {
	for name, want := range map[string]bool{
		"DbPassword": true, "DBMasterUserPassword": true, "GitHubOAuthToken": true,
		"STRIPE_SECRET_KEY": true, "SSHPrivateKey": true, "ApiKeyValue": true,
		"StripeAPIKeyValue": true, "client-secret": true, "API_TOKEN": true, "Apikey": true,
		"DbPasswordArn": false, "TOKEN_URL": false, "SecretName": false, "SigningTokenKmsKey": false,
		"EC2MetadataHttpTokens": false, "EcsSecretKeys": false, "MaxPasswordAge": false,
		"AllowUsersToChangePassword": false, "pAllowUsersToChangePassword": false,
		"IamPasswordPolicyParamRequireSymbols": false, "EncryptionKey": false, "KeyName": false,
		"PasswordLength": false, "DB_PASSWORD_PARAM": false, "": false,
	} {
		if got := CFNSecretName(name); got != want {
			t.Errorf("CFNSecretName(%q) = %v, want %v (words %q)", name, got, want, splitWords(name))
		}
	}
}
