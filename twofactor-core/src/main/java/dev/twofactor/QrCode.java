package dev.twofactor;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;

/**
 * A QR code, typically of a {@link KeyUri#toUriString() key URI} for enrolment, with renderings for the web
 * ({@link #png}, {@link #pngDataUri}, {@link #svg}) and the terminal ({@link #terminal}).
 *
 * <p>Encoding uses ZXing core with error correction level M (15% of the code may be damaged or covered) and a quiet
 * zone of {@value #QUIET_ZONE} light modules on every side, the minimum ISO/IEC 18004 asks for and the part of the
 * code most often cut off by careless embedding: it is part of {@link #size()} and of every rendering. Text that is
 * all ASCII, such as every key URI, is encoded without an ECI header, the most widely readable form; other text is
 * encoded as UTF-8 with an ECI header saying so.
 *
 * <p>Immutable and thread-safe. Works in headless JVMs: PNG output uses {@code javax.imageio} without any AWT
 * window, and never ImageIO's on-disk cache. The content of a key URI's code is the secret: serve the renderings
 * with {@code Cache-Control: no-store} and do not log them.
 */
public final class QrCode {

    /** Light modules around the code on every side, included in {@link #size()}. */
    public static final int QUIET_ZONE = 4;

    /** Largest {@code pixelsPerModule} accepted by {@link #png}: 32 makes even the largest code about 5,700 px. */
    public static final int MAX_PIXELS_PER_MODULE = 32;

    private static final char UPPER_HALF = '\u2580';
    private static final char LOWER_HALF = '\u2584';
    private static final char FULL_BLOCK = '\u2588';
    private static final String ANSI_DARK_ON_LIGHT = "\u001b[30;107m";
    private static final String ANSI_RESET = "\u001b[0m";

    // Never mutated after construction and never handed out, so QrCode is immutable although BitMatrix is not.
    private final BitMatrix matrix;
    private final int size;

    private QrCode(BitMatrix matrix) {
        this.matrix = matrix;
        this.size = matrix.getWidth();
    }

    /**
     * Encodes text as a QR code with error correction level M and a quiet zone of {@value #QUIET_ZONE} modules.
     *
     * @param content the text, e.g. {@code keyUri.toUriString()}
     * @return the code
     * @throws IllegalArgumentException if the content is empty or too long for a QR code
     */
    public static QrCode encode(String content) {
        Objects.requireNonNull(content, "content");
        if (content.isEmpty()) {
            throw new IllegalArgumentException("QR code content must not be empty");
        }
        Map<EncodeHintType, Object> hints = new EnumMap<>(EncodeHintType.class);
        hints.put(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M);
        hints.put(EncodeHintType.MARGIN, QUIET_ZONE);
        if (!StandardCharsets.US_ASCII.newEncoder().canEncode(content)) {
            // ZXing's default is ISO-8859-1; naming UTF-8 makes it add the ECI header readers need for it.
            hints.put(EncodeHintType.CHARACTER_SET, StandardCharsets.UTF_8.name());
        }
        try {
            // Width and height 0 ask for the smallest rendering: one matrix cell per module.
            return new QrCode(new QRCodeWriter().encode(content, BarcodeFormat.QR_CODE, 0, 0, hints));
        } catch (WriterException e) {
            throw new IllegalArgumentException("Content is too long for a QR code", e);
        }
    }

    /**
     * Returns the width and height in modules, quiet zone included.
     *
     * @return the size, e.g. 49 for a typical key URI with a 160-bit secret (version 6, 41 modules, plus 2 x 4)
     */
    public int size() {
        return size;
    }

    /**
     * Tells whether a module is dark.
     *
     * @param x the column, {@code 0} to {@code size() - 1}, from the left
     * @param y the row, {@code 0} to {@code size() - 1}, from the top
     * @return {@code true} for a dark module
     * @throws IndexOutOfBoundsException if a coordinate is outside the code
     */
    public boolean isDark(int x, int y) {
        Objects.checkIndex(x, size);
        Objects.checkIndex(y, size);
        return matrix.get(x, y);
    }

