package dev.twofactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.LuminanceSource;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.Result;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;

class QrCodeTest {

    private static final String URI = new KeyUri("ACME Co", "alice@example.com",
            TotpSecret.fromBase32("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"), TotpAlgorithm.SHA256, 8, 60).toUriString();

    @ParameterizedTest
    @ValueSource(ints = {2, 4, 8})
    void pngDecodesToExactlyTheUri(int pixelsPerModule) throws Exception {
        QrCode qr = QrCode.encode(URI);

        BufferedImage image = ImageIO.read(new ByteArrayInputStream(qr.png(pixelsPerModule)));

        assertThat(image.getWidth()).isEqualTo(qr.size() * pixelsPerModule).isEqualTo(image.getHeight());
        assertThat(decode(image)).isEqualTo(URI);
    }

    @Test
    void pngOfNonAsciiTextDecodesAsUtf8() throws Exception {
        String text = "Gr\u00fc\u00dfe aus K\u00f6ln \ud83d\ude00 \u6771\u4eac";

        BufferedImage image = ImageIO.read(new ByteArrayInputStream(QrCode.encode(text).png(4)));

        assertThat(decode(image)).isEqualTo(text);
    }

    @Test
    void pngPixelsFollowTheModulesIncludingTheQuietZone() throws IOException {
        QrCode qr = QrCode.encode(URI);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(qr.png(3)));

