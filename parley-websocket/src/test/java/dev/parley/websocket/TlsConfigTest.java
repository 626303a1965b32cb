package dev.parley.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.websocket.TestCertificates.Identity;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import org.junit.jupiter.api.Test;

class TlsConfigTest {

    @Test
    void loadsPemFilesWithAnEcKey() {
        Identity ec = TestCertificates.ec();
        TlsConfig config = TlsConfig.pem(ec.certificatePem(), ec.keyPem());
        config.check();
        assertThat(config.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(config.verifiesHostname()).isTrue();
    }

    @Test
    void loadsPemFilesWithAnRsaKey() {
        Identity rsa = TestCertificates.rsa();
        TlsConfig.pem(rsa.certificatePem(), rsa.keyPem()).check();
    }

    @Test
    void loadsAChainOfSeveralCertificates() throws Exception {
        Identity ec = TestCertificates.ec();
        Path chain = TestCertificates.file(
                "chain.pem",
                Files.readString(ec.certificatePem())
                        + Files.readString(TestCertificates.rsa().certificatePem()));
        TlsConfig.pem(chain, ec.keyPem()).check();
    }

    @Test
    void missingFilesAreNamed() {
        Identity ec = TestCertificates.ec();
        Path missing = ec.keyPem().resolveSibling("missing.pem");
        assertThatThrownBy(() -> TlsConfig.pem(missing, ec.keyPem()))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessage("TLS certificate file not found: " + missing);
        assertThatThrownBy(() -> TlsConfig.pem(ec.certificatePem(), missing))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessage("TLS private key file not found: " + missing);
        assertThatThrownBy(() -> TlsConfig.keyStore(missing, TestCertificates.PASSWORD))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("not found: " + missing);
    }

    @Test
    void aFileWithoutCertificateIsRejected() {
        Identity ec = TestCertificates.ec();
        assertThatThrownBy(() -> TlsConfig.pem(ec.keyPem(), ec.keyPem()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no certificate (\"-----BEGIN CERTIFICATE-----\") in " + ec.keyPem());
    }

    @Test
    void aPkcs1KeyIsRejectedWithTheCommandThatConvertsIt() {
        Identity rsa = TestCertificates.rsa();
        Path pkcs1 = TestCertificates.file("pkcs1.pem", TestCertificates.pem("RSA PRIVATE KEY", new byte[] {1, 2, 3}));
        assertThatThrownBy(() -> TlsConfig.pem(rsa.certificatePem(), pkcs1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PKCS#1")
                .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
    }

    @Test
    void anEncryptedKeyIsRejected() {
        Identity ec = TestCertificates.ec();
        Path encrypted =
                TestCertificates.file("encrypted.pem", TestCertificates.pem("ENCRYPTED PRIVATE KEY", new byte[] {1}));
        assertThatThrownBy(() -> TlsConfig.pem(ec.certificatePem(), encrypted))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is encrypted")
                .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
    }

    @Test
    void aFileWithoutKeyIsRejected() {
        Identity ec = TestCertificates.ec();
        assertThatThrownBy(() -> TlsConfig.pem(ec.certificatePem(), ec.certificatePem()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no private key");
    }

    @Test
    void aDamagedKeyIsRejected() {
        Identity ec = TestCertificates.ec();
        Path damaged = TestCertificates.file("damaged.pem", TestCertificates.pem("PRIVATE KEY", new byte[] {1, 2}));
        assertThatThrownBy(() -> TlsConfig.pem(ec.certificatePem(), damaged))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("neither RSA nor EC");
    }

    @Test
    void aKeyOfAnotherCertificateIsRejected() {
        Identity ec = TestCertificates.ec();
        assertThatThrownBy(() -> TlsConfig.pem(
                        ec.certificatePem(), TestCertificates.otherEc().keyPem()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not match the certificate for CN=localhost");
        assertThatThrownBy(() -> TlsConfig.pem(
                        ec.certificatePem(), TestCertificates.rsa().keyPem()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not match")
                .hasMessageContaining("RSA key, EC certificate");
    }

    @Test
    void loadsPkcs12AndJksKeyStores() throws Exception {
        Identity ec = TestCertificates.ec();
        TlsConfig.keyStore(ec.keyStore(), TestCertificates.PASSWORD).check();

        KeyStore jks = KeyStore.getInstance("JKS");
        jks.load(null, null);
        jks.setKeyEntry("server", ec.key(), TestCertificates.PASSWORD, new Certificate[] {ec.certificate()});
        Path file = ec.keyStore().resolveSibling("server.jks");
        file.toFile().deleteOnExit();
        try (OutputStream out = Files.newOutputStream(file)) {
            jks.store(out, TestCertificates.PASSWORD);
        }
        TlsConfig.keyStore(file, TestCertificates.PASSWORD).check();
    }

    @Test
    void aWrongKeyStorePasswordIsRejected() {
        assertThatThrownBy(() -> TlsConfig.keyStore(TestCertificates.ec().keyStore(), "wrong".toCharArray()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot open key store");
    }

    @Test
    void trustsCertificatesFromPem() {
        TlsConfig config = TlsConfig.trustingPem(TestCertificates.ec().certificatePem());
        config.check();
        assertThat(config.context()).isNotNull();
        TlsConfig.systemDefault().check();
    }

    @Test
    void onlyTls13And12CanBeChosen() {
        TlsConfig config = TlsConfig.systemDefault();
        assertThat(config.withProtocols("TLSv1.3").protocols()).containsExactly("TLSv1.3");
        assertThatThrownBy(() -> config.withProtocols("TLSv1.1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unsupported TLS version TLSv1.1");
        assertThat(config.withoutHostnameVerification().verifiesHostname()).isFalse();
    }
}
