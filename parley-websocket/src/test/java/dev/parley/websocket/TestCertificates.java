package dev.parley.websocket;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Self-signed certificates made at test time with the JDK's keytool (CN=localhost, SAN
 * dns:localhost and ip:127.0.0.1), once per JVM and name, as a PKCS#12 store and as PEM files.
 */
public final class TestCertificates {
    public static final char[] PASSWORD = "changeit".toCharArray();

    /** One key pair and its certificate, in every form the tests need. */
    public record Identity(
            Path keyStore, Path certificatePem, Path keyPem, X509Certificate certificate, PrivateKey key) {}

    private static final Map<String, Identity> made = new HashMap<>();
    private static Path directory;

    private TestCertificates() {}

    /** An EC P-256 identity for localhost. */
    public static Identity ec() {
        return make("ec", "EC");
    }

    /** An RSA 2048 identity for localhost. */
    public static Identity rsa() {
        return make("rsa", "RSA");
    }

    /** Another EC identity for localhost, trusted by nobody who trusts {@link #ec}. */
    public static Identity otherEc() {
        return make("other", "EC");
    }

    /** A fresh file in the test directory. */
    public static synchronized Path file(String name, String content) {
        try {
            Path file = directory().resolve(name);
            Files.writeString(file, content, StandardCharsets.US_ASCII);
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** PEM text (RFC 7468): base64 in lines of 64. */
    public static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static synchronized Identity make(String name, String algorithm) {
        Identity identity = made.get(name);
        if (identity != null) {
            return identity;
        }
        try {
            Path store = directory().resolve(name + ".p12");
            store.toFile().deleteOnExit();
            keytool(store, name, algorithm);
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keyStore.load(in, PASSWORD);
            }
            X509Certificate certificate = (X509Certificate) keyStore.getCertificate(name);
            PrivateKey key = (PrivateKey) keyStore.getKey(name, PASSWORD);
            Path certificatePem = file(name + "-cert.pem", pem("CERTIFICATE", certificate.getEncoded()));
            Path keyPem = file(name + "-key.pem", pem("PRIVATE KEY", key.getEncoded())); // PKCS#8
            identity = new Identity(store, certificatePem, keyPem, certificate, key);
            made.put(name, identity);
            return identity;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void keytool(Path store, String alias, String algorithm) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new ArrayList<>(List.of(
                keytool.toString(),
                "-genkeypair",
                "-alias",
                alias,
                "-keyalg",
                algorithm,
                "-keysize",
                algorithm.equals("RSA") ? "2048" : "256",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-validity",
                "2",
                "-keystore",
                store.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                new String(PASSWORD),
                "-keypass",
                new String(PASSWORD),
                "-noprompt"));
        Path log = directory().resolve(alias + "-keytool.log");
        log.toFile().deleteOnExit();
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool did not finish within 60 s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for keytool", e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed (" + process.exitValue() + "): " + Files.readString(log));
        }
    }

    private static Path directory() throws IOException {
        if (directory == null) {
            directory = Files.createTempDirectory("parley-tls-");
            directory.toFile().deleteOnExit();
        }
        return directory;
    }
}
