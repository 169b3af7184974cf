package io.gantry.app.mqtt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates and keys made with the {@code openssl} command, as an operator makes them: a CA, a server
 * certificate for {@code localhost} only (so that a connection to {@code 127.0.0.1} must fail host name
 * verification), and a client certificate whose key is in SEC1 form ({@code openssl ecparam -genkey}, with its
 * {@code EC PARAMETERS} block), the form JDK-only code most often fails on.
 */
public record TestPki(Path caCert, Path serverCert, Path serverKey, Path clientCert, Path clientKey) {

    public static TestPki create(Path dir) {
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
                "-days", "2", "-subj", "/CN=Gantry Test CA");
        write(dir.resolve("server.ext"), "subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n");
        openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
                "-subj", "/CN=localhost");
        sign(dir, "server");
        openssl(dir, "ecparam", "-genkey", "-name", "prime256v1", "-out", "client.key");
        write(dir.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
        openssl(dir, "req", "-new", "-key", "client.key", "-out", "client.csr", "-subj", "/CN=gantry-test-client");
        sign(dir, "client");
        return new TestPki(dir.resolve("ca.crt"), dir.resolve("server.crt"), dir.resolve("server.key"),
                dir.resolve("client.crt"), dir.resolve("client.key"));
    }

    private static void sign(Path dir, String name) {
        openssl(dir, "x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", name + ".crt", "-days", "2", "-extfile", name + ".ext");
    }

    /** Runs {@code openssl args…} in {@code dir} and fails with its output when it fails. */
    static void openssl(Path dir, String... args) {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile(dir, "openssl", ".log");
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(command + " failed: " + Files.readString(out));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
