package io.gantry.app.mqtt;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
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
 * Reads certificates and private keys from PEM files with the JDK alone, so that TLS to the broker needs no
 * BouncyCastle on the gateway.
 *
 * <p>Keys may be PKCS#8 ({@code PRIVATE KEY}, what OpenSSL 3 writes), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1
 * ({@code EC PRIVATE KEY}, which {@code openssl ecparam -genkey} writes after an {@code EC PARAMETERS} block): the
 * last two are wrapped into PKCS#8, the only form the JDK's key factories read. Encrypted keys are refused with a
 * hint, since the configuration has no passphrase (as Kanto's has none).
 */
final class Pem {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\R(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final byte[] RSA_ENCRYPTION = oid(0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01);
    private static final byte[] EC_PUBLIC_KEY = oid(0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01);
    private static final String[] ALGORITHMS = {"RSA", "EC", "EdDSA", "RSASSA-PSS", "XDH", "DSA"};

    private Pem() {
    }

    /** Every certificate in the file, in file order (for a chain: the leaf first). */
    static List<X509Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        List<X509Certificate> certificates = new ArrayList<>();
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        for (Block block : blocks(file)) {
            if (block.type().equals("CERTIFICATE")) {
                for (Certificate c : factory.generateCertificates(new ByteArrayInputStream(block.der()))) {
                    certificates.add((X509Certificate) c);
                }
            }
        }
        if (certificates.isEmpty()) {
            throw new CertificateException(file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return certificates;
    }

    /** The one private key in the file. */
    static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        for (Block block : blocks(file)) {
            switch (block.type()) {
                case "PRIVATE KEY":
                    return pkcs8(block.der(), file);
                case "RSA PRIVATE KEY":
                    return pkcs8(wrap(algorithm(RSA_ENCRYPTION, new byte[] {0x05, 0x00}), block.der()), file);
                case "EC PRIVATE KEY":
                    return pkcs8(wrap(algorithm(EC_PUBLIC_KEY, curveOf(block.der(), file)), block.der()), file);
                case "ENCRYPTED PRIVATE KEY":
                    throw encrypted(file);
                default:
                    break;
            }
        }
        throw new InvalidKeySpecException(file + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
    }

    private record Block(String type, byte[] der) {
    }

    private static List<Block> blocks(Path file) throws IOException, GeneralSecurityException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String body = m.group(2);
            if (body.contains("Proc-Type: 4,ENCRYPTED")) {
                throw encrypted(file);
            }
            try {
                blocks.add(new Block(m.group(1), Base64.getMimeDecoder().decode(body)));
            } catch (IllegalArgumentException e) {
                throw new InvalidKeySpecException(file + " has a damaged PEM block " + m.group(1), e);
            }
        }
        return blocks;
    }

    private static PrivateKey pkcs8(byte[] der, Path file) throws GeneralSecurityException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
                // not this algorithm: the key's own identifier decides, so try the next factory
            }
        }
        throw new InvalidKeySpecException(file + " holds a private key of an unsupported kind (RSA, EC, Ed25519 work)");
    }

    private static GeneralSecurityException encrypted(Path file) {
        return new InvalidKeySpecException(file + " holds an encrypted private key, which Gantry cannot use (there is"
                + " no passphrase setting); write an unencrypted copy with: openssl pkey -in " + file + " -out KEY");
    }

    /** SEC1's {@code ECPrivateKey ::= SEQUENCE { version, privateKey, [0] parameters OPTIONAL, ... }}. */
    private static byte[] curveOf(byte[] sec1, Path file) throws GeneralSecurityException {
        Der outer = new Der(sec1, 0);
        if (outer.tag != 0x30) {
            throw new InvalidKeySpecException(file + " holds a damaged EC private key");
        }
        int at = outer.valueStart;
        while (at < outer.end) {
            Der item = new Der(sec1, at);
            if (item.tag == 0xA0) {
                Der curve = new Der(sec1, item.valueStart);
                byte[] oid = new byte[curve.end - item.valueStart];
                System.arraycopy(sec1, item.valueStart, oid, 0, oid.length);
                return oid;
            }
            at = item.end;
        }
        throw new InvalidKeySpecException(file + " holds an EC private key without its curve; convert it with:"
                + " openssl pkcs8 -topk8 -nocrypt -in " + file + " -out KEY");
    }

    /** {@code PrivateKeyInfo ::= SEQUENCE { INTEGER 0, AlgorithmIdentifier, OCTET STRING key }}. */
    private static byte[] wrap(byte[] algorithmIdentifier, byte[] key) {
        return tlv(0x30, concat(new byte[] {0x02, 0x01, 0x00}, algorithmIdentifier, tlv(0x04, key)));
    }

    private static byte[] algorithm(byte[] oid, byte[] parameters) {
        return tlv(0x30, concat(oid, parameters));
    }

    private static byte[] oid(int... bytes) {
        byte[] value = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            value[i] = (byte) bytes[i];
        }
        return tlv(0x06, value);
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
        out.write(tag);
        int length = value.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int octets = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | octets);
            for (int i = octets - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** One DER element's header: its tag, where its value starts and where the element ends. */
    private static final class Der {
        final int tag;
        final int valueStart;
        final int end;

        Der(byte[] data, int offset) throws InvalidKeySpecException {
            try {
                tag = data[offset] & 0xFF;
                int first = data[offset + 1] & 0xFF;
                int length;
                int start = offset + 2;
                if (first < 0x80) {
                    length = first;
                } else {
                    int octets = first & 0x7F;
                    if (octets == 0 || octets > 3) {
                        throw new InvalidKeySpecException("unsupported DER length");
                    }
                    length = 0;
                    for (int i = 0; i < octets; i++) {
                        length = (length << 8) | (data[start + i] & 0xFF);
                    }
                    start += octets;
                }
                valueStart = start;
                end = start + length;
                if (end > data.length) {
                    throw new InvalidKeySpecException("truncated DER element");
                }
            } catch (ArrayIndexOutOfBoundsException e) {
                throw new InvalidKeySpecException("truncated DER element", e);
            }
        }
    }
}
