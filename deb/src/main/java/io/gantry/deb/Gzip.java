package io.gantry.deb;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Compresses a file with gzip at maximum compression, as Debian policy wants for changelogs and manual pages.
 *
 * <p>The header is written by hand because {@code java.util.zip.GZIPOutputStream} always writes the "extra flags"
 * byte as 0, and lintian reads that byte (RFC 1952 §2.3.1: XFL 2 = maximum compression) to judge the compression.
 */
public final class Gzip {

    private Gzip() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: Gzip <source> <target.gz>");
        }
        byte[] data = Files.readAllBytes(Path.of(args[0]));
        Path target = Path.of(args[1]).toAbsolutePath();
        Files.createDirectories(target.getParent());
        Files.write(target, compress(data));
    }

    static byte[] compress(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // magic, deflate, no flags, mtime 0 (reproducible), XFL 2 (maximum compression), OS 3 (Unix)
        out.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 2, 3});
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        deflater.setInput(data);
        deflater.finish();
        byte[] buffer = new byte[8192];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        CRC32 crc = new CRC32();
        crc.update(data);
        writeIntLittleEndian(out, (int) crc.getValue());
        writeIntLittleEndian(out, data.length);
        return out.toByteArray();
    }

    private static void writeIntLittleEndian(ByteArrayOutputStream out, int value) {
        for (int i = 0; i < 4; i++) {
            out.write((value >>> (8 * i)) & 0xff);
        }
    }
}
