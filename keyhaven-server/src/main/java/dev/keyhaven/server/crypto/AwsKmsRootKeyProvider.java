package dev.keyhaven.server.crypto;

import dev.keyhaven.server.platform.config.StartupException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.NotFoundException;

/**
 * The root key as an AWS KMS key: org and instance keys are sent to KMS {@code Encrypt} and come
 * back from {@code Decrypt} ({@link AwsKmsRootKeyWrapper}); the key itself never leaves KMS.
 * Selected with {@code KEYHAVEN_ROOT_KEY_PROVIDER=aws-kms}; the key id or ARN, the region and
 * optionally an endpoint (a VPC endpoint, or a stand-in in tests) come from {@code
 * KEYHAVEN_AWS_KMS_*}, credentials from the AWS SDK's default chain unless an access key is given.
 * The key must exist: start-up asks KMS to describe it, and an unknown key, refused credentials or
 * an unreachable endpoint stop start-up with one line before anything is written. Keyhaven never
 * creates a KMS key.
 */
@Component
@Order(4)
public class AwsKmsRootKeyProvider implements RootKeyProvider {
    private final RootKeyProperties settings;

    public AwsKmsRootKeyProvider(RootKeyProperties settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "aws-kms";
    }

    @Override
    public String describeMissing() {
        return "KEYHAVEN_AWS_KMS_KEY_ID is not set";
    }

    @Override
    public Optional<RootKeyWrapper> load() {
        return Optional.of(load(
                required(settings.awsKmsKeyId(), "KEYHAVEN_AWS_KMS_KEY_ID", "the KMS key id or ARN"),
                "KEYHAVEN_AWS_KMS_KEY_ID"));
    }

    /** The previous KMS key of a rotation, reached with the same region, endpoint and credentials. */
    @Override
    public List<RootKeyWrapper> loadPrevious(KeyLifetimeProperties lifetime) {
        String previous = lifetime.awsKmsPreviousKeyId();
        if (previous == null || previous.isBlank()) {
            return List.of();
        }
        return List.of(load(previous.trim(), "KEYHAVEN_AWS_KMS_PREVIOUS_KEY_ID"));
    }

    private RootKeyWrapper load(String keyId, String setting) {
        String region = required(settings.awsKmsRegion(), "KEYHAVEN_AWS_KMS_REGION", "e.g. eu-west-1");
        KmsClient kms = client(region);
        String where =
                settings.awsKmsEndpoint() != null ? settings.awsKmsEndpoint().trim() : "region " + region;
        KeyMetadata key;
        try {
            key = kms.describeKey(r -> r.keyId(keyId)).keyMetadata();
        } catch (NotFoundException e) {
            kms.close();
            throw new StartupException(setting + ": AWS KMS at " + where + " has no key '" + keyId + "'");
        } catch (KmsException e) {
            kms.close();
            throw new StartupException("AWS KMS at " + where + " refused to describe the key '" + keyId + "': "
                    + e.awsErrorDetails().errorCode() + " (check the AWS credentials and the key policy)");
        } catch (SdkClientException e) {
            kms.close();
            throw new StartupException("KEYHAVEN_AWS_KMS_ENDPOINT / KEYHAVEN_AWS_KMS_REGION: AWS KMS at " + where
                    + " is unreachable: " + oneLine(e));
        }
        if (!Boolean.TRUE.equals(key.enabled())) {
            kms.close();
            throw new StartupException(setting + ": the AWS KMS key '" + keyId + "' is " + key.keyState());
        }
        return new AwsKmsRootKeyWrapper(kms, key.arn(), "AWS KMS key " + key.arn());
    }

    private KmsClient client(String region) {
        var builder = KmsClient.builder()
                .region(Region.of(region))
                .credentialsProvider(credentials())
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(20))
                        .build())
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(30)));
        if (settings.awsKmsEndpoint() != null && !settings.awsKmsEndpoint().isBlank()) {
            try {
                builder.endpointOverride(URI.create(settings.awsKmsEndpoint().trim()));
            } catch (IllegalArgumentException e) {
                throw new StartupException("KEYHAVEN_AWS_KMS_ENDPOINT is not a URL");
            }
        }
        return builder.build();
    }

    private AwsCredentialsProvider credentials() {
        String id = settings.awsKmsAccessKeyId();
        String secret = settings.awsKmsSecretAccessKey();
        if (id != null && !id.isBlank()) {
            if (secret == null || secret.isBlank()) {
                throw new StartupException(
                        "KEYHAVEN_AWS_KMS_SECRET_ACCESS_KEY must be set with KEYHAVEN_AWS_KMS_ACCESS_KEY_ID");
            }
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(id.trim(), secret.trim()));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    private static String required(String value, String setting, String hint) {
        if (value == null || value.isBlank()) {
            throw new StartupException(setting + " is not set (" + hint + ") for the aws-kms root key provider");
        }
        return value.trim();
    }

    private static String oneLine(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.replaceAll("\\s+", " ").trim();
    }
}
