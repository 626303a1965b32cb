package dev.parley.websocket.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM files (RFC 7468): certificate chains and unencrypted PKCS#8 private keys, RSA or EC.
 * Failures are {@link UncheckedIOException} for a file that cannot be read and {@link
 * IllegalArgumentException} for one whose content is wrong, each naming the file and, where there
 * is one, the command that fixes it.
 */
public final class PemFiles {
    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final String CONVERT = "; convert it to unencrypted PKCS#8 (\"BEGIN PRIVATE KEY\") with:"
            + " openssl pkcs8 -topk8 -nocrypt -in KEY.pem -out KEY-pkcs8.pem";

    private PemFiles() {}

    /** The CERTIFICATE blocks of {@code file}, in order: the server's own first, then its issuers. */
    public static List<X509Certificate> certificates(Path file) {
        List<X509Certificate> chain = new ArrayList<>();
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("no X.509 support in this JDK", e);
        }
        Matcher m = BLOCK.matcher(read(file, "certificate"));
        while (m.find()) {
            if (!m.group(1).equals("CERTIFICATE")) {
                continue;
            }
            try {
                byte[] der = decode(m.group(2), file);
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            } catch (CertificateException e) {
                throw new IllegalArgumentException(
                        "bad certificate #" + (chain.size() + 1) + " in " + file + ": " + e.getMessage(), e);
            }
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("no certificate (\"-----BEGIN CERTIFICATE-----\") in " + file);
        }
        return chain;
    }

    /** The private key of {@code file}: one unencrypted PKCS#8 "PRIVATE KEY" block, RSA or EC. */
    public static PrivateKey privateKey(Path file) {
        Matcher m = BLOCK.matcher(read(file, "private key"));
        while (m.find()) {
            switch (m.group(1)) {
                case "PRIVATE KEY" -> {
                    return pkcs8(decode(m.group(2), file), file);
                }
                case "RSA PRIVATE KEY" ->
                    throw new IllegalArgumentException(
                            "the key in " + file + " is PKCS#1 (\"BEGIN RSA PRIVATE KEY\")" + CONVERT);
                case "EC PRIVATE KEY" ->
                    throw new IllegalArgumentException(
                            "the key in " + file + " is SEC 1 (\"BEGIN EC PRIVATE KEY\")" + CONVERT);
                case "ENCRYPTED PRIVATE KEY" ->
                    throw new IllegalArgumentException("the key in " + file + " is encrypted" + CONVERT);
                default -> {} // parameters, certificates: not the key
            }
        }
        throw new IllegalArgumentException("no private key (\"-----BEGIN PRIVATE KEY-----\") in " + file);
    }

    /**
     * Fails unless {@code key} belongs to {@code certificate}: a signature made with the key must
     * verify with the certificate's public key.
     */
    public static void checkPair(PrivateKey key, X509Certificate certificate, Path keyFile, Path certificateFile) {
        PublicKey publicKey = certificate.getPublicKey();
        String mismatch = "the private key in " + keyFile + " does not match the certificate for "
                + certificate.getSubjectX500Principal().getName() + " in " + certificateFile;
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
            throw new IllegalArgumentException(
                    mismatch + " (" + key.getAlgorithm() + " key, " + publicKey.getAlgorithm() + " certificate)");
        }
        String algorithm = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        byte[] probe = "parley key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            if (!verifier.verify(signature)) {
                throw new IllegalArgumentException(mismatch);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(mismatch + ": " + e.getMessage(), e);
        }
    }

    private static PrivateKey pkcs8(byte[] der, Path file) {
        // PKCS#8 names its algorithm inside; trying the two we support is simpler than parsing it.
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (InvalidKeySpecException e) {
                // not this algorithm
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("no " + algorithm + " support in this JDK", e);
            }
        }
        throw new IllegalArgumentException("the PKCS#8 key in " + file + " is neither RSA nor EC, or is damaged");
    }

    private static String read(Path file, String what) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("TLS " + what + " file not found: " + file, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read TLS " + what + " file " + file + ": " + e, e);
        }
    }

    private static byte[] decode(String base64, Path file) {
        try {
            return Base64.getMimeDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad base64 in PEM file " + file + ": " + e.getMessage(), e);
        }
    }
}
