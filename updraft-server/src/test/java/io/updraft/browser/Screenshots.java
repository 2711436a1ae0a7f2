package io.updraft.browser;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Writes a browser's screenshot as a small PNG: 256 colours at most (a UI is flat colours and their
 * anti-aliased edges, so the most frequent 256 with every other pixel at its nearest look the
 * same).
 */
final class Screenshots {
  private Screenshots() {}

  static void write(byte[] png, Path file) throws IOException {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    ImageIO.write(indexed(image), "png", file.toFile());
  }

  static BufferedImage indexed(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    int[] rgb = image.getRGB(0, 0, w, h, null, 0, w);
    Map<Integer, Integer> counts = new HashMap<>();
    for (int p : rgb) {
      counts.merge(p & 0xFFFFFF, 1, Integer::sum);
    }
    List<Integer> palette = new ArrayList<>(counts.keySet());
    palette.sort(Comparator.comparing((Integer c) -> counts.get(c)).reversed());
    if (palette.size() > 256) {
      palette = palette.subList(0, 256);
    }
    int n = palette.size();
    byte[] r = new byte[n];
    byte[] g = new byte[n];
    byte[] b = new byte[n];
    Map<Integer, Integer> index = new HashMap<>();
    for (int i = 0; i < n; i++) {
      int c = palette.get(i);
      r[i] = (byte) (c >> 16);
      g[i] = (byte) (c >> 8);
      b[i] = (byte) c;
      index.put(c, i);
    }
    IndexColorModel model = new IndexColorModel(8, n, r, g, b);
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, model);
    byte[] pixels = new byte[w * h];
    for (int i = 0; i < rgb.length; i++) {
      int c = rgb[i] & 0xFFFFFF;
      Integer k = index.get(c);
      if (k == null) {
        k = nearest(c, palette);
        index.put(c, k);
      }
      pixels[i] = (byte) (int) k;
    }
    out.getRaster().setDataElements(0, 0, w, h, pixels);
    return out;
  }

  private static int nearest(int c, List<Integer> palette) {
    int best = 0;
    long bestD = Long.MAX_VALUE;
    for (int i = 0; i < palette.size(); i++) {
      int p = palette.get(i);
      long dr = ((c >> 16) & 0xFF) - ((p >> 16) & 0xFF);
      long dg = ((c >> 8) & 0xFF) - ((p >> 8) & 0xFF);
      long db = (c & 0xFF) - (p & 0xFF);
      long d = 3 * dr * dr + 4 * dg * dg + 2 * db * db;
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    return best;
  }
}