    /**
     * Renders the code as a black-and-white PNG image.
     *
     * @param pixelsPerModule the width of a module in pixels, 1 to {@value #MAX_PIXELS_PER_MODULE}; 4 to 8 suits a
     *                        web page
     * @return the PNG file content, a 1-bit greyscale image of {@code size() * pixelsPerModule} pixels square
     * @throws IllegalArgumentException if {@code pixelsPerModule} is out of range
     */
    public byte[] png(int pixelsPerModule) {
        if (pixelsPerModule < 1 || pixelsPerModule > MAX_PIXELS_PER_MODULE) {
            throw new IllegalArgumentException(
                    "Pixels per module must be from 1 to " + MAX_PIXELS_PER_MODULE + ", got " + pixelsPerModule);
        }
        int pixels = size * pixelsPerModule;
        BufferedImage image = new BufferedImage(pixels, pixels, BufferedImage.TYPE_BYTE_BINARY);
        int[] row = new int[pixels];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int rgb = matrix.get(x, y) ? 0x000000 : 0xFFFFFF;
                for (int i = 0; i < pixelsPerModule; i++) {
                    row[x * pixelsPerModule + i] = rgb;
                }
            }
            for (int i = 0; i < pixelsPerModule; i++) {
                image.setRGB(0, y * pixelsPerModule + i, pixels, 1, row, 0, pixels);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
        if (!writers.hasNext()) {
            throw new IllegalStateException("This JDK has no PNG writer");
        }
        ImageWriter writer = writers.next();
        // A memory cache on purpose: ImageIO.write may cache through a temporary file, which would put the code
        // (the secret) on disk.
        try (ImageOutputStream output = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(output);
            writer.write(image);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write PNG to memory", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /**
     * Renders the code as a PNG {@code data:} URI, for an {@code <img src>} without a separate request.
     *
     * @param pixelsPerModule the width of a module in pixels, as for {@link #png}
     * @return {@code "data:image/png;base64,..."}
     */
    public String pngDataUri(int pixelsPerModule) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png(pixelsPerModule));
    }

    /**
     * Renders the code as a standalone SVG document: one unit per module, a white background covering the quiet
     * zone (so the code also reads on dark pages) and all dark modules in a single {@code <path>} with
     * {@code shape-rendering="crispEdges"}, so it scales to any size without blurring or hairline gaps. It has a
     * {@code viewBox} and no fixed width or height: size it with CSS.
     *
     * @return the SVG text, starting with {@code <svg}
     */
    public String svg() {
        StringBuilder path = new StringBuilder(size * size);
        for (int y = 0; y < size; y++) {
            int x = 0;
            while (x < size) {
                if (!matrix.get(x, y)) {
                    x++;
                    continue;
                }
                int start = x;
                while (x < size && matrix.get(x, y)) {
                    x++;
                }
                // One rectangle per horizontal run of dark modules keeps the path short.
                path.append('M').append(start).append(' ').append(y)
                        .append('h').append(x - start).append("v1h-").append(x - start).append('z');
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + size + ' ' + size
                + "\" shape-rendering=\"crispEdges\">"
                + "<rect width=\"" + size + "\" height=\"" + size + "\" fill=\"#fff\"/>"
                + "<path fill=\"#000\" d=\"" + path + "\"/>"
                + "</svg>\n";
    }

    /**
     * Renders the code for a terminal with Unicode half blocks, two module rows per line, so that modules come out
     * roughly square in ordinary terminal fonts.
     *
     * <p>Each line sets black foreground on bright white background with ANSI escape codes and resets at its end.
     * A phone camera needs dark modules on a light ground with a light quiet zone: plain characters would inherit
     * the terminal's colours and come out inverted on either a dark or a light theme, so the colours are set
     * explicitly, quiet zone included. The result has {@code (size() + 1) / 2} lines, each ending with
     * {@code '\n'}; when {@code size()} is odd the lower half of the last line is light, extending the quiet zone.
     *
     * @return the text to print
     */
    public String terminal() {
        int lines = (size + 1) / 2;
        StringBuilder text = new StringBuilder(lines * (size + ANSI_DARK_ON_LIGHT.length() + ANSI_RESET.length() + 1));
        for (int line = 0; line < lines; line++) {
            int top = 2 * line;
            int bottom = top + 1;
            text.append(ANSI_DARK_ON_LIGHT);
            for (int x = 0; x < size; x++) {
                boolean upper = matrix.get(x, top);
                boolean lower = bottom < size && matrix.get(x, bottom);
                text.append(upper ? (lower ? FULL_BLOCK : UPPER_HALF) : (lower ? LOWER_HALF : ' '));
            }
            text.append(ANSI_RESET).append('\n');
        }
        return text.toString();
    }
}
