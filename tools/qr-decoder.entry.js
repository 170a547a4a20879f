// Entry of public/js/qr-decoder.js, the camera page's fallback where the browser has no BarcodeDetector.
// Only ZXing's QR reader is bundled (deep imports keep the other formats out). Build: npm run build:assets.
//
// ZXing's own QRCodeReader is not used as is: @zxing/library 0.21 stops looking for finder patterns once it has three
// that agree in size, and of more candidates keeps those seen on the most scan rows. A 1:1:3:1:1 run of data modules
// across and down passes for a finder pattern, and in about 5 % of Senim's certificate codes (version 3, ECC M, all
// masks, mostly mask 2) such a false finder displaced a real one: the code never decoded, in every frame, at any
// size. So here the whole frame is searched, and triangles of candidates are tried best first: the ones closest to
// an isosceles right triangle, as ZXing 3.4+ (Java) chooses them. Reed–Solomon decoding rejects a wrong triangle.
import FinderPatternFinder from "@zxing/library/esm/core/qrcode/detector/FinderPatternFinder";
import FinderPatternInfo from "@zxing/library/esm/core/qrcode/detector/FinderPatternInfo";
import Detector from "@zxing/library/esm/core/qrcode/detector/Detector";
import Decoder from "@zxing/library/esm/core/qrcode/decoder/Decoder";
import HybridBinarizer from "@zxing/library/esm/core/common/HybridBinarizer";
import LuminanceSource from "@zxing/library/esm/core/LuminanceSource";
import ResultPoint from "@zxing/library/esm/core/ResultPoint";

/** Grey pixels as ZXing reads them; smaller than RGBLuminanceSource, which brings cropping and inversion along. */
class GreySource extends LuminanceSource {
  constructor(grey, width, height) {
    super(width, height);
    this.grey = grey;
  }
  getRow(y, row) {
    const w = this.getWidth();
    if (!row || row.length < w) row = new Uint8ClampedArray(w);
    row.set(this.grey.subarray(y * w, (y + 1) * w));
    return row;
  }
  getMatrix() {
    return this.grey;
  }
}

/**
 * Collects every finder-pattern candidate of the frame: no early stop, no skipping rows, no selection (done in
 * `triangles`). ZXing skips the rest of a row and the rows below once two candidates agree, guessing where the third
 * must be; with a false one among those two, the real one beside it was skipped (seen on a PDF page at 150 dpi).
 */
class AllCandidates extends FinderPatternFinder {
  haveMultiplyConfirmedCenters() {
    return false;
  }
  findRowSkip() {
    return 0;
  }
  selectBestPatterns() {
    return this.getPossibleCenters().slice(0, 3); // unused; the base class would also drop candidates from the list
  }
}

const MAX_TRIANGLES = 6;
const MAX_CANDIDATES = 16; // a noisy frame can have hundreds; the most often seen are kept (16 make 560 triples)

/** Candidate triples, most like an isosceles right triangle first (ZXing 3.4 FinderPatternFinder.selectBestPatterns). */
function triangles(centers) {
  const sorted = [...centers]
    .sort((a, b) => b.getCount() - a.getCount())
    .slice(0, MAX_CANDIDATES)
    .sort((a, b) => a.getEstimatedModuleSize() - b.getEstimatedModuleSize());
  const found = [];
  const d2 = (p, q) => (p.getX() - q.getX()) ** 2 + (p.getY() - q.getY()) ** 2;
  for (let i = 0; i < sorted.length - 2; i++) {
    for (let j = i + 1; j < sorted.length - 1; j++) {
      for (let k = j + 1; k < sorted.length; k++) {
        if (sorted[k].getEstimatedModuleSize() > sorted[i].getEstimatedModuleSize() * 1.4) continue;
        const [a, b, c] = [d2(sorted[i], sorted[j]), d2(sorted[j], sorted[k]), d2(sorted[i], sorted[k])].sort((x, y) => x - y);
        found.push({ distortion: Math.abs(c - 2 * b) + Math.abs(c - 2 * a), patterns: [sorted[i], sorted[j], sorted[k]] });
      }
    }
  }
  return found.sort((x, y) => x.distortion - y.distortion).slice(0, MAX_TRIANGLES).map((t) => t.patterns);
}

const decoder = new Decoder();

/** RGBA pixels (ImageData.data) → the QR code's text, or null when none is found in this frame. */
function decode(rgba, width, height) {
  const luminance = new Uint8ClampedArray(width * height);
  for (let i = 0, j = 0; i < luminance.length; i++, j += 4) {
    luminance[i] = (rgba[j] * 77 + rgba[j + 1] * 150 + rgba[j + 2] * 29) >> 8; // BT.601 luma
  }
  let matrix;
  const finder = (() => {
    try {
      matrix = new HybridBinarizer(new GreySource(luminance, width, height)).getBlackMatrix();
      const f = new AllCandidates(matrix, null);
      f.find(null);
      return f;
    } catch {
      return null; // fewer than three candidates: no code in this frame
    }
  })();
  if (!finder) return null;
  for (const patterns of triangles(finder.getPossibleCenters())) {
    try {
      ResultPoint.orderBestPatterns(patterns);
      const detected = new Detector(matrix).processFinderPatternInfo(new FinderPatternInfo(patterns));
      return decoder.decodeBitMatrix(detected.getBits(), null).getText();
    } catch {
      // not a code through these three: the next triangle is tried
    }
  }
  return null; // the caller tries the next frame
}

globalThis.SenimQr = { decode };
