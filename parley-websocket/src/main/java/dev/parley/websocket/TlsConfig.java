package dev.parley.websocket;

import dev.parley.websocket.internal.PemFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS settings for a server (https, wss) or a client. TLS 1.3 and 1.2 are enabled, nothing older.
 *
 * <p>A server needs its certificate and key: {@link #pem} or {@link #keyStore}. A client needs to
 * know whom to trust: {@link #systemDefault} (the JDK's trust store), {@link #trusting} or {@link
 * #trustingPem} (a self-signed or private certificate). Either can come from a ready {@link
 * SSLContext} with {@link #of}.
 *
 * <p>A client sends the host name it was given as SNI (RFC 6066 §3; not for IP literals) and checks
 * that the server's certificate names that host (RFC 6125, as https does). {@link
 * #withoutHostnameVerification} turns the check off, for tests only.
 *
 * <p>Immutable and thread-safe; the {@code with…} methods return a modified copy.
 */
public final class TlsConfig {
    private static final List<String> ALLOWED_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final char[] INTERNAL_PASSWORD = "parley".toCharArray();

    private final SSLContext context;
    private final List<String> protocols;
    private final boolean verifyHostname;

    private TlsConfig(SSLContext context, List<String> protocols, boolean verifyHostname) {
        this.context = Objects.requireNonNull(context, "context");
        this.protocols = protocols;
        this.verifyHostname = verifyHostname;
    }

    /** TLS from a ready context (key managers for a server, trust managers for a client). */
    public static TlsConfig of(SSLContext context) {
        return new TlsConfig(context, ALLOWED_PROTOCOLS, true);
    }

    /**
     * A server's TLS from PEM files: {@code certificateChain} holds one or more CERTIFICATE blocks,
     * the server's own first; {@code privateKey} holds its unencrypted PKCS#8 key ("BEGIN PRIVATE
     * KEY", RSA or EC). A PKCS#1 key ("BEGIN RSA PRIVATE KEY") converts with {@code openssl pkcs8
     * -topk8 -nocrypt -in key.pem -out key-pkcs8.pem}.
     *
     * @throws java.io.UncheckedIOException if a file is missing or unreadable
     * @throws IllegalArgumentException if a file holds no certificate, a key in another format, or a
     *     key that does not belong to the first certificate
     */
    public static TlsConfig pem(Path certificateChain, Path privateKey) {
        List<X509Certificate> chain = PemFiles.certificates(certificateChain);
        PrivateKey key = PemFiles.privateKey(privateKey);
        PemFiles.checkPair(key, chain.get(0), privateKey, certificateChain);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", key, INTERNAL_PASSWORD, chain.toArray(new X509Certificate[0]));
            return fromKeyStore(store, INTERNAL_PASSWORD);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "cannot use the key in " + privateKey + " with " + certificateChain + ": " + e.getMessage(), e);
        }
    }

    /**
     * A server's TLS from a PKCS#12 (or, failing that, JKS) key store whose key entry has the same
     * password as the store.
     *
     * @throws java.io.UncheckedIOException if the file is missing or unreadable
     * @throws IllegalArgumentException if the password is wrong or the file is no key store
     */
    public static TlsConfig keyStore(Path file, char[] password) {
        if (!Files.isRegularFile(file)) {
            throw new UncheckedIOException(
                    "TLS key store file not found: " + file, new NoSuchFileException(file.toString()));
        }
        KeyStore store;
        try {
            store = load(file, password, "PKCS12");
        } catch (IOException | GeneralSecurityException pkcs12) {
            try {
                store = load(file, password, "JKS");
            } catch (IOException | GeneralSecurityException jks) {
                throw new IllegalArgumentException(
                        "cannot open key store " + file + " (wrong password, or neither PKCS#12 nor JKS): "
                                + pkcs12.getMessage(),
                        pkcs12);
            }
        }
        try {
            if (!hasKeyEntry(store)) {
                throw new IllegalArgumentException("no private key entry in key store " + file);
            }
            return fromKeyStore(store, password);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use the keys in " + file + ": " + e.getMessage(), e);
        }
    }

    /** A client's TLS that trusts exactly these certificates (a self-signed server's, or a CA's). */
    public static TlsConfig trusting(X509Certificate... certificates) {
        if (certificates.length == 0) {
            throw new IllegalArgumentException("no certificate to trust");
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < certificates.length; i++) {
                store.setCertificateEntry("trusted-" + i, Objects.requireNonNull(certificates[i]));
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return of(context);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot trust these certificates: " + e.getMessage(), e);
        }
    }

    /** A client's TLS that trusts the CERTIFICATE blocks of a PEM file. */
    public static TlsConfig trustingPem(Path certificates) {
        return trusting(PemFiles.certificates(certificates).toArray(new X509Certificate[0]));
    }

    /** A client's TLS that trusts what the JDK trusts (its cacerts, or javax.net.ssl.trustStore). */
    public static TlsConfig systemDefault() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, null, null);
            return of(context);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no default TLS in this JDK: " + e.getMessage(), e);
        }
    }

    /**
     * A copy that enables only the given versions, among "TLSv1.3" and "TLSv1.2" (for instance
     * TLS 1.3 only).
     */
    public TlsConfig withProtocols(String... versions) {
        if (versions.length == 0) {
            throw new IllegalArgumentException("no TLS version given");
        }
        List<String> chosen = new ArrayList<>();
        for (String version : versions) {
            if (!ALLOWED_PROTOCOLS.contains(version)) {
                throw new IllegalArgumentException(
                        "unsupported TLS version " + version + "; allowed: " + ALLOWED_PROTOCOLS);
            }
            if (!chosen.contains(version)) {
                chosen.add(version);
            }
        }
        return new TlsConfig(context, List.copyOf(chosen), verifyHostname);
    }

    /**
     * A copy whose clients accept a trusted certificate issued for any host name. <b>For tests
     * only</b>: without the check, anyone holding any certificate the client trusts can pose as the
     * server.
     */
    public TlsConfig withoutHostnameVerification() {
        return new TlsConfig(context, protocols, false);
    }

    /** The SSL context. */
    public SSLContext context() {
        return context;
    }

    /** The enabled TLS versions, most preferred first. */
    public List<String> protocols() {
        return protocols;
    }

    /** Whether clients check that the server's certificate names the host they asked for. */
    public boolean verifiesHostname() {
        return verifyHostname;
    }

    /** Checks the settings at build time, so that a bad one fails before the server starts. */
    public void check() {
        configure(context.createSSLEngine(), false, null);
    }

    /** A new engine in server mode with these settings, for one accepted connection. */
    public SSLEngine newServerEngine() {
        return configure(context.createSSLEngine(), false, null);
    }

    /**
     * A new engine in client mode for a connection to {@code host} (a DNS name or an IP literal,
     * IPv6 with or without brackets) on {@code port}: SNI for names, hostname verification unless
     * turned off.
     */
    public SSLEngine newClientEngine(String host, int port) {
        String name = unbracket(Objects.requireNonNull(host, "host"));
        return configure(context.createSSLEngine(name, port), true, name);
    }

    private SSLEngine configure(SSLEngine engine, boolean client, String host) {
        engine.setUseClientMode(client);
        SSLParameters parameters = engine.getSSLParameters();
        List<String> supported = Arrays.asList(engine.getSupportedProtocols());
        String[] enabled = protocols.stream().filter(supported::contains).toArray(String[]::new);
        if (enabled.length == 0) {
            throw new IllegalStateException("this JDK supports none of " + protocols);
        }
        parameters.setProtocols(enabled);
        if (client) {
            if (verifyHostname) {
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
            }
            if (!isIpLiteral(host)) {
                try {
                    parameters.setServerNames(List.of(new SNIHostName(stripTrailingDot(host))));
                } catch (IllegalArgumentException e) {
                    // not a name SNI can carry (RFC 6066 §3): connect without it
                }
            }
        }
        engine.setSSLParameters(parameters);
        return engine;
    }

    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || IPV4.matcher(host).matches(); // IPv6 always has a colon
    }

    private static String unbracket(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static String stripTrailingDot(String host) {
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host; // RFC 6066 §3
    }

    private static KeyStore load(Path file, char[] password, String type) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password);
        }
        return store;
    }

    private static boolean hasKeyEntry(KeyStore store) throws GeneralSecurityException {
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias)) {
                return true;
            }
        }
        return false;
    }

    private static TlsConfig fromKeyStore(KeyStore store, char[] password) throws GeneralSecurityException {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return of(context);
    }
}
