#!/usr/bin/env bash
# Cuts DejaVu Sans down to the letters certificates use almost always: Latin (with Latin-1 and Extended-A), Cyrillic
# with every Kazakh letter (ә ғ қ ң ө ұ ү һ і), the punctuation and signs the catalogues print (№ – — « » ✔ ✘ ₸ ← →), and
# the narrow no-break space (U+202F) that groups thousands in Kazakh and Russian reports (src/http/reports/numbers.ts).
# pdf-lib parses, lays out and subsets this ~100 KB file several times faster than the 760 KB original; a certificate
# with a character outside it is drawn with the whole font instead (src/http/pdf.ts), so nothing is ever lost.
# The bold cut (DejaVu Sans Bold, same letters, no hinting: it is drawn large, where hinting does not show) prints the
# participant's name and the headings of the certificate (issue 16); a name beyond it is drawn in the regular weight.
# Needs fontTools (Debian: apt-get install python3-fonttools). The output is committed; run this only to change it.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m fontTools.subset assets/fonts/DejaVuSans.ttf \
  --output-file=assets/fonts/DejaVuSans-LatinCyrillic.ttf \
  --unicodes="U+0020-007E,U+00A0-017F,U+0400-052F,U+2010-2027,U+202F,U+2030-203A,U+2116,U+20B8,U+2190-2193,U+2212,U+2713-2718" \
  --layout-features='*' --name-IDs='*' --name-legacy --notdef-outline
python3 -m fontTools.subset "${DEJAVU_BOLD:-/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf}" \
  --output-file=assets/fonts/DejaVuSans-Bold-LatinCyrillic.ttf \
  --unicodes="U+0020-007E,U+00A0-017F,U+0400-052F,U+2010-2027,U+202F,U+2030-203A,U+2116,U+20B8,U+2190-2193,U+2212,U+2713-2718" \
  --layout-features='*' --name-IDs='*' --name-legacy --notdef-outline --no-hinting
