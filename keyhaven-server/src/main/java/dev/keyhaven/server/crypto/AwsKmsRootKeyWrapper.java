package dev.keyhaven.server.crypto;

import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.IncorrectKeyException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;

/**
 * A root key held by AWS KMS: wrapping is KMS {@code Encrypt} under the key's ARN with the
 * associated data as the encryption context ({@code keyhaven-aad}), unwrapping is {@code Decrypt}
 * with the same ARN and context, so KMS refuses another AAD, another key or a changed byte. The
 * wrapped form is KMS's ciphertext blob, opaque here. Its id is the key's ARN.
 */
final class AwsKmsRootKeyWrapper implements RootKeyWrapper {
    static final String CONTEXT_KEY = "keyhaven-aad";

    private final KmsClient kms;
    private final String arn;
    private final String source;

    AwsKmsRootKeyWrapper(KmsClient kms, String arn, String source) {
        this.kms = kms;
        this.arn = arn;
        this.source = source;
    }

    @Override
    public String id() {
        return "aws-kms:" + arn;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public byte[] wrap(byte[] key, String aad) {
        try {
            return kms.encrypt(r -> r.keyId(arn)
                            .plaintext(SdkBytes.fromByteArray(key))
                            .encryptionContext(Map.of(CONTEXT_KEY, aad)))
                    .ciphertextBlob()
                    .asByteArray();
        } catch (SdkException e) {
            throw new KeyServiceUnavailableException("AWS KMS could not wrap a key with " + arn + ": " + reason(e));
        }
    }

    @Override
    public byte[] unwrap(byte[] wrapped, String aad) {
        try {
            return kms.decrypt(r -> r.keyId(arn)
                            .ciphertextBlob(SdkBytes.fromByteArray(wrapped))
                            .encryptionContext(Map.of(CONTEXT_KEY, aad)))
                    .plaintext()
                    .asByteArray();
        } catch (InvalidCiphertextException | IncorrectKeyException e) {
            throw new DecryptionException(
                    "AWS KMS refused to unwrap: " + e.awsErrorDetails().errorCode());
        } catch (SdkException e) {
            throw new KeyServiceUnavailableException("AWS KMS could not unwrap a key with " + arn + ": " + reason(e));
        }
    }

    /** The error's kind and KMS's error code (e.g. {@code DisabledException}), never a request. */
    private static String reason(SdkException e) {
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            return e.getClass().getSimpleName() + " ("
                    + service.awsErrorDetails().errorCode() + ")";
        }
        return e.getClass().getSimpleName();
    }

    @Override
    public String toString() {
        return "RootKey[" + id() + ", held by AWS KMS]";
    }
}
