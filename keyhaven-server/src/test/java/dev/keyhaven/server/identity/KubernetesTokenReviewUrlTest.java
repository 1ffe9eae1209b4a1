package dev.keyhaven.server.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Where a TokenReview is posted for the host forms Infisical accepts, and which forms are refused. */
class KubernetesTokenReviewUrlTest {
    private static final String PATH = "/apis/authentication.k8s.io/v1/tokenreviews";

    @Test
    void aHostWithOrWithoutSchemeOrPrefixGetsTheTokenReviewPath() {
        assertThat(KubernetesTokenReview.reviewUrl("k8s.example:6443")).isEqualTo("https://k8s.example:6443" + PATH);
        assertThat(KubernetesTokenReview.reviewUrl(" https://10.0.0.1/ ")).isEqualTo("https://10.0.0.1" + PATH);
        assertThat(KubernetesTokenReview.reviewUrl("https://rancher.example/k8s/clusters/c-1"))
                .isEqualTo("https://rancher.example/k8s/clusters/c-1" + PATH);
        assertThat(KubernetesTokenReview.reviewUrl("https://[fd00::1]:6443"))
                .isEqualTo("https://[fd00::1]:6443" + PATH);
    }

    @Test
    void plainHttpUserInfoQueriesAndGarbageAreRefused() {
        for (String host : new String[] {
            "http://k8s.example",
            "https://u:p@k8s.example",
            "https://k8s.example?x=1",
            "https://k8s.example#f",
            "https://",
            "https://bad host",
            "ftp://k8s.example"
        }) {
            assertThatThrownBy(() -> KubernetesTokenReview.reviewUrl(host))
                    .as(host)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