        for (int y = 0; y < qr.size(); y++) {
            for (int x = 0; x < qr.size(); x++) {
                boolean dark = (image.getRGB(3 * x + 1, 3 * y + 1) & 0xffffff) == 0;
                assertThat(dark).as("module %d,%d", x, y).isEqualTo(qr.isDark(x, y));
            }
        }
    }

    @Test
    void sizeIncludesAFourModuleLightQuietZone() {
        QrCode qr = QrCode.encode(URI);

        // QR versions are 21 + 4k modules wide; plus 2 x 4 for the quiet zone.
        assertThat((qr.size() - 2 * QrCode.QUIET_ZONE - 21) % 4).isZero();
        for (int i = 0; i < qr.size(); i++) {
            for (int edge = 0; edge < QrCode.QUIET_ZONE; edge++) {
                assertThat(qr.isDark(i, edge)).isFalse();
                assertThat(qr.isDark(edge, i)).isFalse();
                assertThat(qr.isDark(i, qr.size() - 1 - edge)).isFalse();
                assertThat(qr.isDark(qr.size() - 1 - edge, i)).isFalse();
            }
        }
        // The finder pattern's corner starts right inside the quiet zone.
        assertThat(qr.isDark(QrCode.QUIET_ZONE, QrCode.QUIET_ZONE)).isTrue();
    }

    @Test
    void isDarkWhenOutsideThenIndexOutOfBounds() {
        QrCode qr = QrCode.encode("x");

        assertThatThrownBy(() -> qr.isDark(-1, 0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> qr.isDark(0, qr.size())).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void pngDataUriHasThePngPrefixAndBase64OfThePng() {
        QrCode qr = QrCode.encode(URI);

        String dataUri = qr.pngDataUri(4);

        assertThat(dataUri).startsWith("data:image/png;base64,");
        byte[] png = Base64.getDecoder().decode(dataUri.substring("data:image/png;base64,".length()));
        assertThat(png).isEqualTo(qr.png(4)).startsWith(0x89, 'P', 'N', 'G');
    }

    @Test
    void pngWhenPixelsPerModuleOutOfRangeThenIllegalArgument() {
        QrCode qr = QrCode.encode("x");

        assertThatThrownBy(() -> qr.png(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> qr.png(QrCode.MAX_PIXELS_PER_MODULE + 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void svgIsWellFormedXmlWithOnePathAndTheRightViewBox() throws Exception {
        QrCode qr = QrCode.encode(URI);

        Document document = parseXml(qr.svg());

        Element svg = document.getDocumentElement();
        assertThat(svg.getTagName()).isEqualTo("svg");
        assertThat(svg.getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
        assertThat(svg.getAttribute("viewBox")).isEqualTo("0 0 " + qr.size() + " " + qr.size());
        assertThat(svg.getAttribute("shape-rendering")).isEqualTo("crispEdges");
        assertThat(document.getElementsByTagNameNS("*", "path").getLength()).isEqualTo(1);
    }

    @Test
    void svgPathCoversExactlyTheDarkModules() throws Exception {
        QrCode qr = QrCode.encode(URI);
        Element path = (Element) parseXml(qr.svg()).getElementsByTagNameNS("*", "path").item(0);

        boolean[][] dark = new boolean[qr.size()][qr.size()];
        Matcher run = Pattern.compile("M(\\d+) (\\d+)h(\\d+)v1h-(\\d+)z").matcher(path.getAttribute("d"));
        int end = 0;
        while (run.find()) {
            assertThat(run.start()).isEqualTo(end);
            end = run.end();
            int x = Integer.parseInt(run.group(1));
            int y = Integer.parseInt(run.group(2));
            int width = Integer.parseInt(run.group(3));
            assertThat(run.group(4)).isEqualTo(run.group(3));
            for (int i = 0; i < width; i++) {
                dark[y][x + i] = true;
            }
        }
        assertThat(end).isEqualTo(path.getAttribute("d").length());
        for (int y = 0; y < qr.size(); y++) {
            for (int x = 0; x < qr.size(); x++) {
                assertThat(dark[y][x]).as("module %d,%d", x, y).isEqualTo(qr.isDark(x, y));
            }
        }
    }

    @Test
    void terminalHasTwoModuleRowsPerLineAndShowsExactlyTheModules() {
        QrCode qr = QrCode.encode(URI);

        String[] lines = qr.terminal().split("\n", -1);

        // split leaves an empty string after the final newline.
        assertThat(lines).hasSize((qr.size() + 1) / 2 + 1);
        assertThat(lines[lines.length - 1]).isEmpty();
        for (int line = 0; line < lines.length - 1; line++) {
            assertThat(lines[line]).startsWith("\u001b[30;107m").endsWith("\u001b[0m");
            String cells = lines[line].substring("\u001b[30;107m".length(),
                    lines[line].length() - "\u001b[0m".length());
            assertThat(cells).hasSize(qr.size());
            for (int x = 0; x < qr.size(); x++) {
                char cell = cells.charAt(x);
                boolean top = cell == '\u2588' || cell == '\u2580';
                boolean bottom = cell == '\u2588' || cell == '\u2584';
                assertThat(cell).isIn(' ', '\u2580', '\u2584', '\u2588');
                assertThat(top).isEqualTo(qr.isDark(x, 2 * line));
                assertThat(bottom).isEqualTo(2 * line + 1 < qr.size() && qr.isDark(x, 2 * line + 1));
            }
        }
    }

    @Test
    void terminalDrawsTheQuietZoneAsLightCells() {
        QrCode qr = QrCode.encode(URI);

        String first = qr.terminal().lines().findFirst().orElseThrow();

        assertThat(first).isEqualTo("\u001b[30;107m" + " ".repeat(qr.size()) + "\u001b[0m");
    }

    @Test
    void encodeWhenContentEmptyOrTooLongThenIllegalArgument() {
        assertThatThrownBy(() -> QrCode.encode("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QrCode.encode("x".repeat(5_000))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Content is too long for a QR code");
        assertThatThrownBy(() -> QrCode.encode(null)).isInstanceOf(NullPointerException.class);
    }

    private static String decode(BufferedImage image) throws Exception {
        int width = image.getWidth();
        int height = image.getHeight();
        int[] pixels = image.getRGB(0, 0, width, height, null, 0, width);
        LuminanceSource source = new RGBLuminanceSource(width, height, pixels);
        Result result = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)),
                Map.of(DecodeHintType.PURE_BARCODE, Boolean.TRUE));
        return result.getText();
    }

    private static Document parseXml(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    }
}
